// Reads rule files (built-in and the user's) and validates them.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "rules/rule.hpp"
#include "util/result.hpp"

namespace keyhound {

// The text of one rule file and the name errors give it ("rules/aws.yml", a user's path).
struct RuleSource {
  std::string name;
  std::string text;
  bool embedded = false;  // built into the binary (and so checked by the test suite)
};

// The rule files embedded at build time.
std::vector<RuleSource> builtin_rule_sources();

// A file, or every *.yml / *.yaml under a directory, sub-directories included (sorted by path).
Result<std::vector<RuleSource>> rule_sources_from_path(const std::string& path);

// Parses one YAML document of rules. `file` names it in errors.
Result<RuleList> parse_rule_file(std::string_view yaml, const std::string& file);

// Parses every source and checks the set as a whole (unique ids).
Result<RuleList> parse_rule_sources(const std::vector<RuleSource>& sources);

// What parsing adds to the rule files' text (the {{pieces}} patterns share): the rule cache keys
// on it too, so a keyhound that expands them differently does not read another's cache.
std::string parsing_fingerprint();

// What needs the whole set: unique ids. Patterns are compiled (and their errors reported,
// naming the rule) when the matcher is built.
Status validate_rules(const RuleList& rules);

}  // namespace keyhound
