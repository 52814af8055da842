// SNS (Query protocol, Version 2010-03-31) and EventBridge (JSON 1.1, AWSEvents.*), with the
// request and reply fields of their API references.
#include "alerts/services.hpp"

#include "vault/aws_query.hpp"

namespace keyhound {
namespace {

constexpr const char* kSnsVersion = "2010-03-31";

AwsError malformed(const char* what) {
  AwsError error;
  error.type = std::string("MalformedResponse (") + what + ")";
  error.http_status = 200;
  return error;
}

std::string string_field(const nlohmann::json& object, const char* key) {
  auto it = object.find(key);
  return it != object.end() && it->is_string() ? it->get<std::string>() : std::string();
}

nlohmann::json with_bus(nlohmann::json request, const std::string& bus) {
  if (!bus.empty() && bus != "default") request["EventBusName"] = bus;
  return request;
}

}  // namespace

std::string explain_call(const std::string& call, const AwsError& error) {
  static constexpr ErrorMeaning kMeanings[] = {
      {"AccessDeniedException",
       "the credentials are not allowed to do this (see the IAM policy in docs/alerts.md)"},
      {"AuthorizationError",
       "the credentials are not allowed to do this (see the IAM policy in docs/alerts.md)"},
      {"AccessDenied", "the credentials are not allowed to do this (see the IAM policy in docs/alerts.md)"},
      {"ResourceNotFoundException", "no such resource (an event bus that does not exist?)"},
      {"NotFound", "no such resource"},
  };
  return call + ": " + explain_aws_error(error, "endpoint", kMeanings);
}

AwsOutcome<std::string> SnsClient::create_topic(const std::string& name) {
  auto reply = aws_.query_call("CreateTopic", kSnsVersion, {{"Name", name}});
  if (!reply.ok()) return {std::nullopt, reply.error};
  std::string arn = xml_first_tag(*reply.value, "TopicArn");
  if (arn.empty()) return {std::nullopt, malformed("no TopicArn")};
  return {arn, {}};
}

AwsOutcome<std::string> SnsClient::topic_policy(const std::string& topic_arn) {
  auto reply = aws_.query_call("GetTopicAttributes", kSnsVersion, {{"TopicArn", topic_arn}});
  if (!reply.ok()) return {std::nullopt, reply.error};
  for (const auto& entry : xml_tag_values(*reply.value, "entry"))
    if (xml_first_tag(entry, "key") == "Policy") return {xml_first_tag(entry, "value"), {}};
  return {std::string(), {}};
}

AwsOutcome<bool> SnsClient::set_topic_policy(const std::string& topic_arn, const std::string& policy) {
  auto reply =
      aws_.query_call("SetTopicAttributes", kSnsVersion,
                      {{"TopicArn", topic_arn}, {"AttributeName", "Policy"}, {"AttributeValue", policy}});
  if (!reply.ok()) return {std::nullopt, reply.error};
  return {true, {}};
}

AwsOutcome<std::vector<SnsSubscription>> SnsClient::subscriptions(const std::string& topic_arn) {
  std::vector<SnsSubscription> out;
  std::string next;
  for (int page = 0; page < 1000; ++page) {
    std::vector<std::pair<std::string, std::string>> parameters = {{"TopicArn", topic_arn}};
    if (!next.empty()) parameters.emplace_back("NextToken", next);
    auto reply = aws_.query_call("ListSubscriptionsByTopic", kSnsVersion, parameters);
    if (!reply.ok()) return {std::nullopt, reply.error};
    for (const auto& member : xml_tag_values(*reply.value, "member"))
      out.push_back({xml_first_tag(member, "SubscriptionArn"), xml_first_tag(member, "Protocol"),
                     xml_first_tag(member, "Endpoint")});
    next = xml_first_tag(*reply.value, "NextToken");
    if (next.empty()) break;
  }
  return {std::move(out), {}};
}

AwsOutcome<std::string> SnsClient::subscribe_email(const std::string& topic_arn, const std::string& address) {
  auto reply = aws_.query_call("Subscribe", kSnsVersion,
                               {{"TopicArn", topic_arn}, {"Protocol", "email"}, {"Endpoint", address}});
  if (!reply.ok()) return {std::nullopt, reply.error};
  return {xml_first_tag(*reply.value, "SubscriptionArn"), {}};
}

AwsOutcome<std::optional<EventRule>> EventBridgeClient::describe_rule(const std::string& name,
                                                                      const std::string& bus) {
  auto reply = aws_.json_call("AWSEvents.DescribeRule", with_bus({{"Name", name}}, bus));
  if (!reply.ok()) {
    if (reply.error.type == "ResourceNotFoundException") return {std::optional<EventRule>(), {}};
    return {std::nullopt, reply.error};
  }
  const auto& json = *reply.value;
  EventRule rule;
  rule.name = string_field(json, "Name");
  rule.bus = string_field(json, "EventBusName");
  rule.state = string_field(json, "State");
  rule.description = string_field(json, "Description");
  rule.arn = string_field(json, "Arn");
  rule.pattern = nlohmann::json::parse(string_field(json, "EventPattern"), nullptr, false);
  return {std::optional<EventRule>(std::move(rule)), {}};
}

AwsOutcome<std::string> EventBridgeClient::put_rule(const EventRule& rule) {
  auto reply = aws_.json_call("AWSEvents.PutRule", with_bus({{"Name", rule.name},
                                                             {"EventPattern", rule.pattern.dump()},
                                                             {"State", rule.state},
                                                             {"Description", rule.description}},
                                                            rule.bus));
  if (!reply.ok()) return {std::nullopt, reply.error};
  std::string arn = string_field(*reply.value, "RuleArn");
  if (arn.empty()) return {std::nullopt, malformed("no RuleArn")};
  return {arn, {}};
}

AwsOutcome<std::vector<EventTarget>> EventBridgeClient::targets(const std::string& rule,
                                                                const std::string& bus) {
  std::vector<EventTarget> out;
  std::string next;
  for (int page = 0; page < 1000; ++page) {
    nlohmann::json request = with_bus({{"Rule", rule}}, bus);
    if (!next.empty()) request["NextToken"] = next;
    auto reply = aws_.json_call("AWSEvents.ListTargetsByRule", request);
    if (!reply.ok()) return {std::nullopt, reply.error};
    if (auto it = reply.value->find("Targets"); it != reply.value->end() && it->is_array())
      for (const auto& target : *it) out.push_back({string_field(target, "Id"), string_field(target, "Arn")});
    next = string_field(*reply.value, "NextToken");
    if (next.empty()) break;
  }
  return {std::move(out), {}};
}

AwsOutcome<bool> EventBridgeClient::put_targets(const std::string& rule, const std::string& bus,
                                                const std::vector<EventTarget>& targets) {
  nlohmann::json list = nlohmann::json::array();
  for (const auto& target : targets) list.push_back({{"Id", target.id}, {"Arn", target.arn}});
  auto reply = aws_.json_call("AWSEvents.PutTargets", with_bus({{"Rule", rule}, {"Targets", list}}, bus));
  if (!reply.ok()) return {std::nullopt, reply.error};
  if (auto it = reply.value->find("FailedEntryCount");
      it != reply.value->end() && it->is_number() && *it != 0) {
    AwsError error;
    error.http_status = 200;
    error.type = "FailedEntry";
    if (auto failed = reply.value->find("FailedEntries");
        failed != reply.value->end() && failed->is_array() && !failed->empty())
      error.type = string_field(failed->front(), "ErrorCode");
    return {std::nullopt, error};
  }
  return {true, {}};
}

AwsOutcome<std::vector<EntryResult>> EventBridgeClient::put_events(
    const std::vector<const EventEntry*>& entries) {
  nlohmann::json list = nlohmann::json::array();
  for (const EventEntry* entry : entries) {
    nlohmann::json item = {
        {"Source", entry->source}, {"DetailType", entry->detail_type}, {"Detail", entry->detail}};
    if (!entry->bus.empty()) item["EventBusName"] = entry->bus;
    list.push_back(std::move(item));
  }
  auto reply = aws_.json_call("AWSEvents.PutEvents", {{"Entries", list}});
  if (!reply.ok()) return {std::nullopt, reply.error};
  auto it = reply.value->find("Entries");
  if (it == reply.value->end() || !it->is_array() || it->size() != entries.size())
    return {std::nullopt, malformed("Entries do not match the request")};
  std::vector<EntryResult> out;
  for (const auto& result : *it) {
    EntryResult entry{string_field(result, "EventId"), string_field(result, "ErrorCode")};
    if (entry.event_id.empty() && entry.error_code.empty()) entry.error_code = "NoEventId";
    out.push_back(std::move(entry));
  }
  return {std::move(out), {}};
}

}  // namespace keyhound
