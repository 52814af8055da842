// AWS Signature Version 4: canonical request, string to sign, signing key, Authorization header.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "vault/wipe.hpp"

namespace keyhound {

struct AwsCredentials {
  std::string access_key_id;
  SecretString secret_access_key;
  SecretString session_token;  // empty for long-term keys
};

// A request as the signer sees it. Every header listed is signed (`Host` must be among them).
struct SignableRequest {
  std::string method;  // "POST"
  std::string target;  // path and query as sent: "/", "/?a=b"
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
};

struct SigningScope {
  std::string amz_date;  // "20150830T123600Z"
  std::string region;    // "us-east-1"
  std::string service;   // "secretsmanager"
};

std::string canonical_request(const SignableRequest& request);
std::string string_to_sign(const std::string& canonical, const SigningScope& scope);
// The value of the Authorization header for this request.
std::string authorization_header(const SignableRequest& request, const SigningScope& scope,
                                 const AwsCredentials& credentials);

// Adds X-Amz-Date and (with a session token) X-Amz-Security-Token, both signed, then
// Authorization.
void sign_request(SignableRequest& request, const SigningScope& scope, const AwsCredentials& credentials);

// "YYYYMMDDTHHMMSSZ" for now, UTC.
std::string amz_date_now();

}  // namespace keyhound
