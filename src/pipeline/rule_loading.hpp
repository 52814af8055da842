// Which rules a scan uses and where their compiled form is cached: the built-in rules plus the
// user's, the cache directory, and the key of fingerprints for scans without a baseline.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "match/matcher.hpp"
#include "rules/rule.hpp"
#include "rules/rule_cache.hpp"
#include "util/result.hpp"

namespace keyhound {

struct RuleOptions {
  std::vector<std::string> rule_paths;  // --rules FILE|DIR, repeatable
  bool no_builtin = false;              // --no-builtin-rules
  bool no_cache = false;                // --no-cache
};

// Built-in rules (unless disabled) plus the user's, validated. A scan leaves the examples out
// (rule_cache.hpp).
Result<RuleList> load_rules(const RuleOptions& options, RuleExamples examples = RuleExamples::kept);

Result<std::unique_ptr<Matcher>> load_matcher(const RuleOptions& options,
                                              RuleExamples examples = RuleExamples::kept);

// Where compiled databases are cached: $KEYHOUND_CACHE_DIR, $XDG_CACHE_HOME/keyhound or
// ~/.cache/keyhound.
std::string default_cache_dir();

// The key for fingerprints of scans without a baseline: 64 random hex digits kept (mode 0600) in
// the cache directory as fingerprint.key, made on first use. With no cache directory to keep it
// in, a fresh key for this run only (fingerprints then change from run to run; `warn` says so).
std::string user_fingerprint_key(const std::function<void(const std::string&)>& warn);

}  // namespace keyhound
