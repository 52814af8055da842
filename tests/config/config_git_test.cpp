// .keyhound.yml at the repository root applies to git history scans, whose blobs reach the
// filter with paths the directory walker never saw.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "e2e/git_test_repo.hpp"
#include "support/support.hpp"

namespace keyhound {
namespace {

using testing::run_command;
using testing::shell_quote;

TEST(ConfigGit, RepositoryRootConfigFiltersHistory) {
  testing::TempDir repo;
  std::string git = "git -C " + shell_quote(repo.str()) +
                    " -c user.name='Ann Dev' -c user.email=ann@example.com -c commit.gpgsign=false ";
  ASSERT_EQ(run_command("git init -q " + shell_quote(repo.str())).exit_code, 0);
  repo.write("vendor/lib.py", "KEY = 'AKIAL5AUHLUYNVDQUEKH'\n");
  repo.write("src/app.py", "KEY = 'AKIA73HKSUYY4DZ25AGS'\n");
  repo.write("docs/example.md", "key: AKIA244RW4PUARS37SDC\n");
  repo.write(".keyhound.yml", "exclude: [vendor]\nallowlist:\n  paths: ['docs/*.md']\n");
  ASSERT_EQ(run_command(git + "add -A && " + git + "commit -q -m 'Initial'").exit_code, 0);

  auto result = testing::run_keyhound({"scan", "--git", "--format", "json", repo.str()});
  ASSERT_EQ(result.exit_code, 1) << result.err;
  auto report = nlohmann::json::parse(result.out);
  ASSERT_EQ(report["findings"].size(), 1u) << result.out;
  EXPECT_EQ(report["findings"][0]["locations"][0]["path"], "src/app.py");
  EXPECT_EQ(report["summary"]["allowed_by_config"], 2);

  auto unfiltered = testing::run_keyhound({"scan", "--git", "--no-config", "--format", "json", repo.str()});
  EXPECT_EQ(nlohmann::json::parse(unfiltered.out)["findings"].size(), 3u) << unfiltered.out;
}

// The config of a git scan is read beside the rule loading; rules it adds still take part, in
// history and staged scans alike, and a broken config still stops the scan naming the file.
TEST(ConfigGit, RulesTheConfigAddsScanHistoryAndStagedChanges) {
  testing::GitRepo repo;
  repo.write("team-rules/acme.yml",
             "rules:\n  - id: acme.token\n    name: Acme token\n    pattern: '\\b(acme_[a-z0-9]{20})\\b'\n");
  repo.write(".keyhound.yml", "rules: [team-rules/acme.yml]\n");
  repo.write("app.py", "TOKEN = 'acme_q7w2k9x4m1z8r5t3y6u0'\n");
  repo.commit("Initial");

  auto report = testing::scan_report({"--git", repo.str()}, 1);
  ASSERT_EQ(report["findings"].size(), 1u) << report.dump();
  EXPECT_EQ(report["findings"][0]["rule_id"], "acme.token");
  EXPECT_EQ(report["findings"][0]["locations"][0]["path"], "app.py");

  repo.write("later.py", "\nSECOND = 'acme_k3m9q2w7x4z8r1t5y6u0'\n");
  repo.git("add later.py");
  report = testing::scan_report({"--staged", repo.str()}, 1);
  ASSERT_EQ(report["findings"].size(), 1u) << report.dump();
  EXPECT_EQ(report["findings"][0]["rule_id"], "acme.token");
  EXPECT_EQ(report["findings"][0]["locations"][0]["path"], "later.py");
  EXPECT_EQ(report["findings"][0]["locations"][0]["line"], 2);

  repo.write(".keyhound.yml", "rulez: [team-rules/acme.yml]\n");
  auto broken = testing::run_keyhound({"scan", "--git", repo.str()});
  EXPECT_EQ(broken.exit_code, 2);
  EXPECT_NE(broken.err.find(".keyhound.yml:1:1: unknown key 'rulez'"), std::string::npos) << broken.err;
}

}  // namespace
}  // namespace keyhound
