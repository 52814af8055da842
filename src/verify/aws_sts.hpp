// AWS keys: a SigV4-signed STS GetCallerIdentity (read-only, needs no permission) through the
// vault's signer; a live pair answers with the caller's ARN.
#pragma once

#include <string>

#include "vault/http.hpp"

namespace keyhound {

struct StsCall {
  HttpRequest request;
  std::string problem;  // set when the pair cannot be checked (a temporary key without its token)
};

// The signed request for key ID + secret access key, to sts.us-east-1.amazonaws.com.
StsCall build_sts_call(const std::string& access_key_id, const std::string& secret_access_key);

struct StsAnswer {
  std::string verification;  // live | revoked | unknown
  std::string arn;
  std::string detail;
};
StsAnswer judge_sts(const HttpResponse& response);

}  // namespace keyhound
