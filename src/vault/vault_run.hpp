// The vault loop: for each planned secret, read it again, put it in Secrets Manager and record it
// in the baseline at once, so an interrupted run loses nothing and a rerun resumes. Behind two
// small interfaces (where secrets are read, where they go), so partial failures are testable
// without the binary or a server.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "baseline/baseline.hpp"
#include "util/result.hpp"
#include "vault/plan.hpp"
#include "vault/vault.hpp"
#include "vault/wipe.hpp"

namespace keyhound {

// What the loop needs from AWS: SecretsManagerClient through vault_secret in production.
class SecretsManager {
 public:
  virtual ~SecretsManager() = default;
  virtual VaultOutcome vault(const PlannedSecret& planned, const SecretString& value) = 0;
};

// Secrets Manager itself: create or compare (and --update) through `client`.
class AwsSecretsManager : public SecretsManager {
 public:
  AwsSecretsManager(SecretsManagerClient& client, VaultSettings settings)
      : client_(client), settings_(std::move(settings)) {}
  VaultOutcome vault(const PlannedSecret& planned, const SecretString& value) override {
    return vault_secret(client_, planned, value, settings_);
  }

 private:
  SecretsManagerClient& client_;
  VaultSettings settings_;
};

// Where each secret is read again from (SecretReader in production).
class SecretSource {
 public:
  virtual ~SecretSource() = default;
  virtual Result<SecretString> read(const BaselineEntry& entry) = 0;
};

enum class RowStatus { vaulted, already_vaulted, updated, would_vault, failed, not_attempted };
const char* to_string(RowStatus status);

struct VaultRow {
  const PlannedSecret* planned = nullptr;
  RowStatus status = RowStatus::not_attempted;
  std::string arn;
  std::string error;  // names the secret and the reason, never its value
};

struct VaultRunHooks {
  // Writes the baseline (atomically) after each secret is safe in Secrets Manager.
  std::function<Status(const Baseline&)> record;
  std::function<void(const std::string&)> warn;  // one line per problem, as it happens
  std::function<std::string()> now;              // ISO 8601 UTC, for vaulted_at
};

struct VaultRunResult {
  std::vector<VaultRow> rows;  // one per planned secret, in plan order
  bool failed = false;         // some secret was not vaulted
  // The run stopped because the baseline could not be written: the secret it names is in
  // Secrets Manager but not recorded (a rerun finds it there and records it).
  std::optional<Error> not_recorded;
};

// `manager` null: a dry run (secrets are still read, to prove they can be).
VaultRunResult run_vault(const std::vector<PlannedSecret>& plan, Baseline& baseline, SecretSource& secrets,
                         SecretsManager* manager, const VaultRunHooks& hooks);

}  // namespace keyhound
