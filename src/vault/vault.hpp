// Vaulting one planned secret: CreateSecret, and when the name is taken, compare the stored
// value (by SHA-256) and leave it, or add a version with --update.
#pragma once

#include <string>

#include "vault/plan.hpp"
#include "vault/secrets_manager.hpp"

namespace keyhound {

enum class VaultStatus { created, already_vaulted, updated, failed };
const char* to_string(VaultStatus status);

struct VaultOutcome {
  VaultStatus status = VaultStatus::failed;
  std::string secret_arn;
  std::string message;    // for failures: names the secret and the AWS error type, never a value
  bool stop_run = false;  // the failure would repeat for every other secret
};

struct VaultSettings {
  std::string kms_key_id;
  bool update = false;  // a different value under the same name becomes its new version
};

VaultOutcome vault_secret(SecretsManagerClient& client, const PlannedSecret& planned,
                          const SecretString& value, const VaultSettings& settings);

}  // namespace keyhound
