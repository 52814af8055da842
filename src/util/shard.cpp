// Shard membership: a blob id's first eight hex digits, or FNV-1a of a name.
#include "util/shard.hpp"

#include <charconv>

namespace keyhound {
namespace {

bool is_hex_id(std::string_view text) {
  if (text.size() != 40 && text.size() != 64) return false;
  for (char c : text)
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  return true;
}

}  // namespace

bool Shard::holds(std::string_view where) const {
  if (whole()) return true;
  std::uint32_t value = 0;
  if (is_hex_id(where)) {
    std::from_chars(where.data(), where.data() + 8, value, 16);
  } else {
    value = 2166136261u;
    for (unsigned char c : where) value = (value ^ c) * 16777619u;
  }
  return value % count == index;
}

Result<Shard> parse_shard(const std::string& text) {
  auto bad = [&] {
    return make_error("--shard: expected I/N with 0 <= I < N (e.g. 0/4), not '" + text + "'");
  };
  std::size_t slash = text.find('/');
  if (slash == std::string::npos) return bad();
  Shard shard;
  const char* begin = text.data();
  const char* end = begin + text.size();
  auto index = std::from_chars(begin, begin + slash, shard.index);
  auto count = std::from_chars(begin + slash + 1, end, shard.count);
  if (index.ec != std::errc() || index.ptr != begin + slash || count.ec != std::errc() || count.ptr != end ||
      shard.count == 0 || shard.index >= shard.count)
    return bad();
  return shard;
}

}  // namespace keyhound
