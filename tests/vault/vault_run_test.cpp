// The vault loop's partial failures, without the binary or a server: a secret created but not
// recorded, throttling in the middle of a run, a run killed between create and record, and an
// error that stops the run. The fake Secrets Manager keeps secrets by name like the real one:
// the same value under the same name is "already vaulted", so a rerun resumes.
#include "vault/vault_run.hpp"

#include <gtest/gtest.h>

#include <map>

namespace keyhound {
namespace {

class FakeSecrets : public SecretSource {
 public:
  Result<SecretString> read(const BaselineEntry& entry) override {
    if (entry.fingerprint == unreadable)
      return make_error("fingerprint " + entry.fingerprint + ": file moved");
    return SecretString("value-of-" + entry.fingerprint);
  }
  std::string unreadable;
};

class FakeManager : public SecretsManager {
 public:
  VaultOutcome vault(const PlannedSecret& planned, const SecretString& value) override {
    ++calls;
    VaultOutcome out;
    if (auto scripted = failures.find(planned.fingerprint); scripted != failures.end()) {
      out.message = planned.secret_name + ": " + scripted->second.first;
      out.stop_run = scripted->second.second;
      failures.erase(scripted);  // once: a later run gets through
      return out;
    }
    auto [stored, created] = secrets.emplace(planned.secret_name, value.str());
    out.status = created ? VaultStatus::created : VaultStatus::already_vaulted;
    out.secret_arn = "arn:aws:secretsmanager:eu-west-1:000000000000:secret:" + planned.secret_name;
    return out;
  }
  std::map<std::string, std::pair<std::string, bool>> failures;  // fingerprint -> (message, stop_run)
  std::map<std::string, std::string> secrets;                    // name -> value
  int calls = 0;
};

struct VaultRunFixture {
  Baseline baseline;
  std::vector<PlannedSecret> plan;
  std::vector<Baseline> recorded;  // every baseline written, in order
  std::vector<std::string> warnings;
  int fail_record_at = -1;  // the n-th write (0-based) fails

  VaultRunFixture() {
    for (std::string fingerprint : {"1111111111111111", "2222222222222222", "3333333333333333"}) {
      BaselineEntry entry;
      entry.fingerprint = fingerprint;
      entry.rule_id = "test.rule";
      entry.status = TriageStatus::confirmed;
      baseline.entries[fingerprint] = entry;
      PlannedSecret planned;
      planned.fingerprint = fingerprint;
      planned.rule_id = "test.rule";
      planned.secret_name = "keyhound/repo/test.rule/" + fingerprint;
      plan.push_back(planned);
    }
  }

  VaultRunResult go(SecretSource& secrets, SecretsManager* manager) {
    VaultRunHooks hooks;
    hooks.record = [this](const Baseline& written) -> Status {
      if (static_cast<int>(recorded.size()) == fail_record_at) {
        fail_record_at = -1;
        return make_error("cannot write baseline.json: No space left on device");
      }
      recorded.push_back(written);
      return Ok{};
    };
    hooks.warn = [this](const std::string& message) { warnings.push_back(message); };
    hooks.now = [] { return std::string("2026-01-01T00:00:00Z"); };
    return run_vault(plan, baseline, secrets, manager, hooks);
  }
};

std::vector<std::string> statuses(const VaultRunResult& result) {
  std::vector<std::string> out;
  for (const auto& row : result.rows) out.push_back(to_string(row.status));
  return out;
}

TEST(VaultRun, EverySecretVaultedIsRecordedAtOnce) {
  VaultRunFixture run;
  FakeSecrets secrets;
  FakeManager manager;
  auto result = run.go(secrets, &manager);
  EXPECT_FALSE(result.failed);
  EXPECT_EQ(statuses(result), (std::vector<std::string>{"vaulted", "vaulted", "vaulted"}));
  ASSERT_EQ(run.recorded.size(), 3u);
  // The first write already holds the first secret, and only it.
  EXPECT_EQ(run.recorded[0].entries.at("1111111111111111").status, TriageStatus::vaulted);
  EXPECT_EQ(run.recorded[0].entries.at("2222222222222222").status, TriageStatus::confirmed);
  EXPECT_EQ(run.baseline.entries.at("3333333333333333").secret_arn,
            "arn:aws:secretsmanager:eu-west-1:000000000000:secret:keyhound/repo/test.rule/3333333333333333");
  EXPECT_EQ(manager.secrets.at("keyhound/repo/test.rule/2222222222222222"), "value-of-2222222222222222");
}

TEST(VaultRun, CreatedButNotRecordedStopsAndARerunRecordsIt) {
  VaultRunFixture run;
  FakeSecrets secrets;
  FakeManager manager;
  run.fail_record_at = 1;  // the second secret reaches Secrets Manager, the baseline write fails
  auto result = run.go(secrets, &manager);
  ASSERT_TRUE(result.not_recorded);
  EXPECT_NE(
      result.not_recorded->message.find("keyhound/repo/test.rule/2222222222222222 is in Secrets Manager but "
                                        "not recorded"),
      std::string::npos)
      << result.not_recorded->message;
  EXPECT_EQ(statuses(result), (std::vector<std::string>{"vaulted", "vaulted", "not_attempted"}));
  EXPECT_EQ(manager.secrets.size(), 2u);
  ASSERT_EQ(run.recorded.size(), 1u);  // the file on disk: only the first secret

  // The rerun starts from what was recorded: the second secret is found in place, not doubled.
  run.baseline = run.recorded.back();
  auto rerun = run.go(secrets, &manager);
  EXPECT_FALSE(rerun.failed);
  EXPECT_EQ(statuses(rerun), (std::vector<std::string>{"already_vaulted", "already_vaulted", "vaulted"}));
  EXPECT_EQ(manager.secrets.size(), 3u);
  EXPECT_EQ(run.recorded.back().entries.at("2222222222222222").status, TriageStatus::vaulted);
}

TEST(VaultRun, ThrottledMidRunFailsThatSecretOnlyAndTheRunGoesOn) {
  VaultRunFixture run;
  FakeSecrets secrets;
  FakeManager manager;
  manager.failures["2222222222222222"] = {"CreateSecret failed: ThrottlingException after 5 attempts", false};
  auto result = run.go(secrets, &manager);
  EXPECT_TRUE(result.failed);
  EXPECT_FALSE(result.not_recorded);
  EXPECT_EQ(statuses(result), (std::vector<std::string>{"vaulted", "failed", "vaulted"}));
  EXPECT_NE(result.rows[1].error.find("ThrottlingException"), std::string::npos);
  EXPECT_EQ(run.baseline.entries.at("2222222222222222").status, TriageStatus::confirmed);
  ASSERT_EQ(run.warnings.size(), 1u);
  EXPECT_EQ(run.recorded.size(), 2u);
}

TEST(VaultRun, KilledBetweenCreateAndRecordResumesWithoutASecondSecret) {
  VaultRunFixture run;
  FakeSecrets secrets;
  FakeManager manager;
  // The first run died after CreateSecret of the first secret, before its record: Secrets
  // Manager has it, the baseline does not.
  manager.secrets["keyhound/repo/test.rule/1111111111111111"] = "value-of-1111111111111111";
  auto result = run.go(secrets, &manager);
  EXPECT_FALSE(result.failed);
  EXPECT_EQ(statuses(result), (std::vector<std::string>{"already_vaulted", "vaulted", "vaulted"}));
  EXPECT_EQ(manager.secrets.size(), 3u);
  EXPECT_EQ(run.baseline.entries.at("1111111111111111").status, TriageStatus::vaulted);
}

TEST(VaultRun, AnErrorEveryRequestWouldHitStopsTheRun) {
  VaultRunFixture run;
  FakeSecrets secrets;
  FakeManager manager;
  manager.failures["1111111111111111"] = {"CreateSecret failed: UnrecognizedClientException", true};
  auto result = run.go(secrets, &manager);
  EXPECT_TRUE(result.failed);
  EXPECT_EQ(statuses(result), (std::vector<std::string>{"failed", "not_attempted", "not_attempted"}));
  EXPECT_EQ(manager.calls, 1);
  EXPECT_TRUE(run.recorded.empty());
}

TEST(VaultRun, AnUnreadableSecretFailsAloneAndADryRunSendsNothing) {
  VaultRunFixture run;
  FakeSecrets secrets;
  secrets.unreadable = "2222222222222222";
  auto dry = run.go(secrets, nullptr);
  EXPECT_TRUE(dry.failed);
  EXPECT_EQ(statuses(dry), (std::vector<std::string>{"would_vault", "failed", "would_vault"}));
  EXPECT_TRUE(run.recorded.empty());
  FakeManager manager;
  auto real = run.go(secrets, &manager);
  EXPECT_EQ(statuses(real), (std::vector<std::string>{"vaulted", "failed", "vaulted"}));
  EXPECT_NE(real.rows[1].error.find("file moved"), std::string::npos);
}

}  // namespace
}  // namespace keyhound
