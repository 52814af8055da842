// AWS Secrets Manager over the JSON 1.1 protocol: the four calls keyhound makes, signed with
// SigV4, retried with backoff and jitter on throttling, 5xx and connection failures only.
#pragma once

#include <chrono>
#include <functional>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "vault/credentials.hpp"
#include "vault/http.hpp"
#include "vault/wipe.hpp"

namespace keyhound {

// An AWS error type ("AccessDeniedException"), or a transport failure (type empty).
struct AwsError {
  std::string type;
  long http_status = 0;
  std::string transport;  // libcurl's reason when no response arrived
  bool transport_may_pass_later = true;
  int attempts = 1;
};

// What the error means, for a person: never the server's message (it may echo the request).
std::string explain(const AwsError& error);
bool is_retryable(const AwsError& error);
// Errors no later request can escape (bad credentials, signature, endpoint unreachable): the
// run stops instead of failing every remaining secret the same way.
bool stops_the_run(const AwsError& error);

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

struct SecretRef {
  std::string arn;
  std::string name;
  std::string version_id;
};

struct SecretValue {
  SecretRef ref;
  SecretString value;  // SecretString of the current version; empty when it holds binary
  bool binary = false;
};

struct CreateSecretInput {
  std::string name;
  std::string description;
  std::string kms_key_id;            // empty: the account's aws/secretsmanager key
  std::string client_request_token;  // idempotency: the same token never makes a second version
  std::vector<std::pair<std::string, std::string>> tags;
};

class SecretsManagerClient {
 public:
  SecretsManagerClient(AwsSettings settings, Endpoint endpoint, RetryPolicy policy = {});

  AwsOutcome<SecretRef> create_secret(const CreateSecretInput& input, const SecretString& value);
  AwsOutcome<SecretRef> describe_secret(const std::string& secret_id);
  AwsOutcome<SecretValue> get_secret_value(const std::string& secret_id);
  AwsOutcome<SecretRef> put_secret_value(const std::string& secret_id, const SecretString& value,
                                         const std::string& client_request_token);

  int requests_sent() const { return requests_sent_; }
  // Told about each retry (operation, error type, wait): for --verbose. Never request contents.
  void on_retry(std::function<void(const std::string&)> observer) { on_retry_ = std::move(observer); }

 private:
  struct Reply;
  // Sends `body` (wiped afterwards by the caller) as `operation`, retrying what may pass later.
  AwsOutcome<Reply> call(const std::string& operation, const std::string& body);
  AwsOutcome<Reply> call_once(const std::string& operation, const std::string& body);

  AwsSettings settings_;
  Endpoint endpoint_;
  RetryPolicy policy_;
  HttpClient http_;
  int requests_sent_ = 0;
  std::function<void(const std::string&)> on_retry_;
};

}  // namespace keyhound
