// End to end: `keyhound scan --staged` reports only what the index adds over HEAD.
#include <filesystem>

#include "e2e/git_test_repo.hpp"
#include "support/build_paths.hpp"
#include "util/file.hpp"

namespace keyhound {
namespace {

using namespace testing;
using Lines = std::vector<std::string>;

TEST(GitStaged, OnlyAddedLinesAreReportedWithTheStagedPathAndLine) {
  GitRepo repo;
  repo.write("app.env", key_line(kGitKeyA) + "MODE=dev\n");
  repo.commit("initial");
  // A secret already in HEAD stays unreported; the added line is reported at its staged line.
  repo.write("app.env", key_line(kGitKeyA) + "MODE=dev\n" + "export " + key_line(kGitKeyB));
  repo.git("add app.env");
  auto report = scan_report({"--staged", repo.str()}, 1);
  EXPECT_EQ(key_locations(report), (Lines{"app.env:3:26"}));
  EXPECT_EQ(report["scan"]["kind"], "staged");
  EXPECT_EQ(report["summary"]["blobs_scanned"], 1);
}

TEST(GitStaged, ChangedLineIsReported) {
  GitRepo repo;
  repo.write("app.env", "# keys\nAWS_ACCESS_KEY_ID=\n");
  repo.commit("initial");
  repo.write("app.env", "# keys\n" + key_line(kGitKeyC));
  repo.git("add app.env");
  EXPECT_EQ(key_locations(scan_report({"--staged", repo.str()}, 1)), (Lines{"app.env:2:19"}));
}

TEST(GitStaged, UnstagedChangeIsNotReported) {
  GitRepo repo;
  repo.write("app.env", "MODE=dev\n");
  repo.commit("initial");
  repo.write("app.env", "MODE=dev\n" + key_line(kGitKeyB));  // in the work tree only
  repo.write("other.txt", "staged, clean\n");
  repo.git("add other.txt");
  auto report = scan_report({"--staged", repo.str()}, 0);
  EXPECT_EQ(key_findings(report), 0);
  EXPECT_EQ(report["summary"]["blobs_scanned"], 1);
}

TEST(GitStaged, DeletedLineIsNotReported) {
  GitRepo repo;
  repo.write("app.env", "MODE=dev\n" + key_line(kGitKeyA) + "DEBUG=1\n");
  repo.commit("initial");
  repo.write("app.env", "MODE=dev\nDEBUG=1\n");
  repo.git("add app.env");
  EXPECT_EQ(key_findings(scan_report({"--staged", repo.str()}, 0)), 0);
}

TEST(GitStaged, SecretAlreadyInHeadIsNotReportedWhenItsFileIsMoved) {
  GitRepo repo;
  repo.write("app.env", key_line(kGitKeyA));
  repo.commit("initial");
  repo.git("mv app.env moved.env");
  EXPECT_EQ(key_findings(scan_report({"--staged", repo.str()}, 0)), 0);
}

TEST(GitStaged, WorksBeforeTheFirstCommit) {
  GitRepo repo;
  repo.write("first.env", "# first\n" + key_line(kGitKeyD));
  repo.git("add first.env");
  EXPECT_EQ(key_locations(scan_report({"--staged", repo.str()}, 1)), (Lines{"first.env:2:19"}));
}

TEST(GitStaged, ReadsTheIndexNamedByGitIndexFile) {
  GitRepo repo;
  repo.write("app.env", "MODE=dev\n");
  repo.commit("initial");
  repo.write("app.env", "MODE=dev\n" + key_line(kGitKeyB));
  // What `git commit -a` does: stage into a temporary index, leave the default one alone.
  TempDir scratch;
  std::string index = (scratch.path() / "next-index").string();
  std::filesystem::copy_file(repo.dir().path() / ".git/index", index);
  repo.git("add app.env", "GIT_INDEX_FILE=" + shell_quote(index));
  EXPECT_EQ(key_findings(scan_report({"--staged", repo.str()}, 0)), 0);  // the default index
  auto result = run_command("cd " + shell_quote(repo.str()) + " && GIT_INDEX_FILE=" + shell_quote(index) +
                            " KEYHOUND_CACHE_DIR=" + shell_quote(KEYHOUND_TEST_CACHE_DIR) + " " +
                            shell_quote(KEYHOUND_BIN) + " scan --staged --format json");
  ASSERT_EQ(result.exit_code, 1) << result.err;
  EXPECT_EQ(key_locations(nlohmann::json::parse(result.out)), (Lines{"app.env:2:19"}));
}

TEST(GitStaged, EveryIndexVersionGivesTheSameFindings) {
  for (const char* version : {"2", "3", "4"}) {
    GitRepo repo;
    repo.write("deep/er/app.env", "MODE=dev\n");
    repo.write("other/kept.env", key_line(kGitKeyA));
    repo.commit("initial");
    repo.write("deep/er/app.env", "MODE=dev\n" + key_line(kGitKeyB));
    repo.write("deep/new.env", "# new\n# file\n" + key_line(kGitKeyC));
    repo.git("add -A");
    repo.git(std::string("update-index --index-version ") + version);
    if (std::string(version) == "3") repo.git("update-index --skip-worktree other/kept.env");
    auto report = scan_report({"--staged", repo.str()}, 1);
    EXPECT_EQ(key_locations(report), (Lines{"deep/er/app.env:2:19", "deep/new.env:3:19"}))
        << "index v" << version;
    EXPECT_EQ(report["summary"]["blobs_scanned"], 2) << "index v" << version;
  }
}

TEST(GitStaged, IndexTheReaderRefusesGoesToLibgit2AndFailsLoudly) {
  GitRepo repo;
  repo.write("app.env", "MODE=dev\n");
  repo.commit("initial");
  repo.git("update-index --split-index");  // a "link" extension: neither reader takes it
  repo.write("app.env", "MODE=dev\n" + key_line(kGitKeyB));
  repo.git("add app.env");
  auto result = run_keyhound({"scan", "--staged", repo.str()});
  EXPECT_EQ(result.exit_code, 2) << result.err;
  EXPECT_NE(result.err.find("cannot read the index: unsupported mandatory extension: 'link'"),
            std::string::npos)
      << result.err;
}

TEST(GitStaged, DamagedIndexIsAnError) {
  GitRepo repo;
  repo.write("app.env", "MODE=dev\n");
  repo.commit("initial");
  repo.write("app.env", "MODE=dev\n" + key_line(kGitKeyB));
  repo.git("add app.env");
  auto index = read_whole_file(repo.str() + "/.git/index");
  ASSERT_TRUE(index);
  // Cut inside the first entry: git refuses the file too ("index file corrupt").
  repo.write(".git/index", index->substr(0, 12 + 50 + 20));
  auto result = run_keyhound({"scan", "--staged", repo.str()});
  EXPECT_EQ(result.exit_code, 2) << result.err;
  EXPECT_NE(result.err.find("cannot read the index"), std::string::npos) << result.err;
}

// git verifies the index's checksum only in fsck: an index whose stat data changed under a stale
// checksum is read as git reads it, and the staged key is still found.
TEST(GitStaged, StaleIndexChecksumIsReadAsGitReadsIt) {
  GitRepo repo;
  repo.write("app.env", "MODE=dev\n");
  repo.commit("initial");
  repo.write("app.env", "MODE=dev\n" + key_line(kGitKeyB));
  repo.git("add app.env");
  auto index = read_whole_file(repo.str() + "/.git/index");
  ASSERT_TRUE(index);
  std::string restamped = *index;
  restamped[12 + 8] ^= 0x55;  // the first entry's mtime; the checksum no longer matches
  repo.write(".git/index", restamped);
  EXPECT_EQ(repo.git("diff --cached --name-only"), "app.env");
  EXPECT_EQ(key_locations(scan_report({"--staged", repo.str()}, 1)), (Lines{"app.env:2:19"}));
}

TEST(GitStaged, NotARepositoryIsExitTwo) {
  TempDir plain;
  auto result = run_keyhound({"scan", "--staged", plain.str()});
  EXPECT_EQ(result.exit_code, 2);
  EXPECT_NE(result.err.find("not a git repository (or any of its parents): " + plain.str()),
            std::string::npos)
      << result.err;
}

TEST(GitStaged, GitAndStagedTogetherIsAnError) {
  GitRepo repo;
  auto result = run_keyhound({"scan", "--git", "--staged", repo.str()});
  EXPECT_EQ(result.exit_code, 2);
  EXPECT_NE(result.err.find("--git and --staged cannot be combined"), std::string::npos) << result.err;
}

}  // namespace
}  // namespace keyhound
