// Reads rule files (built-in and the user's) and validates them.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "rules/rule.hpp"
#include "util/result.hpp"

namespace keyhound {

// Parses one YAML document of rules. `file` names it in errors ("rules/aws.yml").
Result<RuleList> parse_rule_file(std::string_view yaml, const std::string& file);

// The rules embedded at build time.
Result<RuleList> load_builtin_rules();

// A file, or every *.yml / *.yaml in a directory (sorted by name).
Result<RuleList> load_rules_from_path(const std::string& path);

// Checks what needs the whole set: unique ids, and that every pattern compiles under RE2
// with a usable secret group. Hyperscan compilation is checked when the matcher is built.
Status validate_rules(const RuleList& rules);

}  // namespace keyhound
