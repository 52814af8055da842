#include "cli/common.hpp"

#include <cstdlib>
#include <iostream>

#include "rules/rule_cache.hpp"

namespace keyhound::cli {

int fail(const std::string& message) {
  std::cerr << "keyhound: error: " << message << '\n';
  return kError;
}

void warn(const std::string& message) { std::cerr << "keyhound: warning: " << message << '\n'; }

void add_rule_options(CLI::App& command, RuleOptions& options) {
  command.add_option("--rules", options.rule_paths, "Rule file or directory, added to the built-in rules")
      ->type_name("FILE|DIR")
      ->allow_extra_args(false);
  command.add_flag("--no-builtin-rules", options.no_builtin, "Use only the rules given with --rules");
  command.add_flag("--no-cache", options.no_cache, "Compile the rules afresh; do not read or write the cache");
}

Result<RuleList> load_rules(const RuleOptions& options) {
  std::vector<RuleSource> sources;  // the user's; the built-in ones are read only when parsed
  for (const auto& path : options.rule_paths) {
    auto extra = rule_sources_from_path(path);
    if (!extra) return extra.error();
    for (auto& source : *extra) sources.push_back(std::move(source));
  }
  if (options.no_builtin && sources.empty()) return make_error("no rules: --no-builtin-rules needs --rules FILE|DIR");
  auto rules = load_rules_cached(!options.no_builtin, sources, options.no_cache ? "" : default_cache_dir());
  if (!rules) return rules.error();
  if (rules->empty()) return make_error("no rules: the rule files hold none");
  return rules;
}

std::string default_cache_dir() {
  if (const char* dir = std::getenv("KEYHOUND_CACHE_DIR"); dir && *dir) return dir;
  if (const char* dir = std::getenv("XDG_CACHE_HOME"); dir && *dir) return std::string(dir) + "/keyhound";
  if (const char* home = std::getenv("HOME"); home && *home) return std::string(home) + "/.cache/keyhound";
  return {};
}

Result<std::unique_ptr<Matcher>> load_matcher(const RuleOptions& options) {
  auto rules = load_rules(options);
  if (!rules) return rules.error();
  MatcherOptions matcher_options;
  if (!options.no_cache) matcher_options.cache_dir = default_cache_dir();
  return Matcher::build(std::move(*rules), matcher_options);
}

}  // namespace keyhound::cli
