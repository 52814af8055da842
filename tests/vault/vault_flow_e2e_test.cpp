// Issue 14's whole flow through the built binary: scan -> baseline -> vault -> fix -> scan. The
// scan passes only once the literal is gone from the code, and a history scan keeps failing
// until the rotation is recorded.
#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <nlohmann/json.hpp>

#include "source/blob.hpp"
#include "vault/vault_fixture.hpp"

namespace keyhound {
namespace {

class VaultFlow : public VaultEndToEnd {
 protected:
  // Exit code and the baseline_status of each reported finding.
  std::pair<int, std::vector<std::string>> scan(const std::vector<std::string>& extra) {
    std::vector<std::string> args = {
        "scan",       "--no-builtin-rules",     "--rules", aux_.str() + "/rules.yml", "--format", "json",
        "--baseline", ".keyhound-baseline.json"};
    args.insert(args.end(), extra.begin(), extra.end());
    auto result = keyhound(args);
    std::vector<std::string> states;
    auto json = nlohmann::json::parse(result.out, nullptr, false);
    EXPECT_FALSE(json.is_discarded()) << result.err;
    if (!json.is_discarded())
      for (const auto& finding : json["findings"]) states.push_back(finding["baseline_status"]);
    return {result.exit_code, states};
  }

  void git(const std::string& arguments) {
    auto result = testing::run_command("cd " + shell_quote(work_.str()) +
                                       " && git -c user.name=t -c user.email=t@example.com " + arguments);
    ASSERT_EQ(result.exit_code, 0) << arguments << ": " << result.err;
  }

  std::string read(const std::string& path) { return testing::read_text(work_.path() / path); }
};

TEST_F(VaultFlow, ScanBaselineVaultFixScan) {
  start_server();
  git("init -q -b main .");
  plant("src/billing.py", "import os\n\nSTRIPE_KEY = \"", "\"\n");
  plant("deploy/.env", "APP_ENV=production\nAPI_TOKEN=", "\n");
  git("add -A");
  git("commit -q -m billing");
  auto fingerprints = confirm_all({"src", "deploy"});
  ASSERT_EQ(fingerprints.size(), 2u);
  ASSERT_EQ(vault().exit_code, 0);
  const Baseline vaulted = baseline();
  std::string billing_name, token_name;
  for (const auto& [fingerprint, entry] : vaulted.entries)
    (entry.locations[0].path == "src/billing.py" ? billing_name : token_name) = entry.secret_name;

  // Vaulted, still in the code: the scan fails.
  EXPECT_EQ(scan({"src", "deploy"}), (std::pair<int, std::vector<std::string>>{
                                         1, {"vaulted-still-in-code", "vaulted-still-in-code"}}));

  // The dry run prints the diff (the removed value masked) and changes nothing.
  std::string billing_before = read("src/billing.py");
  auto dry = keyhound({"fix", "--dry-run"});
  EXPECT_EQ(dry.exit_code, 0) << dry.err;
  std::string masked_billing = mask_secret(secrets_[0]), masked_token = mask_secret(secrets_[1]);
  EXPECT_EQ(dry.out,
            "--- a/deploy/.env\n"
            "+++ b/deploy/.env\n"
            "@@ -1,2 +1,3 @@\n"
            " APP_ENV=production\n"
            "-API_TOKEN=" +
                masked_token +
                "\n"
                "+# API_TOKEN: AWS Secrets Manager secret " +
                token_name +
                " (keyhound fix)\n"
                "+API_TOKEN=${API_TOKEN}\n"
                "--- a/src/billing.py\n"
                "+++ b/src/billing.py\n"
                "@@ -1,3 +1,4 @@\n"
                " import os\n"
                "+import boto3\n"
                " \n"
                "-STRIPE_KEY = \"" +
                masked_billing +
                "\"\n"
                "+STRIPE_KEY = boto3.client(\"secretsmanager\").get_secret_value(SecretId=\"" +
                billing_name + "\")[\"SecretString\"]\n");
  EXPECT_EQ(read("src/billing.py"), billing_before);

  // A file edited since the scan is refused (by blob id) and left alone; the others are fixed.
  work_.write("deploy/.env", "# edited\n" + read("deploy/.env"));
  std::string env_edited = read("deploy/.env");
  auto refused = keyhound({"fix"});
  EXPECT_EQ(refused.exit_code, 2);
  EXPECT_NE(refused.err.find("deploy/.env: changed since the scan (blob "), std::string::npos) << refused.err;
  EXPECT_EQ(refused.out.find("fixed deploy/.env"), std::string::npos);
  EXPECT_NE(refused.out.find("fixed src/billing.py (python, 1 secret)"), std::string::npos) << refused.out;
  EXPECT_EQ(read("deploy/.env"), env_edited);
  EXPECT_EQ(read("src/billing.py").find(secrets_[0]), std::string::npos);
  auto still = scan({"src", "deploy"});
  EXPECT_EQ(still, (std::pair<int, std::vector<std::string>>{1, {"vaulted-still-in-code"}}));

  // Rescan into the baseline (its statuses stay), fix the rest: the tree scan passes.
  git("checkout -- deploy/.env");
  auto updated = keyhound(
      {"baseline", "update", "--no-builtin-rules", "--rules", aux_.str() + "/rules.yml", "src", "deploy"});
  ASSERT_EQ(updated.exit_code, 0) << updated.err;
  auto fixed = keyhound({"fix"});
  EXPECT_EQ(fixed.exit_code, 0) << fixed.err;
  EXPECT_NE(fixed.out.find("fixed deploy/.env (dotenv, 1 secret)"), std::string::npos) << fixed.out;
  EXPECT_EQ(read("deploy/.env"), "APP_ENV=production\n# API_TOKEN: AWS Secrets Manager secret " + token_name +
                                     " (keyhound fix)\nAPI_TOKEN=${API_TOKEN}\n");
  EXPECT_EQ(scan({"src", "deploy"}), (std::pair<int, std::vector<std::string>>{0, {}}));

  // The old values are still in the history: needs-rotation until rotation is recorded.
  git("commit -q -am 'read the secrets at run time'");
  EXPECT_EQ(scan({"--git", "."}),
            (std::pair<int, std::vector<std::string>>{1, {"needs-rotation", "needs-rotation"}}));
  // Rotation: the new value (synthetic, never printed) becomes the current version; the entry rotated.
  std::string new_value = "khtest_" + testing::random_string(32, kLower);
  secrets_.push_back(new_value);
  std::string piped = new_value + "\n";
  auto unconfirmed =
      keyhound({"vault", "--endpoint-url", server_->url(), "--rotate", fingerprints[0], "--value-from-stdin"},
               aws_env(), &piped);
  EXPECT_EQ(unconfirmed.exit_code, 2);
  EXPECT_NE(unconfirmed.err.find("confirm with --yes"), std::string::npos) << unconfirmed.err;
  EXPECT_EQ(server_->operation_count("PutSecretValue"), 0);
  std::string leaked = secret_in(fingerprints[0]) + "\n";
  ASSERT_NE(leaked, "\n");
  auto same = keyhound(
      {"vault", "--endpoint-url", server_->url(), "--rotate", fingerprints[0], "--value-from-stdin", "--yes"},
      aws_env(), &leaked);
  EXPECT_EQ(same.exit_code, 2);
  EXPECT_NE(same.err.find("the new value is the leaked one"), std::string::npos) << same.err;
  auto rotated = keyhound({"vault", "--endpoint-url", server_->url(), "--rotate",
                           fingerprints[0].substr(0, 8), "--value-from-stdin", "--yes"},
                          aws_env(), &piped);
  ASSERT_EQ(rotated.exit_code, 0) << rotated.err;
  EXPECT_EQ(rotated.out.rfind("rotated " + fingerprints[0] + ": ", 0), 0u) << rotated.out;
  EXPECT_EQ(baseline().entries.at(fingerprints[0]).status, TriageStatus::rotated);
  EXPECT_EQ(stored_value(baseline().entries.at(fingerprints[0]).secret_name), new_value);
  EXPECT_EQ(scan({"--git", "."}), (std::pair<int, std::vector<std::string>>{1, {"needs-rotation"}}));

  testing::TempDir outside;  // the new value's file, outside the repository
  auto token_file = outside.write("new-token", new_value + "-2");
  secrets_.push_back(new_value + "-2");
  auto from_file = keyhound({"vault", "--endpoint-url", server_->url(), "--rotate", fingerprints[1],
                             "--value-from-file", token_file.string(), "--yes"},
                            aws_env());
  ASSERT_EQ(from_file.exit_code, 0) << from_file.err;
  EXPECT_EQ(stored_value(baseline().entries.at(fingerprints[1]).secret_name), new_value + "-2");
  EXPECT_EQ(scan({"--git", "."}), (std::pair<int, std::vector<std::string>>{0, {}}));
  EXPECT_EQ(server_->operation_count("PutSecretValue"), 2);
}

TEST_F(VaultFlow, RotateNeedsOneValueSourceAndAVaultedEntry) {
  start_server();
  plant("app.py", "TOKEN = '", "'\n");
  auto fingerprints = confirm_all();
  ASSERT_EQ(fingerprints.size(), 1u);
  auto rotate = [&](std::vector<std::string> extra) {
    std::vector<std::string> args = {"vault",    "--endpoint-url", server_->url(),
                                     "--rotate", fingerprints[0],  "--yes"};
    args.insert(args.end(), extra.begin(), extra.end());
    return keyhound(args, aws_env());
  };
  auto no_value = rotate({});
  EXPECT_EQ(no_value.exit_code, 2);
  EXPECT_EQ(no_value.err,
            "keyhound: error: --rotate needs the new value: --value-from-stdin or --value-from-file FILE "
            "(one of them)\n");
  aux_.write("new", "khtest_" + testing::random_string(32, kLower));
  secrets_.push_back(testing::read_text(aux_.path() / "new"));
  auto not_vaulted = rotate({"--value-from-file", aux_.str() + "/new"});
  EXPECT_EQ(not_vaulted.exit_code, 2);
  EXPECT_NE(not_vaulted.err.find("fingerprint " + fingerprints[0] + " is confirmed, not in Secrets Manager"),
            std::string::npos)
      << not_vaulted.err;
  auto empty = rotate({"--value-from-file", aux_.str() + "/empty"});
  EXPECT_EQ(empty.exit_code, 2);
  EXPECT_EQ(server_->operation_count("PutSecretValue"), 0);
  EXPECT_EQ(baseline().entries.at(fingerprints[0]).status, TriageStatus::confirmed);
}

// Point 4: an ID and its secret found in one blob vault as one JSON secret with named fields,
// and the fix reads each field.
TEST_F(VaultFlow, APairIsOneJsonSecretAndTheFixReadsItsFields) {
  start_server();
  aux_.write("pair-rules.yml",
             "rules:\n"
             "  - id: test.key-id\n"
             "    name: Test key ID\n"
             "    pattern: '\\b(KHID[A-Z2-7]{16})\\b'\n"
             "    confidence: high\n"
             "    pair: {name: test-key, field: keyId}\n"
             "    examples: ['id = KHIDQ7RT2JQ5WMB3KZ4X']\n"
             "  - id: test.key-secret\n"
             "    name: Test key secret\n"
             "    pattern: '\\b(khsec_[a-z0-9]{32})\\b'\n"
             "    confidence: high\n"
             "    pair: {name: test-key, field: keySecret}\n"
             "    examples: ['secret = khsec_q8rz3vlk2wn9xt4bp7hm1jc6yf0gd5ks']\n");
  std::string key_id = "KHID" + testing::random_string(16, "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567");
  std::string key_secret = "khsec_" + testing::random_string(32, kLower);
  secrets_.push_back(key_secret);
  work_.write("src/aws.py",
              "import os\n\nKEY_ID = \"" + key_id + "\"\nKEY_SECRET = \"" + key_secret + "\"\n");
  auto created =
      keyhound({"baseline", "create", "--no-builtin-rules", "--rules", aux_.str() + "/pair-rules.yml", "."});
  ASSERT_EQ(created.exit_code, 0) << created.err;
  std::map<std::string, std::string> fingerprint_of_field;
  for (const auto& [fingerprint, entry] : baseline().entries) {
    EXPECT_EQ(entry.pair, "test-key");
    fingerprint_of_field[entry.pair_field] = fingerprint;
    ASSERT_EQ(keyhound({"baseline", "set", fingerprint, "confirmed"}).exit_code, 0);
  }
  ASSERT_EQ(fingerprint_of_field.size(), 2u);

  auto dry = vault({"--dry-run", "--format", "json"});
  ASSERT_EQ(dry.exit_code, 0) << dry.err;
  auto plan = nlohmann::json::parse(dry.out);
  ASSERT_EQ(plan["results"].size(), 1u);
  EXPECT_EQ(plan["results"][0]["fields"], (nlohmann::json{{"keyId", fingerprint_of_field["keyId"]},
                                                          {"keySecret", fingerprint_of_field["keySecret"]}}));

  auto vaulted = vault();
  ASSERT_EQ(vaulted.exit_code, 0) << vaulted.err;
  EXPECT_EQ(server_->operation_count("CreateSecret"), 1);
  Baseline after = baseline();
  const BaselineEntry& id_entry = after.entries.at(fingerprint_of_field["keyId"]);
  const BaselineEntry& secret_entry = after.entries.at(fingerprint_of_field["keySecret"]);
  EXPECT_EQ(id_entry.status, TriageStatus::vaulted);
  EXPECT_EQ(secret_entry.status, TriageStatus::vaulted);
  EXPECT_EQ(id_entry.secret_name, secret_entry.secret_name);
  EXPECT_EQ(id_entry.secret_name,
            "keyhound/" + work_.path().filename().string() + "/test-key/" +
                std::min(fingerprint_of_field["keyId"], fingerprint_of_field["keySecret"]));
  EXPECT_EQ(id_entry.secret_field, "keyId");
  EXPECT_EQ(secret_entry.secret_field, "keySecret");
  EXPECT_EQ(nlohmann::json::parse(stored_value(id_entry.secret_name)),
            (nlohmann::json{{"keyId", key_id}, {"keySecret", key_secret}}));

  auto fixed = keyhound({"fix"});
  ASSERT_EQ(fixed.exit_code, 0) << fixed.err;
  std::string read_field = "json.loads(boto3.client(\"secretsmanager\").get_secret_value(SecretId=\"" +
                           id_entry.secret_name + "\")[\"SecretString\"])";
  EXPECT_EQ(read("src/aws.py"), "import os\nimport json\nimport boto3\n\nKEY_ID = " + read_field +
                                    "[\"keyId\"]\nKEY_SECRET = " + read_field + "[\"keySecret\"]\n");
}

// Point 3 for AWS access keys: --rotate --iam makes a new key for the leaked key's user, stores
// the new pair, and sets the leaked key Inactive (never deleted), all against the test server's
// IAM (signatures checked by botocore).
TEST_F(VaultFlow, RotatesAnAwsAccessKeyPairThroughIam) {
  start_server();
  const std::string base32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
  std::string old_id = "AKIA" + testing::random_string(16, base32);
  std::string old_secret =
      testing::random_string(40, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/");
  secrets_.push_back(old_secret);
  work_.write("deploy/aws.py",
              "AWS_ACCESS_KEY_ID = \"" + old_id + "\"\nAWS_SECRET_ACCESS_KEY = \"" + old_secret + "\"\n");
  auto created = keyhound({"baseline", "create", "--no-builtin-rules", "--rules",
                           testing::source_dir() + "/rules/cloud/aws.yml", "."});
  ASSERT_EQ(created.exit_code, 0) << created.err;
  ASSERT_EQ(baseline().entries.size(), 2u);
  std::vector<std::string> fingerprints;
  for (const auto& [fingerprint, entry] : baseline().entries) {
    fingerprints.push_back(fingerprint);
    ASSERT_EQ(keyhound({"baseline", "set", fingerprint, "confirmed"}).exit_code, 0);
  }
  ASSERT_EQ(vault().exit_code, 0);
  std::string name = baseline().entries.at(fingerprints[0]).secret_name;
  ASSERT_EQ(name, baseline().entries.at(fingerprints[1]).secret_name);
  auto iam_keys = [&] { return server_->stats()["iam"]["deploy-bot"]; };
  auto rotate = [&](std::vector<std::string> extra) {
    std::vector<std::string> args = {"vault",        "--endpoint-url", server_->url(),  "--iam-endpoint-url",
                                     server_->url(), "--rotate",       fingerprints[0], "--iam"};
    args.insert(args.end(), extra.begin(), extra.end());
    return keyhound(args, aws_env());
  };

  // The user already has two keys: refused before anything is created.
  std::string other_id = "AKIA" + testing::random_string(16, base32);
  server_->control({{"iam_users", {{"deploy-bot", {old_id, other_id}}}}});
  auto full = rotate({"--yes"});
  EXPECT_EQ(full.exit_code, 2);
  EXPECT_NE(full.err.find("IAM user deploy-bot has 2 access keys already (IAM allows 2)"), std::string::npos)
      << full.err;
  EXPECT_EQ(server_->operation_count("CreateAccessKey"), 0);

  server_->control({{"iam_users", {{"deploy-bot", {old_id}}}}});
  auto unconfirmed = rotate({});
  EXPECT_EQ(unconfirmed.exit_code, 2);
  EXPECT_NE(unconfirmed.err.find("confirm with --yes"), std::string::npos) << unconfirmed.err;
  EXPECT_EQ(server_->operation_count("CreateAccessKey"), 0);

  auto rotated = rotate({"--yes"});
  ASSERT_EQ(rotated.exit_code, 0) << rotated.err;
  auto keys = iam_keys();
  ASSERT_EQ(keys.size(), 2u) << keys.dump();
  EXPECT_EQ(keys[old_id], "Inactive");  // deactivated, not deleted
  std::string new_id;
  for (const auto& [id, status] : keys.items())
    if (id != old_id) new_id = id;
  EXPECT_EQ(keys[new_id], "Active");
  auto stored = nlohmann::json::parse(stored_value(name));
  EXPECT_EQ(stored["accessKeyId"], new_id);
  std::string new_secret = stored["secretAccessKey"];
  secrets_.push_back(new_secret);  // never printed (TearDown checks the transcript)
  EXPECT_EQ(new_secret.size(), 40u);
  for (const auto& fingerprint : fingerprints)
    EXPECT_EQ(baseline().entries.at(fingerprint).status, TriageStatus::rotated);
  EXPECT_NE(rotated.out.find("for IAM user deploy-bot stored in " + name), std::string::npos) << rotated.out;
  EXPECT_EQ(rotated.out.find(new_id), std::string::npos);  // key IDs shown masked
  for (const char* action : {"GetAccessKeyLastUsed", "ListAccessKeys", "CreateAccessKey", "UpdateAccessKey"})
    EXPECT_GE(server_->operation_count(action), 1) << action;
}

}  // namespace
}  // namespace keyhound
