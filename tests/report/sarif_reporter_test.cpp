// The SARIF reporter's document, field by field (the official validator runs in tests/e2e).
#include <gtest/gtest.h>

#include <filesystem>
#include <nlohmann/json.hpp>
#include <sstream>

#include "finding/confidence.hpp"
#include "report/reporter.hpp"

namespace keyhound {
namespace {

RuleList sample_rules() {
  Rule key;
  key.id = "aws.access-key-id";
  key.name = "AWS access key ID";
  key.confidence = Confidence::high;
  key.tags = {"cloud", "aws"};
  key.description = "Identifies an AWS access key.";
  key.references = {"https://docs.aws.amazon.com/IAM/"};
  Rule generic;
  generic.id = "generic.password";
  generic.name = "Password assignment";
  generic.confidence = Confidence::low;
  Rule unused;
  unused.id = "unused.rule";
  unused.name = "Never fires";
  return {key, generic, unused};
}

Location location_at(const std::string& path, std::uint64_t line, std::uint64_t column,
                     std::uint64_t length) {
  Location location;
  location.origin.path = path;
  location.blob_id = "0123456789012345678901234567890123456789";
  location.line = location.end_line = line;
  location.column = column;
  location.end_column = column + length;
  location.start_offset = 100;
  location.end_offset = 100 + length;
  return location;
}

nlohmann::json render(const std::vector<Finding>& findings, ReportContext context) {
  std::ostringstream out;
  make_reporter("sarif")->write(findings, context, out);
  return nlohmann::json::parse(out.str());
}

std::vector<Finding> sample_findings() {
  Finding key;
  key.rule_id = "aws.access-key-id";
  key.fingerprint = "0123456789abcdef";
  key.secret_sha256 = std::string(64, 'c');
  key.masked = "AKIA…WMB3";
  key.secret = "AKIAZ4XQ7RT2JQ5WMB3K";
  key.locations = {location_at("config/my conf.env", 3, 19, 20), location_at("src/app.py", 10, 5, 20)};
  key.rule_confidence = key.confidence = Confidence::high;
  for (auto& location : key.locations) location.confidence = Confidence::high;
  key.locations[1].reasons = kTestPath | kChecksum;
  Finding password;
  password.rule_id = "generic.password";
  password.fingerprint = "fedcba9876543210";
  password.masked = "…";
  password.secret = "hunter2hunter2";
  password.locations = {location_at("src/db.py", 1, 12, 14)};
  password.rule_confidence = password.confidence = password.locations[0].confidence = Confidence::low;
  return {key, password};
}

TEST(SarifReporter, OneResultPerLocationWithRuleMetadata) {
  RuleList rules = sample_rules();
  ReportContext context;
  context.rules = &rules;
  context.show_secrets = true;  // SARIF never carries secrets, even so
  auto sarif = render(sample_findings(), context);

  EXPECT_EQ(sarif["version"], "2.1.0");
  EXPECT_EQ(sarif["$schema"], "https://json.schemastore.org/sarif-2.1.0.json");
  ASSERT_EQ(sarif["runs"].size(), 1u);
  const auto& run = sarif["runs"][0];
  EXPECT_EQ(run["columnKind"], "unicodeCodePoints");
  const auto& driver = run["tool"]["driver"];
  EXPECT_EQ(driver["name"], "keyhound");
  EXPECT_EQ(driver["version"], KEYHOUND_VERSION);
  ASSERT_EQ(driver["rules"].size(), 2u);  // only the rules that fired
  const auto& key_rule = driver["rules"][0];
  EXPECT_EQ(key_rule["id"], "aws.access-key-id");
  EXPECT_EQ(key_rule["name"], "AwsAccessKeyId");
  EXPECT_EQ(key_rule["shortDescription"]["text"], "AWS access key ID.");
  EXPECT_EQ(key_rule["fullDescription"]["text"], "Identifies an AWS access key.");
  EXPECT_EQ(key_rule["helpUri"], "https://docs.aws.amazon.com/IAM/");
  EXPECT_EQ(key_rule["properties"]["security-severity"], "9.0");
  EXPECT_EQ(key_rule["properties"]["precision"], "high");
  EXPECT_EQ(key_rule["properties"]["tags"], nlohmann::json({"security", "secret", "cloud", "aws"}));
  EXPECT_EQ(driver["rules"][1]["id"], "generic.password");
  EXPECT_EQ(driver["rules"][1]["properties"]["security-severity"], "4.0");
  EXPECT_FALSE(driver["rules"][1].contains("helpUri"));

  std::string root = std::filesystem::current_path().lexically_normal().string();
  if (root.back() != '/') root += '/';
  EXPECT_EQ(run["originalUriBaseIds"]["%SRCROOT%"]["uri"], "file://" + root);
  EXPECT_FALSE(run.contains("versionControlProvenance"));

  const auto& results = run["results"];
  ASSERT_EQ(results.size(), 3u);
  const auto& first = results[0];
  EXPECT_EQ(first["ruleId"], "aws.access-key-id");
  EXPECT_EQ(first["ruleIndex"], 0);
  EXPECT_EQ(first["level"], "error");
  EXPECT_EQ(first["message"]["text"],
            "AWS access key ID 'AKIA…WMB3' is hardcoded here (fingerprint 0123456789abcdef).");
  EXPECT_EQ(first["partialFingerprints"]["keyhound/v1"], "0123456789abcdef");
  const auto& physical = first["locations"][0]["physicalLocation"];
  EXPECT_EQ(physical["artifactLocation"]["uri"], "config/my%20conf.env");
  EXPECT_EQ(physical["artifactLocation"]["uriBaseId"], "%SRCROOT%");
  EXPECT_EQ(physical["region"], nlohmann::json::parse(R"({"startLine": 3, "startColumn": 19, "endLine": 3,
      "endColumn": 39, "snippet": {"text": "AKIA…WMB3"}})"));
  EXPECT_FALSE(first["properties"].contains("commit"));
  EXPECT_EQ(results[1]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"], "src/app.py");
  EXPECT_EQ(results[2]["ruleIndex"], 1);
  EXPECT_EQ(results[2]["level"], "warning");
  EXPECT_EQ(first["properties"]["reasons"], nlohmann::json::array());
  EXPECT_EQ(results[1]["properties"]["confidence"], "high");
  EXPECT_EQ(results[1]["properties"]["ruleConfidence"], "high");
  EXPECT_EQ(results[1]["properties"]["reasons"], nlohmann::json::parse(R"(["test-path", "checksum"])"));
  EXPECT_EQ(results[2]["properties"]["confidence"], "low");

  std::string text = sarif.dump();
  EXPECT_EQ(text.find("AKIAZ4XQ7RT2JQ5WMB3K"), std::string::npos);
  EXPECT_EQ(text.find("hunter2hunter2"), std::string::npos);
}

TEST(SarifReporter, GitScansCarryCommitAndProvenance) {
  RuleList rules = sample_rules();
  Finding finding = sample_findings()[0];
  finding.locations.resize(1);
  Origin& origin = finding.locations[0].origin;
  origin.path = "deploy/prod.env";
  origin.commit = "89abcdef0123456789abcdef0123456789abcdef";
  origin.author_name = "Ann Dev";
  origin.author_email = "ann@example.com";
  origin.commit_time = 1700000000;  // 2023-11-14T22:13:20Z
  origin.commit_time_offset = 60;
  origin.summary = "Add deploy config";
  ReportContext context;
  context.rules = &rules;
  context.scan_kind = ScanKind::git;
  context.root = "/srv/checkout";
  context.repository_uri = "https://bot:s3cr3t@github.com/acme/demo.git";
  context.revision = "89abcdef0123456789abcdef0123456789abcdef";
  context.branch = "main";
  auto run = render({finding}, context)["runs"][0];
  EXPECT_EQ(run["originalUriBaseIds"]["%SRCROOT%"]["uri"], "file:///srv/checkout/");
  EXPECT_EQ(run["versionControlProvenance"], nlohmann::json::parse(R"([{
      "repositoryUri": "https://github.com/acme/demo.git",
      "revisionId": "89abcdef0123456789abcdef0123456789abcdef", "branch": "main",
      "mappedTo": {"uriBaseId": "%SRCROOT%"}}])"));
  const auto& result = run["results"][0];
  EXPECT_EQ(result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"], "deploy/prod.env");
  EXPECT_EQ(result["properties"]["commit"], "89abcdef0123456789abcdef0123456789abcdef");
  EXPECT_EQ(result["properties"]["author"], "Ann Dev <ann@example.com>");
  EXPECT_EQ(result["properties"]["date"], "2023-11-14T23:13:20+01:00");
}

TEST(SarifReporter, AbsolutePathsOutsideTheRootStayAbsolute) {
  RuleList rules = sample_rules();
  Finding finding = sample_findings()[0];
  finding.locations = {location_at("/nonexistent-root/x y.env", 1, 1, 20)};
  ReportContext context;
  context.rules = &rules;
  auto location = render({finding}, context)["runs"][0]["results"][0]["locations"][0]["physicalLocation"];
  EXPECT_EQ(location["artifactLocation"],
            nlohmann::json::parse(R"({"uri": "file:///nonexistent-root/x%20y.env"})"));
}

TEST(SarifReporter, BaselineStateSaysWhichResultsAreNew) {
  RuleList rules = sample_rules();
  Baseline baseline;
  baseline.entries["0123456789abcdef"].fingerprint = "0123456789abcdef";
  baseline.entries["0123456789abcdef"].status = TriageStatus::confirmed;
  ReportContext context;
  context.rules = &rules;
  auto plain = render(sample_findings(), context)["runs"][0]["results"];
  EXPECT_FALSE(plain[0].contains("baselineState"));
  context.baseline = &baseline;
  auto results = render(sample_findings(), context)["runs"][0]["results"];
  ASSERT_EQ(results.size(), 3u);
  EXPECT_EQ(results[0]["baselineState"], "unchanged");
  EXPECT_EQ(results[1]["baselineState"], "unchanged");
  EXPECT_EQ(results[2]["baselineState"], "new");
}

TEST(SarifReporter, EmptyScanHasAnEmptyResultList) {
  RuleList rules = sample_rules();
  ReportContext context;
  context.rules = &rules;
  auto run = render({}, context)["runs"][0];
  EXPECT_EQ(run["results"], nlohmann::json::array());
  EXPECT_EQ(run["tool"]["driver"]["rules"], nlohmann::json::array());
}

}  // namespace
}  // namespace keyhound
