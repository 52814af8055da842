// Parsed rule sets kept on disk, keyed by the bytes of their sources, so that a pre-commit
// run does not parse YAML: the rule files are parsed once per change.
#pragma once

#include <string>
#include <vector>

#include "rules/loader.hpp"

namespace keyhound {

// parse_rule_sources(sources), served from `cache_dir` when an intact entry for exactly these
// sources exists. An empty cache_dir parses every time. `from_cache`, when given, says which
// happened (for tests and --verbose).
Result<RuleList> load_rules_cached(const std::vector<RuleSource>& sources, const std::string& cache_dir,
                                   bool* from_cache = nullptr);

// A scan never reads a rule's examples (only `rules check` runs them): leaving them out spares a
// pre-commit run 5,000 strings (a third of the rules' bytes) from the cache.
enum class RuleExamples { kept, left_out };

// The same for the built-in rules (when `builtin`) followed by `sources`. The built-in files are
// keyed by the digest the build computed, so a cached run neither reads nor hashes their megabyte
// of text (a pre-commit run waits on this).
Result<RuleList> load_rules_cached(bool builtin, const std::vector<RuleSource>& sources,
                                   const std::string& cache_dir, bool* from_cache = nullptr,
                                   RuleExamples examples = RuleExamples::kept);

}  // namespace keyhound
