#include "match/database.hpp"

#include <sys/mman.h>

#include <cctype>
#include <climits>
#include <cstdlib>
#include <cstring>

#include "util/binary.hpp"
#include "util/cache_file.hpp"
#include "util/fresh_memory.hpp"
#include "util/hash.hpp"

namespace keyhound {
namespace {

constexpr std::string_view kCacheMagic = "keyhound-hsdb-5\n";

constexpr unsigned kBaseFlags = 0;

// The cache key covers everything that changes the compiled bytes.
std::string cache_key(const RuleList& rules, const hs_platform_info_t& platform) {
  Sha256Builder hash;
  hash.update(kCacheMagic);
  hash.update(hs_version());
  hash.update(std::string_view(reinterpret_cast<const char*>(&platform), sizeof platform));
  for (const auto& rule : rules) {
    hash.update(rule.id);
    hash.update(std::string_view("\0", 1));
    hash.update(rule.pattern);
    hash.update(std::string_view("\0", 1));
    for (const auto& keyword : rule.keywords) {
      hash.update(keyword);
      hash.update(std::string_view("\1", 1));
    }
    hash.update(rule.prefilter);
    hash.update(std::string_view("\0", 1));
  }
  return to_hex(hash.finish());
}

// Payload: rule count, each rule's widths and prefilter flag, then Hyperscan's serialized database.
std::string encode_payload(const CompiledDatabase& compiled) {
  char* bytes = nullptr;
  size_t length = 0;
  if (hs_serialize_database(compiled.database.get(), &bytes, &length) != HS_SUCCESS) return {};
  ByteWriter out;
  out.u32(static_cast<std::uint32_t>(compiled.widths.size()));
  for (std::size_t i = 0; i < compiled.widths.size(); ++i) {
    out.u32(compiled.widths[i].min);
    out.u32(compiled.widths[i].max);
    out.u32(compiled.match_widths[i].min);
    out.u32(compiled.match_widths[i].max);
    out.u32(compiled.prefiltered[i] ? 1 : 0);
  }
  out.bytes().append(bytes, length);
  free(bytes);
  return std::move(out.bytes());
}

// Into fresh memory on huge pages (util/fresh_memory.hpp): the heap copy took a page fault per
// 4 KB of a megabyte, and even MAP_POPULATE left a hypervisor trap per page to the first write
// (2-3 ms of a pre-commit run on a virtual machine). Read-only once filled: nothing writes to a
// database.
HsDatabase deserialize(std::string_view serialized) {
  std::size_t size = 0;
  if (hs_serialized_database_size(serialized.data(), serialized.size(), &size) != HS_SUCCESS || size == 0)
    return {};
  FreshMemory memory = map_fresh_memory(size);
  if (!memory.data) {
    hs_database_t* db = nullptr;
    if (hs_deserialize_database(serialized.data(), serialized.size(), &db) != HS_SUCCESS) return {};
    return HsDatabase(db);
  }
  HsDatabase db(static_cast<hs_database_t*>(memory.data), HsDatabaseFree{memory.mapped});
  if (hs_deserialize_database_at(serialized.data(), serialized.size(), db.get()) != HS_SUCCESS) return {};
  mprotect(memory.data, memory.mapped, PROT_READ);
  return db;
}

bool decode_payload(std::string_view payload, std::size_t rule_count, CompiledDatabase& out) {
  ByteReader in(payload);
  std::uint32_t count = in.u32();
  if (!in.ok() || count != rule_count) return false;
  std::vector<PatternWidth> widths(count), match_widths(count);
  std::vector<bool> prefiltered(count);
  for (std::uint32_t i = 0; i < count; ++i) {
    widths[i].min = in.u32();
    widths[i].max = in.u32();
    match_widths[i].min = in.u32();
    match_widths[i].max = in.u32();
    prefiltered[i] = in.u32() != 0;
  }
  std::string_view serialized = in.rest();
  if (!in.ok()) return false;
  out.database = deserialize(serialized);
  if (!out.database) return false;
  out.widths = std::move(widths);
  out.match_widths = std::move(match_widths);
  out.prefiltered = std::move(prefiltered);
  out.from_cache = true;
  return true;
}

std::string describe_rule(const Rule& rule) {
  return rule.file + ":" + std::to_string(rule.line) + ": rule " + rule.id;
}

// What Hyperscan looks for: the pattern itself, or only the rule's keywords or prefilter.
std::string hyperscan_expression(const Rule& rule) {
  if (!rule.prefilter.empty()) return rule.prefilter;
  if (rule.keywords.empty()) return rule.pattern;
  std::string out = "(?:";
  for (std::size_t i = 0; i < rule.keywords.size(); ++i) {
    if (i) out += '|';
    for (char c : rule.keywords[i]) {
      if (!std::isalnum(static_cast<unsigned char>(c))) out += '\\';
      out += c;
    }
  }
  return out + ")";
}

// The width of `expression`'s matches; in prefilter mode when it is beyond Hyperscan, which
// is then recorded in `flags`. Unbounded when Hyperscan cannot even prefilter it.
Result<PatternWidth> expression_width(const std::string& expression, unsigned& flags, const Rule& rule,
                                      bool must_compile) {
  hs_expr_info_t* info = nullptr;
  hs_compile_error_t* raw_error = nullptr;
  if (hs_expression_info(expression.c_str(), flags, &info, &raw_error) != HS_SUCCESS) {
    HsCompileError ignored(raw_error);
    flags |= HS_FLAG_PREFILTER;
    if (hs_expression_info(expression.c_str(), flags, &info, &raw_error) != HS_SUCCESS) {
      HsCompileError error(raw_error);
      if (must_compile)
        return make_error(describe_rule(rule) + ": Hyperscan rejects the pattern: " + error->message);
      return PatternWidth{};
    }
  }
  PatternWidth width;
  width.min = info->min_width;
  width.max = info->max_width == UINT_MAX ? PatternWidth::kUnbounded : info->max_width;
  free(info);
  return width;
}

Result<CompiledDatabase> compile_fresh(const RuleList& rules, const hs_platform_info_t& platform) {
  CompiledDatabase compiled;
  std::vector<std::string> expressions;
  std::vector<const char*> patterns;
  std::vector<unsigned> flags(rules.size(), kBaseFlags);
  std::vector<unsigned> ids;
  for (std::size_t i = 0; i < rules.size(); ++i) {
    expressions.push_back(hyperscan_expression(rules[i]));
    if (!rules[i].keywords.empty()) flags[i] |= HS_FLAG_CASELESS;
    ids.push_back(static_cast<unsigned>(i));
    // A pattern beyond Hyperscan (it says so here) is compiled in prefilter mode: Hyperscan
    // then finds a superset of its matches and RE2 confirms each one.
    KH_TRY_ASSIGN(auto width, expression_width(expressions[i], flags[i], rules[i], true));
    compiled.widths.push_back(width);
    if (!rules[i].searched_around_hits()) {
      compiled.match_widths.push_back(width);
    } else {
      unsigned pattern_flags = kBaseFlags;
      compiled.match_widths.push_back(*expression_width(rules[i].pattern, pattern_flags, rules[i], false));
    }
  }
  for (const auto& expression : expressions) patterns.push_back(expression.c_str());
  if (rules.empty()) return make_error("no rules to compile");
  for (int attempt = 0; attempt <= static_cast<int>(rules.size()); ++attempt) {
    hs_database_t* db = nullptr;
    hs_compile_error_t* raw_error = nullptr;
    if (hs_compile_multi(patterns.data(), flags.data(), ids.data(), static_cast<unsigned>(patterns.size()),
                         HS_MODE_BLOCK, &platform, &db, &raw_error) == HS_SUCCESS) {
      compiled.database.reset(db);
      for (unsigned flag : flags) compiled.prefiltered.push_back((flag & HS_FLAG_PREFILTER) != 0);
      return compiled;
    }
    HsCompileError error(raw_error);
    int index = error->expression;
    if (index < 0) return make_error(std::string("Hyperscan cannot compile the rule set: ") + error->message);
    if (flags[index] & HS_FLAG_PREFILTER)
      return make_error(describe_rule(rules[index]) + ": Hyperscan rejects the pattern: " + error->message);
    flags[index] |= HS_FLAG_PREFILTER;
  }
  return make_error("Hyperscan cannot compile the rule set");
}

}  // namespace

Result<CompiledDatabase> compile_database(const RuleList& rules, const std::string& cache_dir) {
  hs_platform_info_t platform{};
  if (hs_populate_platform(&platform) != HS_SUCCESS) return make_error("Hyperscan does not support this CPU");
  std::string cache_path;
  if (!cache_dir.empty()) {
    cache_path = cache_dir + "/hs-" + cache_key(rules, platform) + ".db";
    CompiledDatabase cached;
    auto entry = read_cache_entry(cache_path, kCacheMagic);
    if (entry && decode_payload(entry->payload, rules.size(), cached)) return cached;
  }
  KH_TRY_ASSIGN(auto compiled, compile_fresh(rules, platform));
  if (!cache_path.empty()) {
    std::string payload = encode_payload(compiled);
    if (!payload.empty()) write_cache_entry(cache_path, kCacheMagic, payload);
  }
  return compiled;
}

}  // namespace keyhound
