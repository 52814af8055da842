// IAM for rotating a leaked AWS access key: the four Query-protocol calls `vault --rotate --iam`
// makes, through the signed AWS client (aws_client.hpp). Nothing here deletes a key.
#pragma once

#include <string>
#include <vector>

#include "vault/aws_client.hpp"
#include "vault/wipe.hpp"

namespace keyhound {

struct AccessKey {
  std::string user_name;
  std::string access_key_id;
  std::string status;              // Active or Inactive
  SecretString secret_access_key;  // CreateAccessKey only
};

// The IAM endpoint: --iam-endpoint-url, AWS_ENDPOINT_URL_IAM, AWS_ENDPOINT_URL, else the global one.
std::string iam_endpoint_url(const std::string& option, const EnvLookup& environment);

class IamClient {
 public:
  IamClient(AwsSettings settings, Endpoint endpoint);

  AwsOutcome<std::string> user_of_access_key(const std::string& access_key_id);  // GetAccessKeyLastUsed
  AwsOutcome<std::vector<AccessKey>> list_access_keys(const std::string& user_name);
  AwsOutcome<AccessKey> create_access_key(const std::string& user_name);
  AwsOutcome<bool> deactivate_access_key(const std::string& user_name, const std::string& access_key_id);

 private:
  // The response body of `action` with these parameters, or the error IAM gave.
  AwsOutcome<std::string> call(const std::string& action,
                               const std::vector<std::pair<std::string, std::string>>& parameters);

  AwsServiceClient client_;
};

}  // namespace keyhound
