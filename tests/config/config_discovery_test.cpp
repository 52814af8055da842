// One rule for which .keyhound.yml a scan uses: the nearest one from the scanned path up to the
// repository root, for files, directories, --git and --staged alike; and the config's own
// strictness (duplicate keys, allow_foreign_comments).
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "config/config.hpp"
#include "e2e/git_test_repo.hpp"

namespace keyhound {
namespace {

using namespace testing;

// Synthetic keys (random, right shape).
const std::string kAppKey = "AKIAWQ3NJ5ZLT7RBGXEH";
const std::string kGeneratedKey = "AKIAP6DXKC2MVUY4HS7Q";
const std::string kFixtureKey = "AKIAFZ5T3QJH7XNW2CLB";

// The file names of every location reported, sorted.
std::vector<std::string> reported_files(const CommandResult& result) {
  std::vector<std::string> out;
  auto report = nlohmann::json::parse(result.out, nullptr, false);
  if (report.is_discarded()) return {"(no report) " + result.err};
  for (const auto& finding : report["findings"])
    for (const auto& location : finding["locations"]) {
      std::string path = location["path"];
      out.push_back(path.substr(path.rfind('/') + 1));
    }
  std::sort(out.begin(), out.end());
  return out;
}

class ConfigDiscovery : public ::testing::Test {
 protected:
  void SetUp() override {
    // The root config excludes a folder by path and allows one by name.
    repo.write(".keyhound.yml", "exclude: [src/generated]\nallowlist:\n  paths: [fixtures]\n");
    repo.commit("config");
    repo.write("src/app.env", "aws_access_key_id = " + kAppKey + "\n");
    repo.write("src/generated/client.env", "aws_access_key_id = " + kGeneratedKey + "\n");
    repo.write("src/fixtures/keys.env", "aws_access_key_id = " + kFixtureKey + "\n");
  }
  CommandResult scan(std::vector<std::string> args, const std::string& cwd) {
    args.insert(args.begin(), {"scan", "--format", "json"});
    return run_keyhound(args, cwd);
  }
  GitRepo repo;
  const std::vector<std::string> only_app{"app.env"};
};

TEST_F(ConfigDiscovery, RootConfigAppliesToTheRootASubdirectoryAndAFile) {
  for (const auto& [target, cwd] :
       std::vector<std::pair<std::string, std::string>>{{".", repo.str()},
                                                        {"src", repo.str()},
                                                        {"src/", repo.str()},
                                                        {".", repo.str() + "/src"},
                                                        {repo.str() + "/src", "/"}}) {
    auto result = scan({target}, cwd);
    EXPECT_EQ(result.exit_code, 1) << target << " in " << cwd << ": " << result.err;
    EXPECT_EQ(reported_files(result), only_app) << target << " in " << cwd;
  }
  // A file: allowlist paths apply to it as well; a file the config excludes is not scanned.
  auto file = scan({"src/fixtures/keys.env"}, repo.str());
  EXPECT_EQ(file.exit_code, 0) << file.out << file.err;
}

TEST_F(ConfigDiscovery, GitAndStagedScansUseTheSameConfig) {
  repo.git("add -A");
  auto staged = scan({"--staged"}, repo.str() + "/src");
  EXPECT_EQ(staged.exit_code, 1) << staged.err;
  EXPECT_EQ(reported_files(staged), only_app);
  repo.commit("code");
  auto history = scan({"--git", repo.str()}, "/");
  EXPECT_EQ(history.exit_code, 1) << history.err;
  EXPECT_EQ(reported_files(history), only_app);
}

TEST_F(ConfigDiscovery, TheNearestConfigWins) {
  repo.write("src/.keyhound.yml", "allowlist:\n  paths: [app.env]\n");
  auto result = scan({"src"}, repo.str());
  // src's own config replaces the root's: generated/ is scanned, app.env is allowed.
  EXPECT_EQ(reported_files(result), (std::vector<std::string>{"client.env", "keys.env"})) << result.err;
}

TEST(ConfigDiscoveryOutsideRepositories, OnlyTheScannedFolderItselfCounts) {
  TempDir dir;
  dir.write("plain/.keyhound.yml", "exclude: [sub]\n");
  dir.write("plain/sub/app.env", "aws_access_key_id = " + kAppKey + "\n");
  EXPECT_EQ(run_keyhound({"scan", "plain"}, dir.str()).exit_code, 0);
  auto below = run_keyhound({"scan", "--format", "json", "plain/sub"}, dir.str());
  EXPECT_EQ(reported_files(below), (std::vector<std::string>{"app.env"})) << below.err;
}

TEST(ConfigStrictness, DuplicateKeysNameBothLines) {
  auto top = parse_config("exclude: [a]\ndisable: []\nexclude: [b]\n", "repo/.keyhound.yml");
  ASSERT_FALSE(top.ok());
  EXPECT_EQ(top.error().message, "repo/.keyhound.yml:3:1: duplicate key 'exclude' (first at line 1)");
  auto nested = parse_config("allowlist:\n  paths: [a]\n  stopwords: [x]\n  paths: [b]\n", "c.yml");
  ASSERT_FALSE(nested.ok());
  EXPECT_EQ(nested.error().message, "c.yml:4:3: duplicate key 'paths' (first at line 2)");
}

TEST(ConfigStrictness, DuplicateKeyThroughTheBinaryExitsTwo) {
  TempDir dir;
  dir.write("repo/.keyhound.yml", "min_confidence: low\nmin_confidence: high\n");
  auto result = run_keyhound({"scan", "repo"}, dir.str());
  EXPECT_EQ(result.exit_code, 2);
  EXPECT_NE(result.err.find(".keyhound.yml:2:1: duplicate key 'min_confidence' (first at line 1)"),
            std::string::npos)
      << result.err;
}

TEST(ConfigStrictness, AllowForeignCommentsIsABoolean) {
  auto on = parse_config("allow_foreign_comments: true\n", "k.yml");
  ASSERT_TRUE(on.ok()) << on.error().message;
  EXPECT_TRUE(on->allow_foreign_comments);
  auto off = parse_config("{}\n", "k.yml");
  ASSERT_TRUE(off.ok());
  EXPECT_FALSE(off->allow_foreign_comments);
  auto bad = parse_config("allow_foreign_comments: yes please\n", "k.yml");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().message,
            "k.yml:1:25: allow_foreign_comments: expected true or false, not 'yes please'");
}

}  // namespace
}  // namespace keyhound
