// One signed AWS endpoint for the alert services: EventBridge speaks JSON 1.1 (X-Amz-Target),
// SNS the Query protocol (form-encoded Action=..., XML replies). Both go through the vault's
// SigV4 signer and HTTP client, with its retry rules (throttling, 5xx, connection failures).
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <utility>
#include <vector>

#include "vault/credentials.hpp"
#include "vault/http.hpp"
#include "vault/secrets_manager.hpp"

namespace keyhound {

// The endpoint of one service: the option, AWS_ENDPOINT_URL_<SERVICE>, AWS_ENDPOINT_URL, else
// https://<host_prefix>.<region>.amazonaws.com (.com.cn in China).
std::string service_endpoint_url(const std::string& option, const std::string& environment_name,
                                 const std::string& host_prefix, const std::string& region, const EnvLookup& env);

struct ServiceConnection {
  AwsSettings settings;  // credentials, region, CA bundle (its Secrets Manager endpoint unused)
  Endpoint endpoint;
};
// Credentials and region as the vault finds them (options, environment, profile), and this
// service's endpoint (https, or http to loopback only).
Result<ServiceConnection> connect_service(const AwsOverrides& overrides, const EnvLookup& env,
                                          const std::string& environment_name, const std::string& host_prefix);

class AwsServiceClient {
 public:
  // `signing_name`: the service in the SigV4 scope ("events", "sns").
  AwsServiceClient(AwsSettings settings, Endpoint endpoint, std::string signing_name, RetryPolicy policy = {});

  // JSON 1.1: POST / with X-Amz-Target: `target` ("AWSEvents.PutRule").
  AwsOutcome<nlohmann::json> json_call(const std::string& target, const nlohmann::json& request);
  // Query: Action=`action`&...&Version=`version`; the XML reply's body.
  AwsOutcome<std::string> query_call(const std::string& action, const std::string& version,
                                     const std::vector<std::pair<std::string, std::string>>& parameters);

  int requests_sent() const { return requests_sent_; }
  const std::string& region() const { return settings_.region; }
  const Endpoint& endpoint() const { return endpoint_; }
  const RetryPolicy& policy() const { return policy_; }

 private:
  struct Reply {
    long status = 0;
    std::string body;
  };
  // Sends one signed POST, retrying what may pass later; errors are read as JSON (`__type`) or XML (<Code>).
  AwsOutcome<Reply> send(const std::string& content_type, const std::string& target, const std::string& body,
                         bool json_errors);

  AwsSettings settings_;
  Endpoint endpoint_;
  std::string signing_name_;
  RetryPolicy policy_;
  HttpClient http_;
  int requests_sent_ = 0;
};

// "what failed: why", for a person; never the server's message (it may echo the request).
std::string explain_call(const std::string& call, const AwsError& error);

}  // namespace keyhound
