// STS speaks the query protocol: a form body in, XML out. The ARN is read from <Arn>; the error
// code from <Code> says a rejected key (revoked) from a throttled or failing service (unknown).
#include "verify/aws_sts.hpp"

#include "vault/sigv4.hpp"

namespace keyhound {
namespace {

constexpr const char* kStsHost = "sts.us-east-1.amazonaws.com";

std::string xml_element(const std::string& body, const std::string& name) {
  std::string open = "<" + name + ">", close = "</" + name + ">";
  std::size_t start = body.find(open);
  if (start == std::string::npos) return {};
  start += open.size();
  std::size_t end = body.find(close, start);
  return end == std::string::npos ? std::string() : body.substr(start, end - start);
}

}  // namespace

StsCall build_sts_call(const std::string& access_key_id, const std::string& secret_access_key) {
  StsCall call;
  if (access_key_id.rfind("ASIA", 0) == 0) {
    call.problem = "a temporary key (ASIA) needs its session token to be checked";
    return call;
  }
  SignableRequest signable;
  signable.method = "POST";
  signable.target = "/";
  signable.body = "Action=GetCallerIdentity&Version=2011-06-15";
  signable.headers = {{"Host", kStsHost},
                      {"Content-Type", "application/x-www-form-urlencoded; charset=utf-8"}};
  AwsCredentials credentials{access_key_id, SecretString(secret_access_key), SecretString()};
  sign_request(signable, SigningScope{amz_date_now(), "us-east-1", "sts"}, credentials);
  call.request.method = "POST";
  call.request.url = std::string("https://") + kStsHost + "/";
  call.request.body = signable.body;
  for (auto& header : signable.headers)
    if (header.first != "Host") call.request.headers.push_back(header);  // libcurl sends the same Host
  for (auto& header : signable.headers) wipe(header.second);
  return call;
}

StsAnswer judge_sts(const HttpResponse& response) {
  if (response.status == 200) {
    std::string arn = xml_element(response.body, "Arn");
    return {"live", arn, "STS GetCallerIdentity answered"};
  }
  std::string code = xml_element(response.body, "Code");
  if (code == "InvalidClientTokenId" || code == "SignatureDoesNotMatch" || code == "AccessDenied" ||
      code == "ExpiredToken")
    return {"revoked", "", "STS: " + code};
  return {"unknown", "", "STS: HTTP " + std::to_string(response.status) + (code.empty() ? "" : " " + code)};
}

}  // namespace keyhound
