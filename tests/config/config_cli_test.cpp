// .keyhound.yml through the binary: found at the scan root, --config, --no-config, errors.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "support/support.hpp"

namespace keyhound {
namespace {

using testing::run_keyhound;

// Synthetic keys (random, right shape).
const std::string kKeyA = "AKIAL5AUHLUYNVDQUEKH";
const std::string kKeyB = "AKIA73HKSUYY4DZ25AGS";
const std::string kKeyC = "AKIA244RW4PUARS37SDC";

std::vector<std::string> reported_paths(const testing::CommandResult& result) {
  std::vector<std::string> out;
  auto report = nlohmann::json::parse(result.out, nullptr, false);
  if (report.is_discarded()) return {"(no report) " + result.err};
  for (const auto& finding : report["findings"])
    for (const auto& location : finding["locations"]) out.push_back(location["path"]);
  return out;
}

void write_tree(const testing::TempDir& dir) {
  dir.write("repo/src/a.env", "aws_access_key_id = " + kKeyA + "\n");
  dir.write("repo/vendor/b.py", "KEY = '" + kKeyB + "'\n");
  dir.write("repo/fixtures/c.txt", "key " + kKeyC + "\n");
}

TEST(ConfigCli, ConfigAtTheScanRootApplies) {
  testing::TempDir dir;
  write_tree(dir);
  dir.write("repo/.keyhound.yml", "exclude: [vendor]\nallowlist:\n  paths: [fixtures]\n");
  auto result = run_keyhound({"scan", "--format", "json", "repo"}, dir.str());
  EXPECT_EQ(result.exit_code, 1) << result.err;
  EXPECT_EQ(reported_paths(result), (std::vector<std::string>{"repo/src/a.env"}));

  auto ignored = run_keyhound({"scan", "--format", "json", "--no-config", "repo"}, dir.str());
  EXPECT_EQ(reported_paths(ignored),
            (std::vector<std::string>{"repo/fixtures/c.txt", "repo/src/a.env", "repo/vendor/b.py"}));
}

TEST(ConfigCli, StopwordsRegexesAndDisabledRulesDropFindings) {
  testing::TempDir dir;
  write_tree(dir);
  dir.write("other.yml", "allowlist:\n  stopwords: [uekh]\n  regexes: ['S37SDC$']\n");
  auto result = run_keyhound({"scan", "--format", "json", "--config", "other.yml", "repo"}, dir.str());
  EXPECT_EQ(result.exit_code, 1) << result.err;
  EXPECT_EQ(reported_paths(result), (std::vector<std::string>{"repo/vendor/b.py"}));
  auto report = nlohmann::json::parse(result.out);
  EXPECT_EQ(report["summary"]["allowed_by_config"], 2);

  dir.write("disable.yml", "disable: [aws.access-key-id]\n");
  auto disabled = run_keyhound({"scan", "--no-color", "--config", "disable.yml", "repo"}, dir.str());
  EXPECT_EQ(disabled.exit_code, 0) << disabled.err;
  EXPECT_NE(disabled.out.find("0 findings in 3 files"), std::string::npos) << disabled.out;
  EXPECT_NE(disabled.out.find(", 3 allowed by config"), std::string::npos) << disabled.out;
}

TEST(ConfigCli, ExtraRulesAreRelativeToTheConfigFile) {
  testing::TempDir dir;
  dir.write("repo/notes.txt", "ticket token: KHTEST-7f3a9c2e1b5d4068\n");
  dir.write("repo/tools/rules.yml",
            "rules:\n"
            "  - id: internal.ticket-token\n"
            "    name: Internal ticket token\n"
            "    pattern: '\\b(KHTEST-[0-9a-f]{16})\\b'\n"
            "    confidence: medium\n"
            "    examples: ['KHTEST-0a1b2c3d4e5f6a7b']\n");
  dir.write("repo/.keyhound.yml", "rules: [tools/rules.yml]\nexclude: [tools]\n");
  auto result = run_keyhound({"scan", "--format", "json", "repo"}, dir.str());
  EXPECT_EQ(result.exit_code, 1) << result.err;
  auto report = nlohmann::json::parse(result.out, nullptr, false);
  ASSERT_FALSE(report.is_discarded()) << result.err;
  ASSERT_EQ(report["findings"].size(), 1u);
  EXPECT_EQ(report["findings"][0]["rule_id"], "internal.ticket-token");
  EXPECT_EQ(report["findings"][0]["locations"][0]["path"], "repo/notes.txt");
}

TEST(ConfigCli, MalformedConfigIsAnErrorNamingFileAndLine) {
  testing::TempDir dir;
  write_tree(dir);
  dir.write("repo/.keyhound.yml", "exclude: [vendor]\nallowlist:\n  stopword: [x]\n");
  auto unknown = run_keyhound({"scan", "repo"}, dir.str());
  EXPECT_EQ(unknown.exit_code, 2);
  EXPECT_EQ(unknown.out, "");
  EXPECT_EQ(
      unknown.err,
      "keyhound: error: repo/.keyhound.yml:3:3: unknown key 'allowlist.stopword' (known: regexes, paths, "
      "stopwords)\n");

  dir.write("repo/.keyhound.yml", "exclude: [vendor\n");
  auto malformed = run_keyhound({"scan", "repo"}, dir.str());
  EXPECT_EQ(malformed.exit_code, 2);
  EXPECT_EQ(malformed.err.rfind("keyhound: error: repo/.keyhound.yml:2:1: malformed YAML: ", 0), 0u)
      << malformed.err;

  dir.write("repo/.keyhound.yml", "disable: [aws.no-such-rule]\n");
  auto rule = run_keyhound({"scan", "repo"}, dir.str());
  EXPECT_EQ(rule.exit_code, 2);
  EXPECT_EQ(
      rule.err,
      "keyhound: error: repo/.keyhound.yml: disable: unknown rule id 'aws.no-such-rule' (see `keyhound rules "
      "list`)\n");

  auto missing = run_keyhound({"scan", "--config", "nope.yml", "repo"}, dir.str());
  EXPECT_EQ(missing.exit_code, 2);
  EXPECT_NE(missing.err.find("nope.yml"), std::string::npos) << missing.err;
}

}  // namespace
}  // namespace keyhound
