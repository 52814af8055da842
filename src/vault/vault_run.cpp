// The vault loop (see vault_run.hpp): partial failures leave every row saying what happened.
#include "vault/vault_run.hpp"

#include <nlohmann/json.hpp>

namespace keyhound {

const char* to_string(RowStatus status) {
  switch (status) {
    case RowStatus::vaulted:
      return "vaulted";
    case RowStatus::already_vaulted:
      return "already_vaulted";
    case RowStatus::updated:
      return "updated";
    case RowStatus::would_vault:
      return "would_vault";
    case RowStatus::failed:
      return "failed";
    case RowStatus::not_attempted:
      return "not_attempted";
  }
  return "failed";
}

namespace {

RowStatus row_status(VaultStatus status) {
  switch (status) {
    case VaultStatus::created:
      return RowStatus::vaulted;
    case VaultStatus::already_vaulted:
      return RowStatus::already_vaulted;
    case VaultStatus::updated:
      return RowStatus::updated;
    case VaultStatus::failed:
      return RowStatus::failed;
  }
  return RowStatus::failed;
}

// A pair's JSON secret ({"field": value, ...}, keys sorted) from its halves, each re-read and
// checked on its own; every buffer that held a value is wiped.
Result<SecretString> pair_value(const PlannedSecret& planned, const Baseline& baseline,
                                SecretSource& secrets) {
  nlohmann::json document = nlohmann::json::object();
  Result<SecretString> out = make_error("empty pair");
  for (const auto& [field, fingerprint] : planned.fields) {
    auto member = baseline.entries.find(fingerprint);
    if (member == baseline.entries.end()) {
      out = make_error("fingerprint " + fingerprint + " (" + field + " of the pair) is not in the baseline");
      break;
    }
    auto secret = secrets.read(member->second);
    if (!secret) {
      out = secret.error();
      break;
    }
    document[field] = secret->str();
  }
  if (document.size() == planned.fields.size()) {
    std::string text = document.dump();
    out = SecretString(text);
    wipe(text);
  }
  for (auto& [field, value] : document.items()) wipe(value.get_ref<std::string&>());
  return out;
}

}  // namespace

VaultRunResult run_vault(const std::vector<PlannedSecret>& plan, Baseline& baseline, SecretSource& secrets,
                         SecretsManager* manager, const VaultRunHooks& hooks) {
  VaultRunResult result;
  for (const auto& planned : plan)
    result.rows.push_back({&planned, manager ? RowStatus::not_attempted : RowStatus::would_vault, {}, {}});
  auto warn = [&](const std::string& message) {
    if (hooks.warn) hooks.warn(message);
  };
  for (auto& row : result.rows) {
    const PlannedSecret& planned = *row.planned;
    auto entry = baseline.entries.find(planned.fingerprint);
    if (entry == baseline.entries.end()) {
      row.status = RowStatus::failed;
      row.error = "fingerprint " + planned.fingerprint + " is not in the baseline";
      result.failed = true;
      warn(row.error);
      continue;
    }
    auto secret =
        planned.fields.empty() ? secrets.read(entry->second) : pair_value(planned, baseline, secrets);
    if (!secret) {
      row.status = RowStatus::failed;
      row.error = secret.error().message;
      result.failed = true;
      warn(row.error);
      continue;
    }
    if (!manager) continue;
    VaultOutcome outcome = manager->vault(planned, *secret);
    if (outcome.status == VaultStatus::failed) {
      row.status = RowStatus::failed;
      row.error = outcome.message;
      result.failed = true;
      warn(outcome.message);
      if (outcome.stop_run) {
        warn("stopping: the remaining secrets would fail the same way; the ones vaulted so far are recorded");
        break;
      }
      continue;
    }
    row.status = row_status(outcome.status);
    row.arn = outcome.secret_arn;
    std::vector<std::pair<std::string, std::string>> members = planned.fields;
    if (members.empty()) members.emplace_back("", planned.fingerprint);
    std::string now = hooks.now ? hooks.now() : "";
    for (const auto& [field, fingerprint] : members) {
      BaselineEntry& recorded = baseline.entries.at(fingerprint);
      recorded.status = TriageStatus::vaulted;
      recorded.secret_name = planned.secret_name;
      recorded.secret_field = field;
      recorded.secret_arn = outcome.secret_arn;
      recorded.vaulted_at = now;
    }
    // At once, atomically: an interrupted run keeps everything vaulted so far.
    if (hooks.record)
      if (auto written = hooks.record(baseline); !written) {
        result.failed = true;
        result.not_recorded = make_error(written.error().message + " (" + planned.secret_name +
                                         " is in Secrets Manager but not recorded)");
        break;
      }
  }
  return result;
}

}  // namespace keyhound
