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

namespace {

// IAM is global: its requests are signed for us-east-1 whatever the secrets' region.
AwsSettings signed_for_us_east_1(AwsSettings settings) {
  settings.region = "us-east-1";
  return settings;
}

}  // namespace

// One attempt only: a retried CreateAccessKey after a lost reply could make a second key.
IamClient::IamClient(AwsSettings settings, Endpoint endpoint)
    : client_(signed_for_us_east_1(std::move(settings)), std::move(endpoint), "iam",
              RetryPolicy{.max_attempts = 1}) {}

AwsOutcome<std::string> IamClient::call(const std::string& action,
                                        const std::vector<std::pair<std::string, std::string>>& parameters) {
  return client_.query_call(action, "2010-05-08", parameters);
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
