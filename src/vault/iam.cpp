// IAM's Query protocol: form-encoded Action=...&Version=2010-05-08 POSTs, XML replies. The few
// fields keyhound reads are plain text between tags, so a tag search is all the XML it needs.
#include "vault/iam.hpp"

#include "vault/aws_query.hpp"

namespace keyhound {
namespace {

// A 200 whose XML lacks what the action promises.
AwsError malformed_response() {
  AwsError error;
  error.type = "MalformedResponse";
  error.http_status = 200;
  return error;
}

}  // namespace

std::string iam_endpoint_url(const std::string& option, const EnvLookup& environment) {
  if (!option.empty()) return option;
  for (const char* name : {"AWS_ENDPOINT_URL_IAM", "AWS_ENDPOINT_URL"})
    if (auto value = environment(name); value && !value->empty()) return *value;
  return "https://iam.amazonaws.com";
}

IamClient::IamClient(AwsSettings settings, Endpoint endpoint)
    : settings_(std::move(settings)), endpoint_(std::move(endpoint)), http_(settings_.ca_bundle) {}

AwsOutcome<std::string> IamClient::call(const std::string& action,
                                        const std::vector<std::pair<std::string, std::string>>& parameters) {
  std::string body = "Action=" + form_encode(action);
  for (const auto& [name, value] : parameters) body += "&" + form_encode(name) + "=" + form_encode(value);
  body += "&Version=2010-05-08";
  SignableRequest request;
  request.method = "POST";
  request.target = "/";
  request.headers = {{"Host", endpoint_.host},
                     {"Content-Type", "application/x-www-form-urlencoded; charset=utf-8"}};
  request.body = body;
  // IAM is global: its requests are signed for us-east-1 whatever the secrets' region.
  sign_request(request, SigningScope{amz_date_now(), "us-east-1", "iam"}, settings_.credentials);
  request.headers.erase(request.headers.begin());  // libcurl sends Host from the URL
  TransportError transport;
  HttpResponse response = http_.post(endpoint_, request.headers, body, transport);
  for (auto& header : request.headers) wipe(header.second);
  AwsOutcome<std::string> outcome;
  if (response.status == 0) {
    outcome.error.transport = transport.message.empty() ? "no response" : transport.message;
    return outcome;
  }
  if (response.status >= 200 && response.status < 300) {
    outcome.value = std::move(response.body);
    return outcome;
  }
  outcome.error.http_status = response.status;
  outcome.error.type = xml_first_tag(response.body, "Code");
  if (outcome.error.type.empty()) outcome.error.type = "HTTP" + std::to_string(response.status);
  wipe(response.body);
  return outcome;
}

AwsOutcome<std::string> IamClient::user_of_access_key(const std::string& access_key_id) {
  auto reply = call("GetAccessKeyLastUsed", {{"AccessKeyId", access_key_id}});
  if (!reply.ok()) return {std::nullopt, reply.error};
  std::string user = xml_first_tag(*reply.value, "UserName");
  if (user.empty()) return {std::nullopt, malformed_response()};
  return {user, {}};
}

AwsOutcome<std::vector<AccessKey>> IamClient::list_access_keys(const std::string& user_name) {
  auto reply = call("ListAccessKeys", {{"UserName", user_name}});
  if (!reply.ok()) return {std::nullopt, reply.error};
  std::vector<AccessKey> keys;
  for (const auto& member : xml_tag_values(*reply.value, "member")) {
    AccessKey key;
    key.user_name = xml_first_tag(member, "UserName");
    key.access_key_id = xml_first_tag(member, "AccessKeyId");
    key.status = xml_first_tag(member, "Status");
    keys.push_back(std::move(key));
  }
  return {std::move(keys), {}};
}

AwsOutcome<AccessKey> IamClient::create_access_key(const std::string& user_name) {
  auto reply = call("CreateAccessKey", {{"UserName", user_name}});
  if (!reply.ok()) return {std::nullopt, reply.error};
  std::string& xml = *reply.value;
  AccessKey key;
  key.user_name = xml_first_tag(xml, "UserName");
  key.access_key_id = xml_first_tag(xml, "AccessKeyId");
  key.status = xml_first_tag(xml, "Status");
  std::string secret = xml_first_tag(xml, "SecretAccessKey");
  key.secret_access_key = SecretString(secret);
  wipe(secret);
  wipe(xml);
  if (key.access_key_id.empty() || key.secret_access_key.str().empty())
    return {std::nullopt, malformed_response()};
  return {std::move(key), {}};
}

AwsOutcome<bool> IamClient::deactivate_access_key(const std::string& user_name,
                                                  const std::string& access_key_id) {
  auto reply = call("UpdateAccessKey",
                    {{"UserName", user_name}, {"AccessKeyId", access_key_id}, {"Status", "Inactive"}});
  if (!reply.ok()) return {std::nullopt, reply.error};
  return {true, {}};
}

}  // namespace keyhound
