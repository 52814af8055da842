// The create-or-compare flow for one secret; the idempotency tokens make retries safe.
#include "vault/vault.hpp"

#include "util/hash.hpp"

namespace keyhound {
namespace {

VaultOutcome failure(const PlannedSecret& planned, const std::string& operation, const AwsError& error) {
  VaultOutcome out;
  out.message = planned.secret_name + " (fingerprint " + planned.fingerprint + "): " + operation +
                " failed: " + explain(error);
  out.stop_run = stops_the_run(error);
  return out;
}

}  // namespace

const char* to_string(VaultStatus status) {
  switch (status) {
    case VaultStatus::created:
      return "vaulted";
    case VaultStatus::already_vaulted:
      return "already_vaulted";
    case VaultStatus::updated:
      return "updated";
    case VaultStatus::failed:
      return "failed";
  }
  return "failed";
}

VaultOutcome vault_secret(SecretsManagerClient& client, const PlannedSecret& planned,
                          const SecretString& value, const VaultSettings& settings) {
  CreateSecretInput input{planned.secret_name, planned.description, settings.kms_key_id, planned.create_token,
                          planned.tags};
  auto created = client.create_secret(input, value);
  if (created.ok()) return {VaultStatus::created, created.value->arn, {}, false};
  if (created.error.type != "ResourceExistsException") return failure(planned, "CreateSecret", created.error);

  // The name is taken: by an earlier run (same value) or by something else.
  auto stored = client.get_secret_value(planned.secret_name);
  if (!stored.ok()) return failure(planned, "GetSecretValue", stored.error);
  bool same = !stored.value->binary && sha256(stored.value->value.str()) == sha256(value.str());
  if (same) return {VaultStatus::already_vaulted, stored.value->ref.arn, {}, false};
  if (!settings.update) {
    VaultOutcome out;
    out.message =
        planned.secret_name + " (fingerprint " + planned.fingerprint +
        "): a secret with this name already exists and holds a different value; use --update to make "
        "this value its current version, or choose another --name-template";
    return out;
  }
  auto put = client.put_secret_value(planned.secret_name, value, planned.update_token);
  if (!put.ok()) return failure(planned, "PutSecretValue", put.error);
  return {VaultStatus::updated, put.value->arn.empty() ? stored.value->ref.arn : put.value->arn, {}, false};
}

}  // namespace keyhound
