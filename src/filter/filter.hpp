// The repository config applied to findings: disabled rules, allowlisted secrets (regexes,
// stopwords) and paths. Runs between the scan and the baseline (min_confidence: cli/cmd_scan.cpp,
// on each finding's own confidence).
#pragma once

#include <re2/re2.h>

#include <cstdint>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "config/config.hpp"
#include "finding/finding.hpp"
#include "rules/rule.hpp"

namespace keyhound {

class FindingFilter {
 public:
  // Checks the config against the rules in use: an unknown rule id in `disable` or a regex
  // RE2 rejects is an error naming the config file.
  static Result<FindingFilter> make(const RepositoryConfig& config, const RuleList& rules);

  // Drops what the config allows; a finding keeps only its locations outside allowed paths.
  // Returns how many findings were dropped.
  std::uint64_t apply(std::vector<Finding>& findings) const;

  bool empty() const;

 private:
  bool allows_secret(const std::string& secret) const;

  std::set<std::string> dropped_rules_;  // disabled
  std::vector<std::unique_ptr<RE2>> regexes_;
  std::vector<std::string> stopwords_;  // lowercase
  std::vector<std::string> path_globs_;
};

}  // namespace keyhound
