// Request and response shapes from the Secrets Manager API reference; errors carry `__type`.
#include "vault/secrets_manager.hpp"

#include <nlohmann/json.hpp>
#include <random>
#include <set>
#include <thread>

#include "vault/sigv4.hpp"

namespace keyhound {
namespace {

using Json = nlohmann::json;

std::string error_type_of(const std::string& body) {
  Json parsed = Json::parse(body, nullptr, false);
  if (parsed.is_discarded() || !parsed.is_object()) return {};
  std::string type;
  if (auto it = parsed.find("__type"); it != parsed.end() && it->is_string()) type = it->get<std::string>();
  if (auto hash = type.rfind('#'); hash != std::string::npos) type = type.substr(hash + 1);
  if (auto colon = type.find(':'); colon != std::string::npos) type = type.substr(0, colon);
  return type;
}

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

struct SecretsManagerClient::Reply {
  Json json;
};

std::string explain(const AwsError& error) {
  if (error.type.empty())
    return "cannot reach the Secrets Manager endpoint" +
           (error.attempts > 1 ? " after " + std::to_string(error.attempts) + " attempts" : std::string()) +
           ": " + error.transport;
  static const std::pair<const char*, const char*> kMeanings[] = {
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
      {"InvalidSignatureException",
       "the request signature was rejected (wrong secret access key, or a clock skew)"},
      {"SignatureDoesNotMatch",
       "the request signature was rejected (wrong secret access key, or a clock skew)"},
      {"UnrecognizedClientException", "the access key ID or session token is not valid"},
      {"InvalidClientTokenId", "the access key ID is not valid"},
      {"ExpiredTokenException", "the session token has expired"},
      {"IncompleteSignature", "the request signature is incomplete"},
      {"ThrottlingException", "requests are throttled; still so after retries"},
      {"InternalServiceError", "Secrets Manager failed; still so after retries"},
  };
  std::string text = error.type;
  if (error.http_status) text += " (HTTP " + std::to_string(error.http_status) + ")";
  for (const auto& [type, meaning] : kMeanings)
    if (error.type == type) return text + ": " + meaning;
  if (error.http_status >= 500)
    return text + ": the service failed; still so after " + std::to_string(error.attempts) + " attempts";
  return text;
}

bool is_retryable(const AwsError& error) {
  static const std::set<std::string> kRetryable = {"ThrottlingException",
                                                   "Throttling",
                                                   "TooManyRequestsException",
                                                   "RequestLimitExceeded",
                                                   "ProvisionedThroughputExceededException",
                                                   "InternalServiceError",
                                                   "InternalFailure",
                                                   "ServiceUnavailable",
                                                   "ServiceUnavailableException",
                                                   "RequestTimeout",
                                                   "RequestTimeoutException",
                                                   "PriorRequestNotComplete"};
  if (error.type.empty()) return error.transport_may_pass_later;  // refused, reset, timed out
  if (error.http_status >= 500 || error.http_status == 429) return true;
  return kRetryable.count(error.type) > 0;
}

bool stops_the_run(const AwsError& error) {
  static const std::set<std::string> kFatal = {"InvalidSignatureException",   "SignatureDoesNotMatch",
                                               "UnrecognizedClientException", "InvalidClientTokenId",
                                               "ExpiredTokenException",       "ExpiredToken",
                                               "IncompleteSignature",         "MissingAuthenticationToken"};
  return error.type.empty() || kFatal.count(error.type) > 0 || is_retryable(error);
}

SecretsManagerClient::SecretsManagerClient(AwsSettings settings, Endpoint endpoint, RetryPolicy policy)
    : settings_(std::move(settings)),
      endpoint_(std::move(endpoint)),
      policy_(policy),
      http_(settings_.ca_bundle) {}

AwsOutcome<SecretsManagerClient::Reply> SecretsManagerClient::call_once(const std::string& operation,
                                                                        const std::string& body) {
  SignableRequest request;
  request.method = "POST";
  request.target = "/";
  request.headers = {{"Host", endpoint_.host},
                     {"Content-Type", "application/x-amz-json-1.1"},
                     {"X-Amz-Target", "secretsmanager." + operation}};
  request.body = body;
  sign_request(request, SigningScope{amz_date_now(), settings_.region, "secretsmanager"},
               settings_.credentials);
  wipe(request.body);
  // libcurl sets Host itself from the URL; the signed value is the same.
  request.headers.erase(request.headers.begin());
  TransportError transport;
  ++requests_sent_;
  HttpResponse response = http_.post(endpoint_, request.headers, body, transport);
  for (auto& header : request.headers) wipe(header.second);
  AwsOutcome<Reply> outcome;
  if (response.status == 0) {
    outcome.error.transport = transport.message.empty() ? "no response" : transport.message;
    outcome.error.transport_may_pass_later = transport.may_pass_later;
    return outcome;
  }
  if (response.status >= 200 && response.status < 300) {
    Json parsed = Json::parse(response.body, nullptr, false);
    wipe(response.body);
    if (parsed.is_discarded() || !parsed.is_object()) {
      outcome.error.type = "MalformedResponse";
      outcome.error.http_status = response.status;
      return outcome;
    }
    outcome.value = Reply{std::move(parsed)};
    return outcome;
  }
  outcome.error.type = error_type_of(response.body);
  wipe(response.body);
  outcome.error.http_status = response.status;
  if (outcome.error.type.empty()) outcome.error.type = "HTTP" + std::to_string(response.status);
  return outcome;
}

AwsOutcome<SecretsManagerClient::Reply> SecretsManagerClient::call(const std::string& operation,
                                                                   const std::string& body) {
  std::random_device seed;
  std::mt19937 random(seed());
  AwsOutcome<Reply> outcome;
  for (int attempt = 1; attempt <= policy_.max_attempts; ++attempt) {
    outcome = call_once(operation, body);
    outcome.error.attempts = attempt;
    if (outcome.ok() || !is_retryable(outcome.error) || attempt == policy_.max_attempts) break;
    // Full jitter: a random wait up to the exponential bound spreads out clients that failed together.
    auto bound = std::min(policy_.max_delay.count(), policy_.base_delay.count() << (attempt - 1));
    std::uniform_int_distribution<long long> pick(0, bound);
    auto wait = std::chrono::milliseconds(pick(random));
    if (on_retry_)
      on_retry_(
          operation + ": " + (outcome.error.type.empty() ? outcome.error.transport : outcome.error.type) +
          (outcome.error.http_status ? " (HTTP " + std::to_string(outcome.error.http_status) + ")" : "") +
          ", retry " + std::to_string(attempt) + " of " + std::to_string(policy_.max_attempts - 1) + " in " +
          std::to_string(wait.count()) + " ms");
    std::this_thread::sleep_for(wait);
  }
  return outcome;
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
  return {ref_of(reply.value->json), {}};
}

AwsOutcome<SecretRef> SecretsManagerClient::describe_secret(const std::string& secret_id) {
  auto reply = call("DescribeSecret", Json{{"SecretId", secret_id}}.dump());
  if (!reply.ok()) return {std::nullopt, reply.error};
  return {ref_of(reply.value->json), {}};
}

AwsOutcome<SecretValue> SecretsManagerClient::get_secret_value(const std::string& secret_id) {
  auto reply = call("GetSecretValue", Json{{"SecretId", secret_id}}.dump());
  if (!reply.ok()) return {std::nullopt, reply.error};
  Json& json = reply.value->json;
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
  return {ref_of(reply.value->json), {}};
}

}  // namespace keyhound
