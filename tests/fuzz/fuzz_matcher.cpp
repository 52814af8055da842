// Differential fuzzing of the matcher: Matcher::scan_delta on bytes a delta built from a base
// must find exactly what Matcher::scan finds on the same bytes. Input = 2-byte base length, the
// base, then delta operations: an odd byte copies (2 bytes of offset, 1 of length) from the
// base, an even byte inserts its next (byte >> 1) input bytes.
#include <cstdint>
#include <cstdio>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "match/matcher.hpp"
#include "rules/loader.hpp"

namespace {

const keyhound::Matcher& matcher() {
  static const std::unique_ptr<keyhound::Matcher> built = [] {
    auto rules = keyhound::parse_rule_sources(keyhound::builtin_rule_sources());
    if (!rules) __builtin_trap();
    auto made =
        keyhound::Matcher::build(std::move(*rules), keyhound::MatcherOptions{KEYHOUND_FUZZ_CACHE_DIR});
    if (!made) __builtin_trap();
    return std::move(*made);
  }();
  return *built;
}

bool same(const std::vector<keyhound::Match>& a, const std::vector<keyhound::Match>& b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i)
    if (a[i].rule != b[i].rule || a[i].start != b[i].start || a[i].end != b[i].end) return false;
  return true;
}

}  // namespace

// The rule set is compiled (or loaded from the cache) before the first input, so the per-input
// timeout measures scans, not Hyperscan's compiler.
extern "C" int LLVMFuzzerInitialize(int*, char***) {
  const keyhound::Matcher& engine = matcher();
  // One delta scan too: the database of long-reach rules is compiled on its first use.
  auto scratch = engine.new_scratch();
  keyhound::ScanMemo memo;
  std::vector<keyhound::Match> out;
  engine.scan("warm up", *scratch, out, &memo);
  engine.scan_delta("warm up", {{0, 0, 7}}, memo, *scratch, out);
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 2) return 0;
  std::size_t base_size = std::min<std::size_t>(size - 2, (std::size_t{data[0]} << 8) | data[1]);
  std::string_view base(reinterpret_cast<const char*>(data + 2), base_size);
  std::string target;
  std::vector<keyhound::DeltaCopy> copies;
  for (std::size_t at = 2 + base_size; at < size;) {
    unsigned char op = data[at++];
    if (op & 1) {
      if (base.empty() || size - at < 3) break;
      std::size_t offset = ((std::size_t{data[at]} << 8) | data[at + 1]) % base.size();
      std::size_t length = std::min<std::size_t>(1 + data[at + 2], base.size() - offset);
      at += 3;
      if (!copies.empty() && copies.back().target + copies.back().length == target.size() &&
          copies.back().base + copies.back().length == offset)
        copies.back().length += length;
      else
        copies.push_back({target.size(), offset, length});
      target.append(base.substr(offset, length));
    } else {
      std::size_t length = std::min<std::size_t>(op >> 1, size - at);
      target.append(reinterpret_cast<const char*>(data + at), length);
      at += length;
    }
  }
  const keyhound::Matcher& engine = matcher();
  auto scratch = engine.new_scratch();
  keyhound::ScanMemo memo;
  std::vector<keyhound::Match> base_matches, whole, by_delta;
  engine.scan(base, *scratch, base_matches, &memo);
  engine.scan(target, *scratch, whole);
  engine.scan_delta(target, copies, memo, *scratch, by_delta);
  if (!same(whole, by_delta)) {
    std::fprintf(stderr, "scan_delta found %zu matches, scan %zu\n", by_delta.size(), whole.size());
    __builtin_trap();
  }
  return 0;
}
