// Request shapes from the EventBridge and SNS API references; errors carry `__type` (JSON) or
// <Code> (Query).
#include "alerts/aws_client.hpp"

#include <random>
#include <thread>

#include "vault/aws_query.hpp"
#include "vault/sigv4.hpp"

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

}  // namespace

std::string service_endpoint_url(const std::string& option, const std::string& environment_name,
                                 const std::string& host_prefix, const std::string& region, const EnvLookup& env) {
  if (!option.empty()) return option;
  for (const std::string& name : {environment_name, std::string("AWS_ENDPOINT_URL")})
    if (auto value = env(name); value && !value->empty()) return *value;
  bool china = region.rfind("cn-", 0) == 0;
  return "https://" + host_prefix + "." + region + (china ? ".amazonaws.com.cn" : ".amazonaws.com");
}

Result<ServiceConnection> connect_service(const AwsOverrides& overrides, const EnvLookup& env,
                                          const std::string& environment_name, const std::string& host_prefix) {
  AwsOverrides without_endpoint = overrides;
  without_endpoint.endpoint_url.clear();  // --endpoint-url, when given, is this service's
  auto settings = resolve_aws_settings(without_endpoint, env);
  if (!settings) return settings.error();
  std::string url = service_endpoint_url(overrides.endpoint_url, environment_name, host_prefix, settings->region, env);
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

AwsOutcome<AwsServiceClient::Reply> AwsServiceClient::send(const std::string& content_type,
                                                           const std::string& target, const std::string& body,
                                                           bool json_errors) {
  std::random_device seed;
  std::mt19937 random(seed());
  AwsOutcome<Reply> outcome;
  for (int attempt = 1; attempt <= policy_.max_attempts; ++attempt) {
    outcome = {};
    SignableRequest request;
    request.method = "POST";
    request.target = "/";
    request.headers = {{"Host", endpoint_.host}, {"Content-Type", content_type}};
    if (!target.empty()) request.headers.emplace_back("X-Amz-Target", target);
    request.body = body;
    sign_request(request, SigningScope{amz_date_now(), settings_.region, signing_name_}, settings_.credentials);
    request.headers.erase(request.headers.begin());  // libcurl sends Host from the URL; same value
    TransportError transport;
    ++requests_sent_;
    HttpResponse response = http_.post(endpoint_, request.headers, body, transport);
    for (auto& header : request.headers) wipe(header.second);
    outcome.error.attempts = attempt;
    if (response.status == 0) {
      outcome.error.transport = transport.message.empty() ? "no response" : transport.message;
      outcome.error.transport_may_pass_later = transport.may_pass_later;
    } else if (response.status >= 200 && response.status < 300) {
      outcome.value = Reply{response.status, std::move(response.body)};
      return outcome;
    } else {
      outcome.error.http_status = response.status;
      outcome.error.type = json_errors ? json_error_type(response.body) : xml_first_tag(response.body, "Code");
      if (outcome.error.type.empty()) outcome.error.type = "HTTP" + std::to_string(response.status);
    }
    if (!is_retryable(outcome.error) || attempt == policy_.max_attempts) break;
    // Full jitter: a random wait up to the exponential bound spreads out clients that failed together.
    auto bound = std::min(policy_.max_delay.count(), policy_.base_delay.count() << (attempt - 1));
    std::uniform_int_distribution<long long> pick(0, bound);
    std::this_thread::sleep_for(std::chrono::milliseconds(pick(random)));
  }
  return outcome;
}

AwsOutcome<nlohmann::json> AwsServiceClient::json_call(const std::string& target, const nlohmann::json& request) {
  auto reply = send("application/x-amz-json-1.1", target, request.dump(), true);
  if (!reply.ok()) return {std::nullopt, reply.error};
  auto parsed = nlohmann::json::parse(reply.value->body.empty() ? std::string("{}") : reply.value->body, nullptr,
                                      false);
  if (parsed.is_discarded() || !parsed.is_object()) {
    AwsError error;
    error.type = "MalformedResponse";
    error.http_status = reply.value->status;
    return {std::nullopt, error};
  }
  return {std::move(parsed), {}};
}

AwsOutcome<std::string> AwsServiceClient::query_call(const std::string& action, const std::string& version,
                                                     const std::vector<std::pair<std::string, std::string>>& parameters) {
  std::string body = "Action=" + form_encode(action);
  for (const auto& [name, value] : parameters) body += "&" + form_encode(name) + "=" + form_encode(value);
  body += "&Version=" + form_encode(version);
  auto reply = send("application/x-www-form-urlencoded; charset=utf-8", "", body, false);
  if (!reply.ok()) return {std::nullopt, reply.error};
  return {std::move(reply.value->body), {}};
}

std::string explain_call(const std::string& call, const AwsError& error) {
  if (error.type.empty())
    return call + ": cannot reach the endpoint" +
           (error.attempts > 1 ? " after " + std::to_string(error.attempts) + " attempts" : std::string()) + ": " +
           error.transport;
  static const std::pair<const char*, const char*> kMeanings[] = {
      {"AccessDeniedException", "the credentials are not allowed to do this (see the IAM policy in docs/alerts.md)"},
      {"AuthorizationError", "the credentials are not allowed to do this (see the IAM policy in docs/alerts.md)"},
      {"AccessDenied", "the credentials are not allowed to do this (see the IAM policy in docs/alerts.md)"},
      {"ResourceNotFoundException", "no such resource (an event bus that does not exist?)"},
      {"NotFound", "no such resource"},
      {"InvalidSignatureException", "the request signature was rejected (wrong secret access key, or a clock skew)"},
      {"SignatureDoesNotMatch", "the request signature was rejected (wrong secret access key, or a clock skew)"},
      {"UnrecognizedClientException", "the access key ID or session token is not valid"},
      {"InvalidClientTokenId", "the access key ID is not valid"},
      {"ExpiredTokenException", "the session token has expired"},
      {"ThrottlingException", "requests are throttled; still so after retries"},
      {"Throttling", "requests are throttled; still so after retries"},
  };
  std::string text = call + ": " + error.type;
  if (error.http_status) text += " (HTTP " + std::to_string(error.http_status) + ")";
  for (const auto& [type, meaning] : kMeanings)
    if (error.type == type) return text + ": " + meaning;
  if (error.http_status >= 500)
    return text + ": the service failed; still so after " + std::to_string(error.attempts) + " attempts";
  return text;
}

}  // namespace keyhound
