// AWS Secrets Manager over the JSON 1.1 protocol: the four calls keyhound makes, through the
// signed, retrying AWS client (aws_client.hpp).
#pragma once

#include <functional>
#include <string>
#include <utility>
#include <vector>

#include "vault/aws_client.hpp"
#include "vault/wipe.hpp"

namespace keyhound {

// What the error means, for a person: never the server's message (it may echo the request).
std::string explain(const AwsError& error);

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

  int requests_sent() const { return client_.requests_sent(); }
  // Told about each retry (operation, error type, wait): for --verbose. Never request contents.
  void on_retry(std::function<void(const std::string&)> observer) { client_.on_retry(std::move(observer)); }

 private:
  // Sends `body` (wiped afterwards by the caller) as `operation`, retrying what may pass later.
  AwsOutcome<nlohmann::json> call(const std::string& operation, const std::string& body);

  AwsServiceClient client_;
};

}  // namespace keyhound
