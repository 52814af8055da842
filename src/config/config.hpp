// The repository's own settings, `.keyhound.yml`: excludes, extra rules, allowlists, disabled
// rules, a minimum confidence and the EventBridge bus new findings go to. Unknown keys are errors, never
// silently ignored.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "rules/rule.hpp"
#include "util/result.hpp"

namespace keyhound {

inline constexpr const char* kConfigFileName = ".keyhound.yml";

struct RepositoryConfig {
  std::string file;                         // where it was read from; empty when there is none
  std::vector<std::string> excludes;        // globs, as --exclude
  std::vector<std::string> rule_paths;      // extra rule files/dirs, resolved against the file's folder
  std::vector<std::string> allow_regexes;   // RE2; a finding whose secret matches is dropped
  std::vector<std::string> allow_paths;     // globs; findings at these paths are dropped
  std::vector<std::string> stopwords;       // a finding whose secret contains one (any case) is dropped
  std::vector<std::string> disabled_rules;  // rule ids
  std::optional<Confidence> min_confidence;
  bool allow_foreign_comments = false;  // honour gitleaks:allow, trufflehog:ignore, ... too
  std::string events_bus;               // publish new findings to this EventBridge bus (as --events-bus)
};

// Parses the YAML text of a config; `file` names it in errors ("FILE:LINE: ...").
Result<RepositoryConfig> parse_config(std::string_view text, const std::string& file);

Result<RepositoryConfig> load_config(const std::string& file);

// The nearest .keyhound.yml from `scanned_path` (a file's folder, or the directory itself) up
// to the root of the git repository holding it; outside a repository only the path's own
// folder counts. An empty config when there is none.
Result<RepositoryConfig> find_nearest_config(const std::string& scanned_path);

// DIRECTORY/.keyhound.yml when it exists, else an empty config.
Result<RepositoryConfig> load_config_in(const std::string& directory);

}  // namespace keyhound
