// Credentials, region, endpoint and CA bundle, found where AWS tools look for them: options,
// environment, then the profile in ~/.aws/credentials and ~/.aws/config.
#pragma once

#include <functional>
#include <optional>
#include <string>

#include "util/result.hpp"
#include "vault/sigv4.hpp"

namespace keyhound {

// Reads one environment variable; tests pass a map instead of the process environment.
using EnvLookup = std::function<std::optional<std::string>(const std::string& name)>;
EnvLookup process_environment();

// What the command line says; empty means "not given".
struct AwsOverrides {
  std::string profile;       // --profile
  std::string region;        // --region
  std::string endpoint_url;  // --endpoint-url
  std::string ca_bundle;     // --ca-bundle
};

struct AwsSettings {
  AwsCredentials credentials;
  std::string credentials_source;  // "environment" or "profile NAME (FILE)": shown, never the key
  std::string region;
  std::string endpoint;   // "https://secretsmanager.us-east-1.amazonaws.com"
  std::string ca_bundle;  // empty: the system's trust store
};

// Precedence as in the AWS CLI: --profile, then AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY
// (+AWS_SESSION_TOKEN), then AWS_PROFILE or "default" from the shared files. Region: --region,
// AWS_REGION, AWS_DEFAULT_REGION, the profile's region. Endpoint: --endpoint-url,
// AWS_ENDPOINT_URL_SECRETS_MANAGER, AWS_ENDPOINT_URL, the profile's endpoint_url, then the
// regional endpoint. A missing piece is an error that lists every place looked at.
Result<AwsSettings> resolve_aws_settings(const AwsOverrides& overrides, const EnvLookup& env);

}  // namespace keyhound
