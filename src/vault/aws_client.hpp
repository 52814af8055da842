// One signed AWS endpoint, the client every AWS call of keyhound goes through (Secrets Manager,
// IAM, EventBridge, SNS): SigV4, the JSON 1.1 protocol (X-Amz-Target) or the Query protocol
// (form-encoded Action=..., XML replies), retries with backoff and jitter on throttling, 5xx and
// connection failures only, and what an error means for a person.
#pragma once

#include <chrono>
#include <functional>
#include <nlohmann/json.hpp>
#include <optional>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include "vault/credentials.hpp"
#include "vault/http.hpp"

namespace keyhound {

// An AWS error type ("AccessDeniedException"), or a transport failure (type empty).
struct AwsError {
  std::string type;
  long http_status = 0;
  std::string transport;  // libcurl's reason when no response arrived
  bool transport_may_pass_later = true;
  int attempts = 1;
};

bool is_retryable(const AwsError& error);
// Errors no later request can escape (bad credentials, signature, endpoint unreachable): the
// run stops instead of failing every remaining item the same way.
bool stops_the_run(const AwsError& error);

// An error type and what it means for a person.
struct ErrorMeaning {
  const char* type;
  const char* meaning;
};
// "TYPE (HTTP n): meaning" from `service_meanings`, then the ones every service shares
// (signature, credentials, throttling); a transport failure says it cannot reach `endpoint_name`.
// Never the server's message: it may echo the request.
std::string explain_aws_error(const AwsError& error, const std::string& endpoint_name,
                              std::span<const ErrorMeaning> service_meanings);

template <typename T>
struct AwsOutcome {
  std::optional<T> value;
  AwsError error;
  bool ok() const { return value.has_value(); }
};

struct RetryPolicy {
  int max_attempts = 5;
  std::chrono::milliseconds base_delay{200};
  std::chrono::milliseconds max_delay{5000};
};

// The endpoint of one service: the option, AWS_ENDPOINT_URL_<SERVICE>, AWS_ENDPOINT_URL, else
// https://<host_prefix>.<region>.amazonaws.com (.com.cn in China).
std::string service_endpoint_url(const std::string& option, const std::string& environment_name,
                                 const std::string& host_prefix, const std::string& region,
                                 const EnvLookup& env);

struct ServiceConnection {
  AwsSettings settings;  // credentials, region, CA bundle (its Secrets Manager endpoint unused)
  Endpoint endpoint;
};
// Credentials and region as the vault finds them (options, environment, profile), and this
// service's endpoint (https, or http to loopback only).
Result<ServiceConnection> connect_service(const AwsOverrides& overrides, const EnvLookup& env,
                                          const std::string& environment_name,
                                          const std::string& host_prefix);

class AwsServiceClient {
 public:
  // `signing_name`: the service in the SigV4 scope ("secretsmanager", "events", "sns", "iam");
  // requests are signed for settings.region.
  AwsServiceClient(AwsSettings settings, Endpoint endpoint, std::string signing_name,
                   RetryPolicy policy = {});

  // JSON 1.1: POST / with X-Amz-Target: `target` ("AWSEvents.PutRule").
  AwsOutcome<nlohmann::json> json_call(const std::string& target, const nlohmann::json& request);
  // The same with the body already serialized: the caller wipes it (it may hold a secret), and the
  // reply's raw text is wiped once parsed.
  AwsOutcome<nlohmann::json> json_call_body(const std::string& target, const std::string& body);
  // Query: Action=`action`&...&Version=`version`; the XML reply's body.
  AwsOutcome<std::string> query_call(const std::string& action, const std::string& version,
                                     const std::vector<std::pair<std::string, std::string>>& parameters);

  int requests_sent() const { return requests_sent_; }
  const std::string& region() const { return settings_.region; }
  const Endpoint& endpoint() const { return endpoint_; }
  const RetryPolicy& policy() const { return policy_; }
  // Told about each retry (operation, error type, wait): for --verbose. Never request contents.
  void on_retry(std::function<void(const std::string&)> observer) { on_retry_ = std::move(observer); }

 private:
  struct Reply {
    long status = 0;
    std::string body;
  };
  // Sends one signed POST, retrying what may pass later; errors are read as JSON (`__type`) or
  // XML (<Code>). `operation`: the name retries are reported under.
  AwsOutcome<Reply> send(const std::string& operation, const std::string& content_type,
                         const std::string& target, const std::string& body, bool json_errors);
  AwsOutcome<Reply> send_once(const std::string& content_type, const std::string& target,
                              const std::string& body, bool json_errors);

  AwsSettings settings_;
  Endpoint endpoint_;
  std::string signing_name_;
  RetryPolicy policy_;
  HttpClient http_;
  int requests_sent_ = 0;
  std::function<void(const std::string&)> on_retry_;
};

}  // namespace keyhound
