// .keyhound.yml at the repository root applies to git history scans, whose blobs reach the
// filter with paths the directory walker never saw.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

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

}  // namespace
}  // namespace keyhound
