// `keyhound alerts`: the SNS topic and EventBridge rules that route GuardDuty findings about
// Secrets Manager calls, and keyhound's own events, to people; as a plan or a CloudFormation template.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

namespace keyhound {

struct AlertsSetup {
  std::string email;
  std::string region;
  std::string topic_name = "keyhound-alerts";
  std::string guardduty_rule = "keyhound-guardduty-secretsmanager";
  std::string findings_rule = "keyhound-findings";
  std::string events_bus = "default";  // where `scan --events-bus` publishes (the findings rule's bus)
};

// GuardDuty findings whose API call names secretsmanager.amazonaws.com (anomalous
// GetSecretValue and friends).
nlohmann::json guardduty_secretsmanager_pattern();
// keyhound's own events (source keyhound, detail-type "Secret Found").
nlohmann::json keyhound_findings_pattern();

// Whether an EventBridge pattern of exact values, arrays of alternatives and nested objects
// matches an event (the subset keyhound's patterns use).
bool pattern_matches(const nlohmann::json& pattern, const nlohmann::json& event);

// The topic, its policy, the subscription and both rules with their targets, as YAML.
std::string cloudformation_template(const AlertsSetup& setup);

// What `alerts setup` would do, one line per step (for --dry-run).
std::string describe_plan(const AlertsSetup& setup);

}  // namespace keyhound
