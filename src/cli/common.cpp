// Error printing and the rule options every command shares.
#include "cli/common.hpp"

#include <iostream>

namespace keyhound::cli {

int fail(const std::string& message) {
  std::cerr << "keyhound: error: " << message << '\n';
  return kError;
}

void warn(const std::string& message) {
  std::cerr << "keyhound: warning: " << message << '\n';
}

std::string single_quoted(const std::string& text) {
  std::string out = "'";
  for (char c : text) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

void add_rule_options(CLI::App& command, RuleOptions& options) {
  command.add_option("--rules", options.rule_paths, "Rule file or directory, added to the built-in rules")
      ->type_name("FILE|DIR")
      ->allow_extra_args(false);
  command.add_flag("--no-builtin-rules", options.no_builtin, "Use only the rules given with --rules");
  command.add_flag("--no-cache", options.no_cache,
                   "Compile the rules afresh; do not read or write the cache");
}

}  // namespace keyhound::cli
