// keyhound vault end to end: the built binary against the botocore-verified test server, with
// the AWS CLI reading back what keyhound stored. Every keyhound output of every test is checked
// for planted secrets and for the secret access key.
#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <nlohmann/json.hpp>

#include "support/build_paths.hpp"
#include "vault/vault_fixture.hpp"

namespace keyhound {
namespace {

TEST_F(VaultEndToEnd, VaultsThreeConfirmedSecretsThatTheAwsCliReadsBack) {
  start_server();
  plant_three();
  auto fingerprints = confirm_all();
  ASSERT_EQ(fingerprints.size(), 3u);
  std::string repo = work_.path().filename().string();

  auto result = vault({"--format", "json"});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  auto report = nlohmann::json::parse(result.out);
  ASSERT_EQ(report["results"].size(), 3u);
  EXPECT_EQ(report["summary"]["vaulted"], 3);
  EXPECT_EQ(server_->operation_count("CreateSecret"), 3);

  Baseline after = baseline();
  for (const auto& fingerprint : fingerprints) {
    const BaselineEntry& entry = after.entries.at(fingerprint);
    std::string name = "keyhound/" + repo + "/test.token/" + fingerprint;
    EXPECT_EQ(entry.status, TriageStatus::vaulted);
    EXPECT_EQ(entry.secret_name, name);
    EXPECT_EQ(entry.secret_arn.rfind("arn:aws:secretsmanager:us-east-1:123456789012:secret:" + name + "-", 0),
              0u)
        << entry.secret_arn;
    EXPECT_EQ(entry.vaulted_at.size(), 20u);
    EXPECT_EQ(stored_value(name), secret_in(fingerprint));

    auto described = aws("describe-secret --secret-id " + shell_quote(name));
    ASSERT_EQ(described.exit_code, 0) << described.err;
    auto tags = nlohmann::json::parse(described.out)["Tags"];
    std::map<std::string, std::string> by_key;
    for (const auto& tag : tags) by_key[tag["Key"]] = tag["Value"];
    EXPECT_EQ(by_key["keyhound:rule"], "test.token");
    EXPECT_EQ(by_key["keyhound:fingerprint"], fingerprint);
    EXPECT_EQ(by_key["keyhound:source"],
              entry.locations.at(0).path + ":" + std::to_string(entry.locations.at(0).line));
  }
  // Remediation in the language of each file.
  std::map<std::string, std::string> languages;
  for (const auto& item : report["results"]) languages[item["source"]] = item["remediation"]["language"];
  EXPECT_EQ(languages["app.py:1"], "python");
  EXPECT_EQ(languages["web/client.ts:1"], "typescript");
  EXPECT_EQ(languages["cmd/main.go:3"], "go");
  for (const auto& item : report["results"]) {
    std::string agent = item["remediation"]["agent_command"];
    EXPECT_NE(agent.find("X-Aws-Parameters-Secrets-Token: ${AWS_TOKEN:-$(cat /var/run/awssmatoken)}"),
              std::string::npos);
    EXPECT_NE(agent.find("http://localhost:2773/secretsmanager/get?secretId=keyhound/"), std::string::npos);
  }
}

TEST_F(VaultEndToEnd, ARerunCreatesNothingNew) {
  start_server();
  plant_three();
  confirm_all();
  ASSERT_EQ(vault().exit_code, 0);
  int requests = server_->stats()["requests"];

  auto again = vault();
  EXPECT_EQ(again.exit_code, 0) << again.err;
  EXPECT_EQ(server_->stats()["requests"], requests) << "recorded secrets are not sent again";
  EXPECT_NE(again.out.find("nothing to vault"), std::string::npos) << again.out;

  // Even with the record lost (statuses back to confirmed), the same values are left alone.
  for (const auto& [fingerprint, entry] : baseline().entries)
    keyhound({"baseline", "set", fingerprint, "confirmed"});
  auto lost = vault({"--format", "json"});
  ASSERT_EQ(lost.exit_code, 0) << lost.err;
  EXPECT_EQ(nlohmann::json::parse(lost.out)["summary"]["already_vaulted"], 3) << lost.out;
  // Named, not a temporary: a range-for over a temporary's subobject reads freed memory (ASan).
  const nlohmann::json stats = server_->stats();
  for (const auto& [name, versions] : stats["secrets"].items()) EXPECT_EQ(versions, 1) << name;
  for (const auto& [fingerprint, entry] : baseline().entries) EXPECT_EQ(entry.status, TriageStatus::vaulted);
}

TEST_F(VaultEndToEnd, A500OnTheSecondRequestIsRetriedAndEachSecretVaultedOnce) {
  start_server();
  plant_three();
  confirm_all();
  server_->control({{"fail_next", {0, 500}}});
  auto result = vault({"-v"});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_NE(
      result.err.find("keyhound: vault: CreateSecret: InternalServiceError (HTTP 500), retry 1 of 4 in "),
      std::string::npos)
      << result.err;
  EXPECT_EQ(server_->operation_count("CreateSecret"), 4);
  auto secrets = server_->stats()["secrets"];
  EXPECT_EQ(secrets.size(), 3u);
  for (const auto& [name, versions] : secrets.items()) EXPECT_EQ(versions, 1) << name;
  for (const auto& [fingerprint, entry] : baseline().entries) EXPECT_EQ(entry.status, TriageStatus::vaulted);
}

TEST_F(VaultEndToEnd, ThrottlingIsRetried) {
  start_server();
  plant_three();
  confirm_all();
  server_->control({{"throttle_next", 2}});
  auto result = vault({"-v"});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(server_->operation_count("CreateSecret"), 5);
  EXPECT_EQ(server_->stats()["secrets"].size(), 3u);
}

TEST_F(VaultEndToEnd, AServerThatDiesMidRunLosesNothingAndTheRerunFinishes) {
  start_server();
  plant_three();
  auto fingerprints = confirm_all();
  server_->control({{"die_after", 1}});
  auto first = vault();
  EXPECT_EQ(first.exit_code, 2);
  EXPECT_NE(first.err.find("cannot reach the Secrets Manager endpoint"), std::string::npos) << first.err;
  server_->wait_until_gone();
  int vaulted = 0;
  for (const auto& [fingerprint, entry] : baseline().entries) {
    if (entry.status == TriageStatus::vaulted) {
      ++vaulted;
      EXPECT_FALSE(entry.secret_arn.empty());
    } else {
      EXPECT_EQ(entry.status, TriageStatus::confirmed);
    }
  }
  EXPECT_EQ(vaulted, 1);

  // A fresh server (an empty store): the re-run sends only the two that are not recorded.
  server_ = std::make_unique<FakeSecretsManager>(credentials_);
  auto second = vault();
  ASSERT_EQ(second.exit_code, 0) << second.err;
  EXPECT_EQ(server_->operation_count("CreateSecret"), 2);
  for (const auto& [fingerprint, entry] : baseline().entries) EXPECT_EQ(entry.status, TriageStatus::vaulted);
}

TEST_F(VaultEndToEnd, AccessDeniedIsAClearErrorAndLeavesThatEntryUntouched) {
  start_server();
  plant_three();
  auto fingerprints = confirm_all();
  const std::string denied = fingerprints[1];
  server_->control({{"deny", denied}});
  auto result = vault();
  EXPECT_EQ(result.exit_code, 2);
  EXPECT_NE(result.err.find("AccessDeniedException"), std::string::npos) << result.err;
  EXPECT_NE(result.err.find("fingerprint " + denied), std::string::npos) << result.err;
  EXPECT_NE(result.err.find("IAM policy"), std::string::npos) << result.err;
  for (const auto& [fingerprint, entry] : baseline().entries) {
    if (fingerprint == denied) {
      EXPECT_EQ(entry.status, TriageStatus::confirmed);
      EXPECT_TRUE(entry.secret_arn.empty());
      EXPECT_TRUE(entry.secret_name.empty());
    } else {
      EXPECT_EQ(entry.status, TriageStatus::vaulted) << "the others carry on";
    }
  }
  EXPECT_EQ(server_->operation_count("CreateSecret"), 3) << "AccessDenied is never retried";
  EXPECT_NE(result.out.find("\nvault: 1 failed, 2 vaulted\n"), std::string::npos) << result.out;
}

TEST_F(VaultEndToEnd, ATamperedSecretKeyIsRejectedByTheServer) {
  start_server();
  plant_three();
  confirm_all();
  std::string before = testing::read_text(work_.path() / ".keyhound-baseline.json");
  Env env = aws_env();
  std::string tampered = credentials_.secret_access_key;
  tampered[5] = tampered[5] == 'A' ? 'B' : 'A';
  env["AWS_SECRET_ACCESS_KEY"] = tampered;
  auto result = vault({"-v"}, &env);
  EXPECT_EQ(result.out.find(tampered), std::string::npos);
  EXPECT_EQ(result.err.find(tampered), std::string::npos);
  EXPECT_EQ(result.exit_code, 2);
  EXPECT_NE(result.err.find("InvalidSignatureException"), std::string::npos) << result.err;
  EXPECT_EQ(server_->operation_count("CreateSecret"), 1) << "the run stops: every request would fail alike";
  EXPECT_EQ(server_->stats()["secrets"].size(), 0u);
  EXPECT_EQ(testing::read_text(work_.path() / ".keyhound-baseline.json"), before);
}

TEST_F(VaultEndToEnd, DryRunSendsNothing) {
  start_server();
  plant_three();
  confirm_all();
  std::string before = testing::read_text(work_.path() / ".keyhound-baseline.json");
  auto result = vault({"--dry-run"});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(server_->stats()["requests"], 0);
  EXPECT_NE(result.out.find("would_vault"), std::string::npos);
  EXPECT_NE(result.out.find("\nvault: 3 would_vault\n"), std::string::npos) << result.out;
  EXPECT_NE(result.out.find("keyhound:fingerprint="), std::string::npos);
  EXPECT_EQ(testing::read_text(work_.path() / ".keyhound-baseline.json"), before);
}

TEST_F(VaultEndToEnd, PlainHttpToANonLoopbackHostIsRefused) {
  start_server();
  plant_three();
  confirm_all();
  Env env = aws_env();
  auto flag = keyhound({"vault", "--endpoint-url", "http://secretsmanager.example.com"}, env);
  EXPECT_EQ(flag.exit_code, 2);
  EXPECT_NE(flag.err.find("plain http to a non-loopback host"), std::string::npos) << flag.err;
  env["AWS_ENDPOINT_URL_SECRETS_MANAGER"] = "http://10.1.2.3:8080";
  auto variable = keyhound({"vault"}, env);
  EXPECT_EQ(variable.exit_code, 2);
  EXPECT_NE(variable.err.find("plain http to a non-loopback host"), std::string::npos) << variable.err;
  for (const auto& [fingerprint, entry] : baseline().entries)
    EXPECT_EQ(entry.status, TriageStatus::confirmed);
}

TEST_F(VaultEndToEnd, TlsIsVerifiedAndAwsCaBundleIsHonoured) {
  start_tls_server();
  plant_three();
  confirm_all();
  auto untrusted = vault();
  EXPECT_EQ(untrusted.exit_code, 2);
  EXPECT_NE(untrusted.err.find("cannot reach the Secrets Manager endpoint: SSL certificate problem"),
            std::string::npos)
      << untrusted.err;
  EXPECT_EQ(server_->stats()["requests"], 0) << "nothing is sent to an unverified server, and never retried";
  for (const auto& [fingerprint, entry] : baseline().entries)
    EXPECT_EQ(entry.status, TriageStatus::confirmed);

  Env env = aws_env();
  env["AWS_CA_BUNDLE"] = aux_.str() + "/tls/cert.pem";
  auto trusted = vault({}, &env);
  ASSERT_EQ(trusted.exit_code, 0) << trusted.err;
  EXPECT_EQ(server_->operation_count("CreateSecret"), 3);
  for (const auto& [fingerprint, entry] : baseline().entries) EXPECT_EQ(entry.status, TriageStatus::vaulted);
}

TEST_F(VaultEndToEnd, CredentialsFromAProfileWithRegionFromTheConfigFile) {
  start_server();
  plant_three();
  confirm_all();
  aux_.write("aws/credentials",
             "[default]\naws_access_key_id = AKIAWRONGWRONGWRONG2\naws_secret_access_key = x\n\n[ci]\n"
             "aws_access_key_id = " +
                 credentials_.access_key_id + "\naws_secret_access_key = " + credentials_.secret_access_key +
                 "\n");
  aux_.write("aws/config", "[profile ci]\nregion = eu-west-1\n");
  Env env = {{"AWS_SHARED_CREDENTIALS_FILE", aux_.str() + "/aws/credentials"},
             {"AWS_CONFIG_FILE", aux_.str() + "/aws/config"},
             {"AWS_PROFILE", "ci"}};
  auto result = vault({"--format", "json"}, &env);
  ASSERT_EQ(result.exit_code, 0) << result.err;
  const nlohmann::json report = nlohmann::json::parse(result.out);
  for (const auto& item : report["results"])
    EXPECT_EQ(item["secret_arn"].get<std::string>().rfind("arn:aws:secretsmanager:eu-west-1:", 0), 0u);
}

TEST_F(VaultEndToEnd, SessionTokensAreSentAndSigned) {
  start_server(/*with_session_token=*/true);
  plant_three();
  auto fingerprints = confirm_all();
  Env without = aws_env();
  without.erase("AWS_SESSION_TOKEN");
  auto rejected = vault({}, &without);
  EXPECT_EQ(rejected.exit_code, 2);
  EXPECT_NE(rejected.err.find("UnrecognizedClientException"), std::string::npos) << rejected.err;
  auto accepted = vault();
  ASSERT_EQ(accepted.exit_code, 0) << accepted.err;
  EXPECT_EQ(stored_value(baseline().entries.at(fingerprints[0]).secret_name), secret_in(fingerprints[0]));
}

TEST_F(VaultEndToEnd, MissingCredentialsOrRegionSayWhereKeyhoundLooked) {
  start_server();
  plant_three();
  confirm_all();
  Env region_only = {{"AWS_REGION", "us-east-1"}};
  auto no_credentials = vault({}, &region_only);
  EXPECT_EQ(no_credentials.exit_code, 2);
  EXPECT_NE(no_credentials.err.find("no AWS credentials: looked at AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY"),
            std::string::npos)
      << no_credentials.err;
  EXPECT_NE(no_credentials.err.find(aux_.str() + "/home/.aws/credentials"), std::string::npos);
  Env no_region_env = aws_env();
  no_region_env.erase("AWS_REGION");
  auto no_region = vault({}, &no_region_env);
  EXPECT_EQ(no_region.exit_code, 2);
  EXPECT_NE(no_region.err.find("no AWS region: looked at --region, AWS_REGION, AWS_DEFAULT_REGION"),
            std::string::npos)
      << no_region.err;
  EXPECT_EQ(server_->stats()["requests"], 0);
}

TEST_F(VaultEndToEnd, AnExistingSecretWithAnotherValueNeedsUpdate) {
  start_server();
  plant("app.py", "API_TOKEN = '", "'\n");
  auto fingerprints = confirm_all();
  std::string name = "keyhound/" + work_.path().filename().string() + "/test.token/" + fingerprints[0];
  std::string other = "other-" + testing::random_string(20, kLower);
  secrets_.push_back(other);
  ASSERT_EQ(
      aws("create-secret --name " + shell_quote(name) + " --secret-string " + shell_quote(other)).exit_code,
      0);

  auto refused = vault();
  EXPECT_EQ(refused.exit_code, 2);
  EXPECT_NE(refused.err.find("holds a different value; use --update"), std::string::npos) << refused.err;
  EXPECT_EQ(baseline().entries.at(fingerprints[0]).status, TriageStatus::confirmed);

  auto updated = vault({"--update", "--format", "json"});
  ASSERT_EQ(updated.exit_code, 0) << updated.err;
  EXPECT_EQ(nlohmann::json::parse(updated.out)["results"][0]["status"], "updated");
  EXPECT_EQ(stored_value(name), secret_in(fingerprints[0]));
  EXPECT_EQ(server_->stats()["secrets"][name], 2);
}

TEST_F(VaultEndToEnd, ASecretChangedSinceTheScanIsNotSent) {
  start_server();
  plant("app.py", "API_TOKEN = '", "'\n");
  auto fingerprints = confirm_all();
  plant("app.py", "API_TOKEN = '", "'\n");  // rotated in place: same range, other bytes
  auto result = vault();
  EXPECT_EQ(result.exit_code, 2);
  EXPECT_NE(result.err.find("fingerprint " + fingerprints[0] +
                            " (test.token): the secret is not at any recorded location"),
            std::string::npos)
      << result.err;
  EXPECT_NE(result.err.find("app.py:1: file holds something else there now"), std::string::npos)
      << result.err;
  EXPECT_EQ(server_->stats()["requests"], 0);
}

TEST_F(VaultEndToEnd, ASecretOnlyTheGitHistoryHoldsIsReadFromItsBlob) {
  start_server();
  std::string secret = plant("config/settings.py", "TOKEN = '", "'\n");
  std::string git =
      "cd " + shell_quote(work_.str()) +
      " && git -c init.defaultBranch=main init -q . && git add . && git -c user.name=t -c user.email=t@e "
      "commit -qm add && git rm -q config/settings.py && git -c user.name=t -c user.email=t@e commit -qm rm";
  ASSERT_EQ(testing::run_command(git).exit_code, 0);
  auto fingerprints = confirm_all({"--git", "."});
  ASSERT_EQ(fingerprints.size(), 1u);
  ASSERT_FALSE(baseline().entries.at(fingerprints[0]).locations.at(0).commit.empty());
  auto result = vault();
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(stored_value(baseline().entries.at(fingerprints[0]).secret_name), secret);
}

// The prompt needs a terminal: `script` gives keyhound one, fed with the answers.
TEST_F(VaultEndToEnd, InteractivePromptChoosesWithYesNoAndQuit) {
  plant_three();
  auto created =
      keyhound({"baseline", "create", "--no-builtin-rules", "--rules", aux_.str() + "/rules.yml", "."});
  ASSERT_EQ(created.exit_code, 0) << created.err;
  std::vector<std::string> fingerprints;
  for (const auto& [fingerprint, entry] : baseline().entries) fingerprints.push_back(fingerprint);
  ASSERT_EQ(fingerprints.size(), 3u);
  std::string inner = "cd " + shell_quote(work_.str()) +
                      " && env -i PATH=/usr/bin:/bin HOME=" + shell_quote(aux_.str() + "/home") +
                      " KEYHOUND_CACHE_DIR=" + shell_quote(KEYHOUND_TEST_CACHE_DIR) + " " +
                      shell_quote(KEYHOUND_BIN) + " vault -i --dry-run --format json";
  std::string answers = "n\ny\nq\n";
  auto result = testing::run_command("script -qec " + shell_quote(inner) + " /dev/null", &answers);
  transcript_ += result.out + result.err;
  ASSERT_EQ(result.exit_code, 0) << result.out << result.err;
  EXPECT_NE(result.out.find("Vault this secret? [y]es, [n]o, [a]ll remaining, [q]uit:"), std::string::npos);
  auto json_start = result.out.find("{\r\n");
  ASSERT_NE(json_start, std::string::npos) << result.out;
  std::string json = result.out.substr(json_start);
  json.erase(std::remove(json.begin(), json.end(), '\r'), json.end());
  auto report = nlohmann::json::parse(json);
  ASSERT_EQ(report["results"].size(), 1u) << json;
  EXPECT_EQ(report["results"][0]["fingerprint"], fingerprints[1]);
  EXPECT_EQ(report["results"][0]["status"], "would_vault");
}

}  // namespace
}  // namespace keyhound
