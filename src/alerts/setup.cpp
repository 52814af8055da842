// The order matters: the policy names the rules' ARNs, which exist only once the rules do.
#include "alerts/setup.hpp"

#include <algorithm>
#include <cctype>

namespace keyhound {
namespace {

constexpr const char* kStatementId = "keyhound-eventbridge-publish";
constexpr const char* kTargetId = "keyhound-alerts-topic";

std::string lower(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(), [](unsigned char c) { return std::tolower(c); });
  return text;
}

Status ensure_rule(const EventRule& wanted, const std::string& topic_arn, EventBridgeClient& events,
                   std::vector<SetupStep>& steps, std::string& rule_arn) {
  std::string where = "events rule " + wanted.name + (wanted.bus == "default" ? "" : " on bus " + wanted.bus);
  auto found = events.describe_rule(wanted.name, wanted.bus);
  if (!found.ok()) return make_error(explain_call("events:DescribeRule " + wanted.name, found.error));
  const auto& existing = *found.value;
  bool same = existing && existing->pattern == wanted.pattern && existing->state == wanted.state &&
              existing->description == wanted.description;
  if (same) {
    rule_arn = existing->arn;
    steps.push_back({where, "kept", rule_arn});
  } else {
    auto put = events.put_rule(wanted);
    if (!put.ok()) return make_error(explain_call("events:PutRule " + wanted.name, put.error));
    rule_arn = *put.value;
    steps.push_back({where, existing ? "updated" : "created", rule_arn});
  }
  auto targets = events.targets(wanted.name, wanted.bus);
  if (!targets.ok())
    return make_error(explain_call("events:ListTargetsByRule " + wanted.name, targets.error));
  bool targeted = std::any_of(targets.value->begin(), targets.value->end(),
                              [&](const EventTarget& t) { return t.id == kTargetId && t.arn == topic_arn; });
  if (targeted) {
    steps.push_back({where + " target", "kept", topic_arn});
    return Ok{};
  }
  auto put = events.put_targets(wanted.name, wanted.bus, {{kTargetId, topic_arn}});
  if (!put.ok()) return make_error(explain_call("events:PutTargets " + wanted.name, put.error));
  steps.push_back({where + " target", "created", topic_arn});
  return Ok{};
}

}  // namespace

nlohmann::json eventbridge_publish_statement(const std::string& topic_arn,
                                             const std::vector<std::string>& rule_arns) {
  return {{"Sid", kStatementId},
          {"Effect", "Allow"},
          {"Principal", {{"Service", "events.amazonaws.com"}}},
          {"Action", "sns:Publish"},
          {"Resource", topic_arn},
          {"Condition", {{"ArnEquals", {{"aws:SourceArn", rule_arns}}}}}};
}

nlohmann::json policy_with_statement(const std::string& existing, const nlohmann::json& statement) {
  nlohmann::json policy =
      nlohmann::json::parse(existing.empty() ? std::string("{}") : existing, nullptr, false);
  if (policy.is_discarded() || !policy.is_object()) policy = nlohmann::json::object();
  if (!policy.contains("Version")) policy["Version"] = "2012-10-17";
  nlohmann::json statements = nlohmann::json::array();
  bool placed = false;  // replaced where it stands, so an unchanged policy compares equal
  if (auto it = policy.find("Statement"); it != policy.end()) {
    nlohmann::json list = it->is_array() ? *it : nlohmann::json::array({*it});
    for (const auto& item : list) {
      bool ours = item.is_object() && item.value("Sid", "") == kStatementId;
      if (!ours)
        statements.push_back(item);
      else if (!placed)
        statements.push_back(statement);
      placed |= ours;
    }
  }
  if (!placed) statements.push_back(statement);
  policy["Statement"] = statements;
  return policy;
}

Status run_alerts_setup(const AlertsSetup& setup, SnsClient& sns, EventBridgeClient& events,
                        std::vector<SetupStep>& steps) {
  // CreateTopic is idempotent for a name: an existing topic answers with its ARN, unchanged.
  auto topic = sns.create_topic(setup.topic_name);
  if (!topic.ok()) return make_error(explain_call("sns:CreateTopic " + setup.topic_name, topic.error));
  const std::string& topic_arn = *topic.value;
  steps.push_back({"sns topic " + setup.topic_name, "ensured", topic_arn});

  EventRule guardduty{setup.guardduty_rule,
                      "default",
                      guardduty_secretsmanager_pattern(),
                      "ENABLED",
                      "GuardDuty findings about Secrets Manager API calls (keyhound alerts)",
                      ""};
  EventRule findings{setup.findings_rule,
                     setup.events_bus,
                     keyhound_findings_pattern(),
                     "ENABLED",
                     "Secrets keyhound found (keyhound scan --events-bus)",
                     ""};
  std::vector<std::string> rule_arns(2);
  KH_TRY(ensure_rule(guardduty, topic_arn, events, steps, rule_arns[0]));
  KH_TRY(ensure_rule(findings, topic_arn, events, steps, rule_arns[1]));

  auto current = sns.topic_policy(topic_arn);
  if (!current.ok())
    return make_error(explain_call("sns:GetTopicAttributes " + setup.topic_name, current.error));
  nlohmann::json wanted =
      policy_with_statement(*current.value, eventbridge_publish_statement(topic_arn, rule_arns));
  nlohmann::json before =
      nlohmann::json::parse(current.value->empty() ? "{}" : *current.value, nullptr, false);
  if (before == wanted) {
    steps.push_back({"sns topic policy", "kept", "events.amazonaws.com may sns:Publish for the two rules"});
  } else {
    auto set = sns.set_topic_policy(topic_arn, wanted.dump());
    if (!set.ok()) return make_error(explain_call("sns:SetTopicAttributes " + setup.topic_name, set.error));
    steps.push_back(
        {"sns topic policy", "updated", "events.amazonaws.com may sns:Publish for the two rules"});
  }

  auto subscriptions = sns.subscriptions(topic_arn);
  if (!subscriptions.ok())
    return make_error(explain_call("sns:ListSubscriptionsByTopic " + setup.topic_name, subscriptions.error));
  auto same_address = [&](const SnsSubscription& s) {
    return s.protocol == "email" && lower(s.endpoint) == lower(setup.email);
  };
  auto found = std::find_if(subscriptions.value->begin(), subscriptions.value->end(), same_address);
  if (found != subscriptions.value->end()) {
    steps.push_back({"sns e-mail subscription " + setup.email, "kept",
                     found->arn == "PendingConfirmation" || found->arn == "pending confirmation"
                         ? "still waiting for the confirmation mail to be answered"
                         : found->arn});
    return Ok{};
  }
  auto subscribed = sns.subscribe_email(topic_arn, setup.email);
  if (!subscribed.ok()) return make_error(explain_call("sns:Subscribe " + setup.email, subscribed.error));
  steps.push_back({"sns e-mail subscription " + setup.email, "created",
                   "SNS sent a confirmation mail: alerts arrive once it is confirmed"});
  return Ok{};
}

}  // namespace keyhound
