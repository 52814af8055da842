// Secret names, idempotency tokens, tags and remediation snippets of the vault plan.
#include "vault/plan.hpp"

#include <gtest/gtest.h>

#include <regex>

#include "vault/remediation.hpp"

namespace keyhound {
namespace {

Baseline sample() {
  Baseline baseline;
  BaselineEntry entry;
  entry.fingerprint = "0123456789abcdef";
  entry.rule_id = "github.pat";
  entry.status = TriageStatus::confirmed;
  entry.masked = "ghp_…Zx9Q";
  entry.locations.push_back({"src/My App/config.py", "", "", 12, 5, 100, 140, ""});
  baseline.entries[entry.fingerprint] = entry;
  BaselineEntry other = entry;
  other.fingerprint = "fedcba9876543210";
  other.status = TriageStatus::false_positive;
  baseline.entries[other.fingerprint] = other;
  return baseline;
}

TEST(VaultPlan, NamesTokensTagsAndDescription) {
  Baseline baseline = sample();
  EXPECT_EQ(confirmed_fingerprints(baseline), std::vector<std::string>{"0123456789abcdef"});
  auto plan = plan_vault(baseline, {"0123456789abcdef"}, {kDefaultNameTemplate, "my repo"});
  ASSERT_TRUE(plan.ok()) << plan.error().message;
  ASSERT_EQ(plan->size(), 1u);
  const PlannedSecret& planned = plan->front();
  EXPECT_EQ(planned.secret_name, "keyhound/my-repo/github.pat/0123456789abcdef");
  EXPECT_EQ(planned.source, "src/My App/config.py:12");
  EXPECT_EQ(planned.description,
            "Moved out of source code by keyhound: github.pat found at src/My App/config.py:12 (fingerprint "
            "0123456789abcdef)");
  std::vector<std::pair<std::string, std::string>> tags = {{"keyhound:rule", "github.pat"},
                                                           {"keyhound:fingerprint", "0123456789abcdef"},
                                                           {"keyhound:source", "src/My App/config.py:12"}};
  EXPECT_EQ(planned.tags, tags);
  std::regex uuid("[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}");
  EXPECT_TRUE(std::regex_match(planned.create_token, uuid)) << planned.create_token;
  EXPECT_TRUE(std::regex_match(planned.update_token, uuid)) << planned.update_token;
  EXPECT_NE(planned.create_token, planned.update_token);
  EXPECT_EQ(planned.create_token, request_token("create", "0123456789abcdef")) << "stable across runs";
  EXPECT_NE(planned.create_token, request_token("create", "0123456789abcdee"));
}

TEST(VaultPlan, TemplatePlaceholdersAndSanitizing) {
  Baseline baseline = sample();
  auto plan = plan_vault(baseline, {"0123456789abcdef"}, {"apps/{repo}/{path}#{rule}", "r"});
  ASSERT_TRUE(plan.ok());
  EXPECT_EQ(plan->front().secret_name, "apps/r/src/My-App/config.py-github.pat");
  EXPECT_EQ(sanitize_secret_name("a b!c$d/é_+=.@-"), "a-b-c-d/--_+=.@-");
  EXPECT_EQ(sanitize_secret_name(std::string(600, 'x')).size(), 512u);
  auto unknown = plan_vault(baseline, {"0123456789abcdef"}, {"{team}/{rule}", "r"});
  ASSERT_FALSE(unknown.ok());
  EXPECT_EQ(unknown.error().message,
            "--name-template: unknown placeholder {team} (use {repo}, {rule}, {fingerprint}, {path})");
}

TEST(VaultPlan, RefusesUnknownAndFalsePositiveFingerprints) {
  Baseline baseline = sample();
  auto missing = plan_vault(baseline, {"1111111111111111"}, {});
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().message, "fingerprint 1111111111111111 is not in the baseline");
  auto triaged = plan_vault(baseline, {"fedcba9876543210"}, {});
  ASSERT_FALSE(triaged.ok());
  EXPECT_EQ(triaged.error().message,
            "fingerprint fedcba9876543210 is triaged as false_positive; set it to confirmed to vault it");
}

TEST(Remediation, SnippetForTheLanguageOfTheFile) {
  const std::string name = "keyhound/app/x/0123456789abcdef";
  EXPECT_EQ(remediation_for(name, "a/b.py").language, "python");
  EXPECT_EQ(remediation_for(name, "a/b.mjs").language, "javascript");
  EXPECT_EQ(remediation_for(name, "a/b.tsx").language, "typescript");
  EXPECT_EQ(remediation_for(name, "main.go").language, "go");
  EXPECT_EQ(remediation_for(name, "App.java").language, "java");
  EXPECT_EQ(remediation_for(name, ".env").language, "shell");
  Remediation python = remediation_for(name, "settings.py");
  EXPECT_EQ(python.snippet,
            "import boto3\nsecret = boto3.client(\"secretsmanager\").get_secret_value(SecretId=\"" + name +
                "\")[\"SecretString\"]");
  EXPECT_EQ(remediation_for("a+b=c@d", "x.sh").agent_command,
            "response=\"$(curl -sf -H \"X-Aws-Parameters-Secrets-Token: ${AWS_TOKEN:-$(cat "
            "/var/run/awssmatoken)}\" "
            "'http://localhost:2773/secretsmanager/get?secretId=a%2Bb%3Dc%40d')\" || exit 1\n"
            "secret=\"$(printf '%s' \"$response\" | jq -er .SecretString)\" || exit 1\n"
            "unset response");
  // A pair's JSON secret: each snippet reads the fields.
  EXPECT_EQ(remediation_for(name, "aws.py", {"accessKeyId", "secretAccessKey"}).snippet,
            "import boto3\nsecret = boto3.client(\"secretsmanager\").get_secret_value(SecretId=\"" + name +
                "\")[\"SecretString\"]\nimport json\nfields = json.loads(secret)\naccessKeyId = "
                "fields[\"accessKeyId\"]\nsecretAccessKey = fields[\"secretAccessKey\"]");
  EXPECT_EQ(remediation_for(name, "deploy.sh", {"accessKeyId"}).snippet,
            "secret=\"$(aws secretsmanager get-secret-value --secret-id '" + name +
                "' --query SecretString --output text)\"\naccessKeyId=\"$(printf '%s' \"$secret\" | jq -er "
                ".accessKeyId)\" || exit 1");
  EXPECT_EQ(remediation_for(name, "web/aws.mjs", {"accessKeyId", "secretAccessKey"})
                .snippet.substr(remediation_for(name, "web/aws.mjs").snippet.size()),
            "\nconst { accessKeyId, secretAccessKey } = JSON.parse(secret);");
  EXPECT_EQ(remediation_for(name, "deploy.sh").snippet,
            "secret=\"$(aws secretsmanager get-secret-value --secret-id '" + name +
                "' --query SecretString --output text)\"");
}

}  // namespace
}  // namespace keyhound
