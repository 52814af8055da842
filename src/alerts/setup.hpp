// `alerts setup` through the APIs: each resource is read first and written only when it is
// missing or differs, so a second run changes nothing.
#pragma once

#include <string>
#include <vector>

#include "alerts/alerts.hpp"
#include "alerts/services.hpp"
#include "util/result.hpp"

namespace keyhound {

struct SetupStep {
  std::string what;    // "sns topic keyhound-alerts"
  std::string action;  // created | updated | kept
  std::string detail;  // the ARN, or why it changed
};

// The statement the topic's policy needs: events.amazonaws.com may sns:Publish to the topic,
// only on behalf of these rules (aws:SourceArn, against the confused deputy).
nlohmann::json eventbridge_publish_statement(const std::string& topic_arn,
                                             const std::vector<std::string>& rule_arns);
// `existing` (a policy document's text, or "") with that statement added or replaced; others kept.
nlohmann::json policy_with_statement(const std::string& existing, const nlohmann::json& statement);

// Topic, rules and their targets, then the topic policy naming the rules, then the subscription.
// Stops at the first failed call with an error naming it; `steps` holds what was done so far.
Status run_alerts_setup(const AlertsSetup& setup, SnsClient& sns, EventBridgeClient& events,
                        std::vector<SetupStep>& steps);

}  // namespace keyhound
