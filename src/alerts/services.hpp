// The SNS and EventBridge calls `alerts setup` and `scan --events-bus` make, as typed functions
// over one signed endpoint each.
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "vault/aws_client.hpp"

namespace keyhound {

// "what failed: why", for a person; never the server's message (it may echo the request).
std::string explain_call(const std::string& call, const AwsError& error);

struct SnsSubscription {
  std::string arn;  // "PendingConfirmation" until the mail is confirmed
  std::string protocol;
  std::string endpoint;
};

class SnsClient {
 public:
  explicit SnsClient(AwsServiceClient& aws) : aws_(aws) {}
  AwsOutcome<std::string> create_topic(
      const std::string& name);  // the topic's ARN (same for an existing one)
  AwsOutcome<std::string> topic_policy(const std::string& topic_arn);  // "" when it has none
  AwsOutcome<bool> set_topic_policy(const std::string& topic_arn, const std::string& policy);
  AwsOutcome<std::vector<SnsSubscription>> subscriptions(const std::string& topic_arn);  // every page
  AwsOutcome<std::string> subscribe_email(const std::string& topic_arn, const std::string& address);

 private:
  AwsServiceClient& aws_;
};

struct EventRule {
  std::string name;
  std::string bus = "default";
  nlohmann::json pattern;
  std::string state = "ENABLED";
  std::string description;
  std::string arn;  // from DescribeRule / PutRule
};

struct EventTarget {
  std::string id;
  std::string arn;
};

// One PutEvents entry; its size is what EventBridge counts against the 256 KB of a request.
struct EventEntry {
  std::string source;
  std::string detail_type;
  std::string detail;  // JSON text
  std::string bus;
  std::size_t size() const { return source.size() + detail_type.size() + detail.size(); }
};

// Per entry of a PutEvents request: its event ID, or the error code EventBridge gave it.
struct EntryResult {
  std::string event_id;
  std::string error_code;
};

class EventBridgeClient {
 public:
  explicit EventBridgeClient(AwsServiceClient& aws) : aws_(aws) {}
  AwsOutcome<std::optional<EventRule>> describe_rule(const std::string& name, const std::string& bus);
  AwsOutcome<std::string> put_rule(const EventRule& rule);  // the rule's ARN
  AwsOutcome<std::vector<EventTarget>> targets(const std::string& rule,
                                               const std::string& bus);  // every page
  AwsOutcome<bool> put_targets(const std::string& rule, const std::string& bus,
                               const std::vector<EventTarget>& targets);
  AwsOutcome<std::vector<EntryResult>> put_events(const std::vector<const EventEntry*>& entries);

  AwsServiceClient& aws() { return aws_; }

 private:
  AwsServiceClient& aws_;
};

}  // namespace keyhound
