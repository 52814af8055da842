// Request and response shapes from the Secrets Manager API reference; errors carry `__type`.
#include "vault/secrets_manager.hpp"

#include <nlohmann/json.hpp>

namespace keyhound {
namespace {

using Json = nlohmann::json;

SecretRef ref_of(const Json& reply) {
  SecretRef ref;
  if (auto it = reply.find("ARN"); it != reply.end() && it->is_string()) ref.arn = it->get<std::string>();
  if (auto it = reply.find("Name"); it != reply.end() && it->is_string()) ref.name = it->get<std::string>();
  if (auto it = reply.find("VersionId"); it != reply.end() && it->is_string())
    ref.version_id = it->get<std::string>();
  return ref;
}

// Builds the request body, then wipes the copy of the secret the JSON object held.
std::string body_with_secret(Json& document, const SecretString& value) {
  document["SecretString"] = value.str();
  std::string body = document.dump();
  wipe(document["SecretString"].get_ref<std::string&>());
  return body;
}

}  // namespace

std::string explain(const AwsError& error) {
  static constexpr ErrorMeaning kMeanings[] = {
      {"AccessDeniedException",
       "the credentials are not allowed to do this (see the IAM policy in docs/vault.md)"},
      {"ResourceExistsException", "a secret with this name already exists"},
      {"ResourceNotFoundException", "no such secret"},
      {"InvalidRequestException",
       "the request is not valid for the secret's current state (e.g. scheduled for deletion)"},
      {"InvalidParameterException", "a parameter is not valid (name, tags or KMS key)"},
      {"ValidationException", "a parameter is not valid"},
      {"LimitExceededException", "an account limit was reached (secrets or versions)"},
      {"EncryptionFailure",
       "KMS could not encrypt the secret (check the key and kms:Encrypt/GenerateDataKey)"},
      {"DecryptionFailure", "KMS could not decrypt the secret (check kms:Decrypt on its key)"},
      {"MalformedPolicyDocumentException", "a resource policy is malformed"},
      {"PreconditionNotMetException", "a precondition of the call is not met"},
      {"InternalServiceError", "Secrets Manager failed; still so after retries"},
  };
  return explain_aws_error(error, "Secrets Manager endpoint", kMeanings);
}

SecretsManagerClient::SecretsManagerClient(AwsSettings settings, Endpoint endpoint, RetryPolicy policy)
    : client_(std::move(settings), std::move(endpoint), "secretsmanager", policy) {}

AwsOutcome<nlohmann::json> SecretsManagerClient::call(const std::string& operation, const std::string& body) {
  return client_.json_call_body("secretsmanager." + operation, body);
}

AwsOutcome<SecretRef> SecretsManagerClient::create_secret(const CreateSecretInput& input,
                                                          const SecretString& value) {
  Json document = {{"Name", input.name},
                   {"ClientRequestToken", input.client_request_token},
                   {"Description", input.description}};
  if (!input.kms_key_id.empty()) document["KmsKeyId"] = input.kms_key_id;
  Json tags = Json::array();
  for (const auto& [key, tag_value] : input.tags) tags.push_back({{"Key", key}, {"Value", tag_value}});
  if (!tags.empty()) document["Tags"] = tags;
  std::string body = body_with_secret(document, value);
  auto reply = call("CreateSecret", body);
  wipe(body);
  if (!reply.ok()) return {std::nullopt, reply.error};
  return {ref_of(*reply.value), {}};
}

AwsOutcome<SecretRef> SecretsManagerClient::describe_secret(const std::string& secret_id) {
  auto reply = call("DescribeSecret", Json{{"SecretId", secret_id}}.dump());
  if (!reply.ok()) return {std::nullopt, reply.error};
  return {ref_of(*reply.value), {}};
}

AwsOutcome<SecretValue> SecretsManagerClient::get_secret_value(const std::string& secret_id) {
  auto reply = call("GetSecretValue", Json{{"SecretId", secret_id}}.dump());
  if (!reply.ok()) return {std::nullopt, reply.error};
  Json& json = *reply.value;
  SecretValue secret;
  secret.ref = ref_of(json);
  if (auto it = json.find("SecretString"); it != json.end() && it->is_string()) {
    std::string& text = it->get_ref<std::string&>();
    secret.value = SecretString(text);
    wipe(text);
  } else {
    secret.binary = json.contains("SecretBinary");
    if (auto it = json.find("SecretBinary"); it != json.end() && it->is_string())
      wipe(it->get_ref<std::string&>());
  }
  return {std::move(secret), {}};
}

AwsOutcome<SecretRef> SecretsManagerClient::put_secret_value(const std::string& secret_id,
                                                             const SecretString& value,
                                                             const std::string& client_request_token) {
  Json document = {{"SecretId", secret_id}, {"ClientRequestToken", client_request_token}};
  std::string body = body_with_secret(document, value);
  auto reply = call("PutSecretValue", body);
  wipe(body);
  if (!reply.ok()) return {std::nullopt, reply.error};
  return {ref_of(*reply.value), {}};
}

}  // namespace keyhound
