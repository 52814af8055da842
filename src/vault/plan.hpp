// The vault plan: which baseline entries to vault, and for each the secret's name, description,
// tags and idempotency tokens. Pure data in, data out: nothing here talks to AWS.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "baseline/baseline.hpp"
#include "util/result.hpp"

namespace keyhound {

constexpr const char* kDefaultNameTemplate = "keyhound/{repo}/{rule}/{fingerprint}";

struct PlanSettings {
  std::string name_template = kDefaultNameTemplate;  // {repo} {rule} {fingerprint} {path}
  std::string repo;                                  // name of the repository or scanned folder
};

struct PlannedSecret {
  std::string fingerprint;
  std::string rule_id;
  std::string masked;
  std::string secret_name;
  std::string description;
  std::string create_token;  // ClientRequestToken of CreateSecret
  std::string update_token;  // ClientRequestToken of PutSecretValue (--update)
  std::vector<std::pair<std::string, std::string>> tags;
  std::string source;       // "path:line", where the code held the secret
  std::string source_path;  // picks the language of the remediation snippet
  // A pair (rules/rule.hpp) found in one blob is one JSON secret: field name -> fingerprint,
  // sorted by field, `fingerprint` among them. Empty: the secret is the value itself.
  std::vector<std::pair<std::string, std::string>> fields;
};

// Fingerprints with status `confirmed`, in baseline order.
std::vector<std::string> confirmed_fingerprints(const Baseline& baseline);

// Entries that may be offered at the interactive prompt: open or confirmed.
std::vector<std::string> promptable_fingerprints(const Baseline& baseline);

// Every fingerprint must be in the baseline and not triaged as false_positive/accepted_risk.
Result<std::vector<PlannedSecret>> plan_vault(const Baseline& baseline,
                                              const std::vector<std::string>& fingerprints,
                                              const PlanSettings& settings);

// Characters Secrets Manager allows in a name: ASCII letters, digits and /_+=.@- (at most 512).
std::string sanitize_secret_name(std::string_view name);

// A UUID-shaped token derived from SHA-256 of the purpose and fingerprint: stable across runs,
// so a retried or repeated request never creates a second version.
std::string request_token(std::string_view purpose, std::string_view fingerprint);

}  // namespace keyhound
