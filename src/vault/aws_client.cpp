// Errors carry `__type` (JSON 1.1) or <Code> (Query), as the services' API references say.
#include "vault/aws_client.hpp"

#include <random>
#include <set>
#include <thread>

#include "vault/aws_query.hpp"
#include "vault/sigv4.hpp"
#include "vault/wipe.hpp"

namespace keyhound {
namespace {

std::string json_error_type(const std::string& body) {
  auto parsed = nlohmann::json::parse(body, nullptr, false);
  if (parsed.is_discarded() || !parsed.is_object()) return {};
  std::string type;
  if (auto it = parsed.find("__type"); it != parsed.end() && it->is_string()) type = it->get<std::string>();
  if (auto hash = type.rfind('#'); hash != std::string::npos) type = type.substr(hash + 1);
  if (auto colon = type.find(':'); colon != std::string::npos) type = type.substr(0, colon);
  return type;
}

constexpr ErrorMeaning kSharedMeanings[] = {
    {"InvalidSignatureException",
     "the request signature was rejected (wrong secret access key, or a clock skew)"},
    {"SignatureDoesNotMatch",
     "the request signature was rejected (wrong secret access key, or a clock skew)"},
    {"UnrecognizedClientException", "the access key ID or session token is not valid"},
    {"InvalidClientTokenId", "the access key ID is not valid"},
    {"ExpiredTokenException", "the session token has expired"},
    {"IncompleteSignature", "the request signature is incomplete"},
    {"ThrottlingException", "requests are throttled; still so after retries"},
    {"Throttling", "requests are throttled; still so after retries"},
};

}  // namespace

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

std::string explain_aws_error(const AwsError& error, const std::string& endpoint_name,
                              std::span<const ErrorMeaning> service_meanings) {
  if (error.type.empty())
    return "cannot reach the " + endpoint_name +
           (error.attempts > 1 ? " after " + std::to_string(error.attempts) + " attempts" : std::string()) +
           ": " + error.transport;
  std::string text = error.type;
  if (error.http_status) text += " (HTTP " + std::to_string(error.http_status) + ")";
  for (auto meanings : {service_meanings, std::span<const ErrorMeaning>(kSharedMeanings)})
    for (const auto& [type, meaning] : meanings)
      if (error.type == type) return text + ": " + meaning;
  if (error.http_status >= 500)
    return text + ": the service failed; still so after " + std::to_string(error.attempts) + " attempts";
  return text;
}

std::string service_endpoint_url(const std::string& option, const std::string& environment_name,
                                 const std::string& host_prefix, const std::string& region,
                                 const EnvLookup& env) {
  if (!option.empty()) return option;
  for (const std::string& name : {environment_name, std::string("AWS_ENDPOINT_URL")})
    if (auto value = env(name); value && !value->empty()) return *value;
  bool china = region.rfind("cn-", 0) == 0;
  return "https://" + host_prefix + "." + region + (china ? ".amazonaws.com.cn" : ".amazonaws.com");
}

Result<ServiceConnection> connect_service(const AwsOverrides& overrides, const EnvLookup& env,
                                          const std::string& environment_name,
                                          const std::string& host_prefix) {
  AwsOverrides without_endpoint = overrides;
  without_endpoint.endpoint_url.clear();  // --endpoint-url, when given, is this service's
  auto settings = resolve_aws_settings(without_endpoint, env);
  if (!settings) return settings.error();
  std::string url =
      service_endpoint_url(overrides.endpoint_url, environment_name, host_prefix, settings->region, env);
  auto endpoint = parse_endpoint(url);
  if (!endpoint) return make_error(host_prefix + ": " + endpoint.error().message);
  return ServiceConnection{std::move(*settings), std::move(*endpoint)};
}

AwsServiceClient::AwsServiceClient(AwsSettings settings, Endpoint endpoint, std::string signing_name,
                                   RetryPolicy policy)
    : settings_(std::move(settings)),
      endpoint_(std::move(endpoint)),
      signing_name_(std::move(signing_name)),
      policy_(policy),
      http_(settings_.ca_bundle) {}

AwsOutcome<AwsServiceClient::Reply> AwsServiceClient::send_once(const std::string& content_type,
                                                                const std::string& target,
                                                                const std::string& body, bool json_errors) {
  SignableRequest request;
  request.method = "POST";
  request.target = "/";
  request.headers = {{"Host", endpoint_.host}, {"Content-Type", content_type}};
  if (!target.empty()) request.headers.emplace_back("X-Amz-Target", target);
  request.body = body;
  sign_request(request, SigningScope{amz_date_now(), settings_.region, signing_name_}, settings_.credentials);
  wipe(request.body);
  request.headers.erase(request.headers.begin());  // libcurl sends Host from the URL; same value
  TransportError transport;
  ++requests_sent_;
  HttpResponse response = http_.post(endpoint_, request.headers, body, transport);
  for (auto& header : request.headers) wipe(header.second);
  AwsOutcome<Reply> outcome;
  if (response.status == 0) {
    outcome.error.transport = transport.message.empty() ? "no response" : transport.message;
    outcome.error.transport_may_pass_later = transport.may_pass_later;
  } else if (response.status >= 200 && response.status < 300) {
    outcome.value = Reply{response.status, std::move(response.body)};
  } else {
    outcome.error.http_status = response.status;
    outcome.error.type = json_errors ? json_error_type(response.body) : xml_first_tag(response.body, "Code");
    if (outcome.error.type.empty()) outcome.error.type = "HTTP" + std::to_string(response.status);
    wipe(response.body);
  }
  return outcome;
}

AwsOutcome<AwsServiceClient::Reply> AwsServiceClient::send(const std::string& operation,
                                                           const std::string& content_type,
                                                           const std::string& target, const std::string& body,
                                                           bool json_errors) {
  std::random_device seed;
  std::mt19937 random(seed());
  AwsOutcome<Reply> outcome;
  for (int attempt = 1; attempt <= policy_.max_attempts; ++attempt) {
    outcome = send_once(content_type, target, body, json_errors);
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

AwsOutcome<nlohmann::json> AwsServiceClient::json_call(const std::string& target,
                                                       const nlohmann::json& request) {
  return json_call_body(target, request.dump());
}

AwsOutcome<nlohmann::json> AwsServiceClient::json_call_body(const std::string& target,
                                                            const std::string& body) {
  auto reply = send(target.substr(target.find('.') + 1), "application/x-amz-json-1.1", target, body, true);
  if (!reply.ok()) return {std::nullopt, reply.error};
  auto parsed =
      nlohmann::json::parse(reply.value->body, nullptr, false);  // every call keyhound makes has a body
  wipe(reply.value->body);
  if (parsed.is_discarded() || !parsed.is_object()) {
    AwsError error;
    error.type = "MalformedResponse";
    error.http_status = reply.value->status;
    return {std::nullopt, error};
  }
  return {std::move(parsed), {}};
}

AwsOutcome<std::string> AwsServiceClient::query_call(
    const std::string& action, const std::string& version,
    const std::vector<std::pair<std::string, std::string>>& parameters) {
  std::string body = "Action=" + form_encode(action);
  for (const auto& [name, value] : parameters) body += "&" + form_encode(name) + "=" + form_encode(value);
  body += "&Version=" + form_encode(version);
  auto reply = send(action, "application/x-www-form-urlencoded; charset=utf-8", "", body, false);
  if (!reply.ok()) return {std::nullopt, reply.error};
  return {std::move(reply.value->body), {}};
}

}  // namespace keyhound
