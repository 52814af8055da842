#include "rules/rule_cache.hpp"

#include <algorithm>

#include "rules/embedded.hpp"
#include "rules/loader.hpp"
#include "util/binary.hpp"
#include "util/cache_file.hpp"
#include "util/hash.hpp"

namespace keyhound {
namespace {

constexpr std::string_view kCacheMagic = "keyhound-rules-6\n";

// `builtin_digest`: the build's digest of the embedded files, when they come first and are not
// among `sources`.
std::string cache_key(std::string_view builtin_digest, const std::vector<RuleSource>& sources) {
  Sha256Builder hash;
  hash.update(kCacheMagic);
  hash.update(parsing_fingerprint());
  if (!builtin_digest.empty()) {
    hash.update(std::string_view("embedded\0", 9));
    hash.update(builtin_digest);
  }
  for (const auto& source : sources) {
    hash.update(source.name);
    hash.update(std::string_view("\0", 1));
    hash.update(std::to_string(source.text.size()));
    hash.update(std::string_view("\0", 1));
    hash.update(source.text);
  }
  return to_hex(hash.finish());
}

void write_list(ByteWriter& out, const std::vector<std::string>& list) {
  out.u32(static_cast<std::uint32_t>(list.size()));
  for (const auto& item : list) out.str(item);
}

void skip_list(ByteReader& in) {
  std::uint32_t count = in.u32();
  for (std::uint32_t i = 0; i < count && in.ok(); ++i) in.skip_str();
}

std::vector<std::string> read_list(ByteReader& in) {
  std::uint32_t count = in.u32();
  std::vector<std::string> list;
  for (std::uint32_t i = 0; i < count && in.ok(); ++i) list.push_back(in.str());
  return list;
}

void write_statuses(ByteWriter& out, const std::vector<int>& statuses) {
  out.u32(static_cast<std::uint32_t>(statuses.size()));
  for (int status : statuses) out.u32(static_cast<std::uint32_t>(status));
}

std::vector<int> read_statuses(ByteReader& in) {
  std::uint32_t count = in.u32();
  std::vector<int> statuses;
  for (std::uint32_t i = 0; i < count && in.ok(); ++i) statuses.push_back(static_cast<int>(in.u32()));
  return statuses;
}

void write_verify(ByteWriter& out, const VerifySpec& spec) {
  for (const std::string* text :
       {&spec.kind, &spec.method, &spec.url, &spec.basic_user, &spec.basic_password, &spec.body,
        &spec.live_field, &spec.identity, &spec.partner, &spec.partner2})
    out.str(*text);
  write_list(out, spec.headers);
  write_statuses(out, spec.live);
  write_statuses(out, spec.revoked);
}

VerifySpec read_verify(ByteReader& in) {
  VerifySpec spec;
  for (std::string* text : {&spec.kind, &spec.method, &spec.url, &spec.basic_user, &spec.basic_password,
                            &spec.body, &spec.live_field, &spec.identity, &spec.partner, &spec.partner2})
    *text = in.str();
  spec.headers = read_list(in);
  spec.live = read_statuses(in);
  spec.revoked = read_statuses(in);
  return spec;
}

std::string encode(const RuleList& rules) {
  ByteWriter out;
  out.u32(static_cast<std::uint32_t>(rules.size()));
  for (const auto& rule : rules) {
    out.str(rule.id);
    out.str(rule.name);
    out.str(rule.pattern);
    write_list(out, rule.keywords);
    out.str(rule.prefilter);
    out.str(rule.category);
    out.u32(static_cast<std::uint32_t>(rule.confidence));
    out.f64(rule.min_entropy);
    out.str(rule.description);
    write_list(out, rule.references);
    write_list(out, rule.tags);
    write_list(out, rule.examples);
    write_list(out, rule.negative_examples);
    write_verify(out, rule.verify);
    out.str(rule.file);
    out.u32(static_cast<std::uint32_t>(rule.line));
    out.u32(rule.embedded ? 1 : 0);
    out.str(rule.pair);
    out.str(rule.pair_field);
  }
  return std::move(out.bytes());
}

bool decode(std::string_view payload, RuleList& rules, RuleExamples examples) {
  ByteReader in(payload);
  std::uint32_t count = in.u32();
  // Growing the list by doubling moved every rule (about 20 strings each) ten times over.
  rules.reserve(std::min<std::size_t>(count, payload.size() / 64));
  for (std::uint32_t i = 0; i < count && in.ok(); ++i) {
    Rule rule;
    rule.id = in.str();
    rule.name = in.str();
    rule.pattern = in.str();
    rule.keywords = read_list(in);
    rule.prefilter = in.str();
    rule.category = in.str();
    std::uint32_t confidence = in.u32();
    if (confidence > static_cast<std::uint32_t>(Confidence::high)) return false;
    rule.confidence = static_cast<Confidence>(confidence);
    rule.min_entropy = in.f64();
    rule.description = in.str();
    rule.references = read_list(in);
    rule.tags = read_list(in);
    if (examples == RuleExamples::kept) {
      rule.examples = read_list(in);
      rule.negative_examples = read_list(in);
    } else {
      skip_list(in);
      skip_list(in);
    }
    rule.verify = read_verify(in);
    rule.file = in.str();
    rule.line = static_cast<int>(in.u32());
    rule.embedded = in.u32() != 0;
    rule.pair = in.str();
    rule.pair_field = in.str();
    rules.push_back(std::move(rule));
  }
  return in.ok() && in.rest().empty();
}

}  // namespace

namespace {

// `all_sources` makes the whole list (built-in files included) for a parse, on a miss only.
template <typename AllSources>
Result<RuleList> load_keyed(const std::string& key, const std::string& cache_dir, bool* from_cache,
                            RuleExamples examples, AllSources all_sources) {
  std::string path;
  if (from_cache) *from_cache = false;
  if (!cache_dir.empty()) {
    path = cache_dir + "/rules-" + key + ".bin";
    RuleList cached;
    if (auto entry = read_cache_entry(path, kCacheMagic); entry && decode(entry->payload, cached, examples)) {
      if (from_cache) *from_cache = true;
      return cached;
    }
  }
  KH_TRY_ASSIGN(auto rules, parse_rule_sources(all_sources()));
  if (!path.empty()) write_cache_entry(path, kCacheMagic, encode(rules));
  if (examples == RuleExamples::left_out) {
    for (auto& rule : rules) {  // the same rules whether parsed or served from the cache
      rule.examples.clear();
      rule.negative_examples.clear();
    }
  }
  return rules;
}

}  // namespace

Result<RuleList> load_rules_cached(const std::vector<RuleSource>& sources, const std::string& cache_dir,
                                   bool* from_cache) {
  std::string key = cache_dir.empty() ? std::string() : cache_key({}, sources);
  return load_keyed(key, cache_dir, from_cache, RuleExamples::kept, [&] { return sources; });
}

Result<RuleList> load_rules_cached(bool builtin, const std::vector<RuleSource>& sources,
                                   const std::string& cache_dir, bool* from_cache, RuleExamples examples) {
  std::string key = cache_dir.empty()
                        ? std::string()
                        : cache_key(builtin ? rules::embedded_rules_digest() : std::string_view(), sources);
  return load_keyed(key, cache_dir, from_cache, examples, [&] {
    std::vector<RuleSource> all = builtin ? builtin_rule_sources() : std::vector<RuleSource>();
    all.insert(all.end(), sources.begin(), sources.end());
    return all;
  });
}

}  // namespace keyhound
