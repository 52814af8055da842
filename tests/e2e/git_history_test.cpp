// End to end: `keyhound scan --git` on repositories built with git at test time.
#include <filesystem>
#include <fstream>
#include <utility>
#include <vector>

#include "e2e/git_test_repo.hpp"

namespace keyhound {
namespace {

using namespace testing;
using Lines = std::vector<std::string>;

std::string who(const std::string& commit, const std::string& summary) {
  return " " + commit + " Alice Example <alice@example.com> | " + summary;
}

TEST(GitHistory, SecretAddedThenDeletedIsFoundWithItsIntroducingCommit) {
  GitRepo repo;
  repo.write("README.md", "# app\n");
  repo.commit("initial");
  repo.write("config/app.env", "# settings\n" + key_line(kGitKeyA));
  std::string added = repo.commit("add settings");
  std::filesystem::remove(repo.dir().path() / "config/app.env");
  repo.commit("remove settings");
  auto report = scan_report({"--git", repo.str()}, 1);
  EXPECT_EQ(key_locations(report), (Lines{"config/app.env:2:19" + who(added, "add settings")}));
  const auto& commit = report["findings"][0]["locations"][0]["commit"];
  EXPECT_EQ(commit["time"], 1700000120);
  EXPECT_EQ(commit["time_offset_minutes"], 0);
  EXPECT_EQ(report["scan"]["kind"], "git");
  EXPECT_EQ(report["summary"]["blobs_scanned"], 2);
}

TEST(GitHistory, SecretOnlyOnASideBranch) {
  GitRepo repo;
  repo.write("a.txt", "a\n");
  repo.commit("initial");
  repo.git("checkout -q -b side");
  repo.write("side.env", key_line(kGitKeyB));
  std::string side = repo.commit("side work");
  repo.git("checkout -q main");
  EXPECT_EQ(key_locations(scan_report({"--git", repo.str()}, 1)),
            (Lines{"side.env:1:19" + who(side, "side work")}));
  EXPECT_EQ(key_findings(scan_report({"--git", "--branch", "main", repo.str()}, 0)), 0);
  EXPECT_EQ(key_locations(scan_report({"--git", "--branch", "side", repo.str()}, 1)),
            (Lines{"side.env:1:19" + who(side, "side work")}));
}

TEST(GitHistory, SecretOnlyInATag) {
  GitRepo repo;
  repo.write("a.txt", "a\n");
  repo.commit("initial");
  repo.git("checkout -q --detach");
  repo.write("release.env", key_line(kGitKeyC));
  std::string tagged = repo.commit("release build");
  repo.git("tag -a v1.0 -m 'version 1.0'");
  repo.git("checkout -q main");
  EXPECT_EQ(key_locations(scan_report({"--git", repo.str()}, 1)),
            (Lines{"release.env:1:19" + who(tagged, "release build")}));
  EXPECT_EQ(key_findings(scan_report({"--git", "--ref", "main", repo.str()}, 0)), 0);
  EXPECT_EQ(key_findings(scan_report({"--git", "--ref", "v1.0", repo.str()}, 1)), 1);
}

TEST(GitHistory, SecretsOnlyInTheStashIncludingAnOlderStash) {
  GitRepo repo;
  repo.write("app.env", "MODE=dev\n");
  repo.commit("initial");
  repo.write("app.env", "MODE=dev\n" + key_line(kGitKeyA));
  repo.git("stash -q");
  repo.tick();
  std::string older = repo.git("rev-parse stash@{0}");
  repo.write("app.env", "MODE=prod\n" + key_line(kGitKeyB));
  repo.git("stash -q");
  std::string newer = repo.git("rev-parse stash@{0}");
  auto report = scan_report({"--git", repo.str()}, 1);
  std::string base = repo.git("rev-parse --short HEAD");
  Lines expected = {"app.env:2:19" + who(newer, "WIP on main: " + base + " initial"),
                    "app.env:2:19" + who(older, "WIP on main: " + base + " initial")};
  std::sort(expected.begin(), expected.end());
  EXPECT_EQ(key_locations(report), expected);
}

TEST(GitHistory, SameBlobAtFiftyPathsAndHundredCommitsIsScannedOnce) {
  GitRepo repo;
  Lines expected;
  for (int i = 0; i < 50; ++i) {
    std::string path = "service" + std::to_string(i) + "/deploy.env";
    repo.write(path, key_line(kGitKeyD));
    std::string commit = repo.commit("add service " + std::to_string(i));
    expected.push_back(path + ":1:19" + who(commit, "add service " + std::to_string(i)));
  }
  for (int i = 0; i < 50; ++i) {
    repo.write("CHANGELOG", "release " + std::to_string(i) + "\n");
    repo.commit("release " + std::to_string(i));
  }
  std::sort(expected.begin(), expected.end());
  auto report = scan_report({"--git", repo.str()}, 1);
  EXPECT_EQ(key_findings(report), 1);
  EXPECT_EQ(key_locations(report), expected);
  // The key's blob once, plus the 50 versions of CHANGELOG.
  EXPECT_EQ(report["summary"]["blobs_scanned"], 51);
}

TEST(GitHistory, RenameGivesTheNewPathItsRenamingCommit) {
  GitRepo repo;
  repo.write("old/key.env", "# keys\n" + key_line(kGitKeyA));
  std::string added = repo.commit("add key");
  std::filesystem::create_directories(repo.dir().path() / "new");
  repo.git("mv old/key.env new/key.env");
  std::string renamed = repo.commit("move key");
  EXPECT_EQ(
      key_locations(scan_report({"--git", repo.str()}, 1)),
      (Lines{"new/key.env:2:19" + who(renamed, "move key"), "old/key.env:2:19" + who(added, "add key")}));
}

TEST(GitHistory, MergeCommitKeepsBranchProvenanceAndOwnsWhatItAdds) {
  GitRepo repo;
  repo.write("a.txt", "a\n");
  repo.commit("initial");
  repo.git("checkout -q -b feature");
  repo.write("feature.env", key_line(kGitKeyA));
  std::string feature = repo.commit("feature key");
  repo.git("checkout -q main");
  repo.write("b.txt", "b\n");
  repo.commit("main work");
  repo.git("merge -q --no-ff --no-commit feature");
  repo.write("merge.env", key_line(kGitKeyB));
  std::string merge = repo.commit("merge feature");
  EXPECT_EQ(key_locations(scan_report({"--git", repo.str()}, 1)),
            (Lines{"feature.env:1:19" + who(feature, "feature key"),
                   "merge.env:1:19" + who(merge, "merge feature")}));
  EXPECT_EQ(repo.git("rev-list --parents -n 1 HEAD").size(), 3u * 40 + 2);  // really a merge
}

TEST(GitHistory, SinceScansOnlyWhatLaterCommitsIntroduced) {
  GitRepo repo;
  repo.write("old.env", key_line(kGitKeyA));
  repo.commit("old key");
  repo.write("notes.txt", "base\n");
  std::string base = repo.commit("base");
  repo.write("new.env", "# new\n" + key_line(kGitKeyB));
  std::string later = repo.commit("new key");
  repo.write("notes.txt", "base\nmore\n");
  repo.commit("notes");
  auto report = scan_report({"--git", "--since", base, repo.str()}, 1);
  EXPECT_EQ(key_locations(report), (Lines{"new.env:2:19" + who(later, "new key")}));
  EXPECT_EQ(report["summary"]["blobs_scanned"], 2);  // new.env and the second notes.txt
  EXPECT_EQ(key_findings(scan_report({"--git", "--since", "HEAD", repo.str()}, 0)), 0);
  std::string err;
  scan_report({"--git", "--since", "no-such-rev", repo.str()}, 2, "", &err);
  EXPECT_NE(err.find("no-such-rev"), std::string::npos) << err;
}

TEST(GitHistory, ShallowCloneScansWhatItHas) {
  GitRepo origin;
  origin.write("old.env", key_line(kGitKeyA));
  origin.commit("old key");
  origin.write("new.env", key_line(kGitKeyB));
  std::string tip = origin.commit("new key");
  TempDir clones;
  std::string shallow = (clones.path() / "shallow").string();
  auto cloned = run_command(kGitEnv + "git clone -q --depth 1 " + shell_quote("file://" + origin.str()) +
                            " " + shell_quote(shallow));
  ASSERT_EQ(cloned.exit_code, 0) << cloned.err;
  std::string err;
  auto report = scan_report({"--git", shallow}, 1, "", &err);
  // The boundary commit holds both files: the history before it is not in the clone.
  EXPECT_EQ(key_locations(report),
            (Lines{"new.env:1:19" + who(tip, "new key"), "old.env:1:19" + who(tip, "new key")}));
  EXPECT_NE(err.find("shallow clone"), std::string::npos) << err;
}

TEST(GitHistory, BareRepository) {
  GitRepo origin;
  origin.write("k.env", key_line(kGitKeyC));
  std::string commit = origin.commit("key");
  TempDir clones;
  std::string bare = (clones.path() / "bare.git").string();
  ASSERT_EQ(
      run_command(kGitEnv + "git clone -q --bare " + shell_quote(origin.str()) + " " + shell_quote(bare))
          .exit_code,
      0);
  EXPECT_EQ(key_locations(scan_report({"--git", bare}, 1)), (Lines{"k.env:1:19" + who(commit, "key")}));
}

std::string loose_object_path(GitRepo& repo, const std::string& spec) {
  std::string id = repo.git("rev-parse " + spec);
  return repo.str() + "/.git/objects/" + id.substr(0, 2) + "/" + id.substr(2);
}

TEST(GitHistory, CorruptAndMissingObjectsAreWarningsNamingThemAndTheRestIsScanned) {
  GitRepo repo;
  repo.write("good.env", key_line(kGitKeyA));
  std::string good = repo.commit("good");
  repo.write("corrupt.env", key_line(kGitKeyB));
  repo.write("missing.env", key_line(kGitKeyC));
  repo.commit("to be damaged");
  std::string corrupt_id = repo.git("rev-parse HEAD:corrupt.env");
  std::string missing_id = repo.git("rev-parse HEAD:missing.env");
  std::string corrupt_path = loose_object_path(repo, "HEAD:corrupt.env");
  std::filesystem::permissions(corrupt_path, std::filesystem::perms::owner_all);
  std::ofstream(corrupt_path, std::ios::binary | std::ios::trunc) << "this is not zlib data";
  std::filesystem::remove(loose_object_path(repo, "HEAD:missing.env"));
  std::string err;
  auto report = scan_report({"--git", repo.str()}, 1, "", &err);
  EXPECT_EQ(key_locations(report), (Lines{"good.env:1:19" + who(good, "good")}));
  EXPECT_NE(err.find(corrupt_id), std::string::npos) << err;
  EXPECT_NE(err.find(missing_id), std::string::npos) << err;
  EXPECT_EQ(report["summary"]["unreadable"], 2);
}

TEST(GitHistory, NotARepositoryIsExitTwoNamingThePath) {
  TempDir plain;
  plain.write("a.env", key_line(kGitKeyA));
  auto result = run_keyhound({"scan", "--git", plain.str()});
  EXPECT_EQ(result.exit_code, 2);
  EXPECT_NE(result.err.find("not a git repository"), std::string::npos) << result.err;
  EXPECT_NE(result.err.find(plain.str()), std::string::npos) << result.err;
  EXPECT_EQ(result.out, "");
}

TEST(GitHistory, MemoryLimitIsAHistoryOptionListedInHelpAndABadOneIsExitTwoNamingIt) {
  GitRepo repo;
  repo.write("a.env", key_line(kGitKeyA));
  std::string added = repo.commit("add");
  auto report = scan_report({"--git", "--memory-limit", "32M", repo.str()}, 1);
  EXPECT_EQ(key_locations(report), (Lines{"a.env:1:19" + who(added, "add")}));
  auto help = run_keyhound({"scan", "--help"});
  EXPECT_EQ(help.exit_code, 0);
  EXPECT_NE(help.out.find("--memory-limit SIZE"), std::string::npos) << help.out;
  for (auto [value, message] : std::vector<std::pair<std::string, std::string>>{
           {"4M", "--memory-limit: 4M is too small for a history scan (at least 32M)"},
           {"big", "--memory-limit: 'big' is not a size (e.g. 512K, 16M, 1G)"}}) {
    auto result = run_keyhound({"scan", "--git", "--memory-limit", value, repo.str()});
    EXPECT_EQ(result.exit_code, 2) << value;
    EXPECT_NE(result.err.find(message), std::string::npos) << result.err;
    EXPECT_EQ(result.out, "");
  }
}

TEST(GitHistory, SubmoduleIsListedNotEntered) {
  GitRepo inner;
  inner.write("inner.env", key_line(kGitKeyB));
  inner.commit("inner key");
  GitRepo outer;
  outer.write("a.txt", "a\n");
  outer.commit("initial");
  outer.git("-c protocol.file.allow=always submodule add -q " + shell_quote(inner.str()) + " vendor/inner");
  outer.commit("add submodule");
  std::string err;
  // The submodule's own objects live in .git/modules: the outer history holds only its commit.
  auto report = scan_report({"--git", "--branch", "main", outer.str()}, 0, "", &err);
  EXPECT_EQ(key_findings(report), 0);
  EXPECT_NE(
      err.find("vendor/inner: submodule (commit " + inner.git("rev-parse HEAD") + ") listed, not entered"),
      std::string::npos)
      << err;
}

TEST(GitHistory, LargeAndBinaryBlobsAreSkippedAndCounted) {
  GitRepo repo;
  repo.write("big.env", std::string(4096, '#') + "\n" + key_line(kGitKeyA));
  repo.write("image.bin", std::string("\x89PNG\0\0", 6) + key_line(kGitKeyB));
  repo.write("small.env", key_line(kGitKeyC));
  std::string commit = repo.commit("files");
  std::string err;
  auto report = scan_report({"--git", "--max-file-size", "1K", repo.str()}, 1, "", &err);
  EXPECT_EQ(key_locations(report), (Lines{"small.env:1:19" + who(commit, "files")}));
  EXPECT_EQ(report["summary"]["skipped_too_large"], 1);
  EXPECT_EQ(report["summary"]["skipped_binary"], 1);
  EXPECT_NE(err.find(repo.git("rev-parse HEAD:big.env")), std::string::npos) << err;
}

TEST(GitHistory, PackedRepositoryGivesTheSameFindings) {
  GitRepo repo;
  repo.write("a.env", key_line(kGitKeyA));
  Lines expected = {"a.env:1:19" + who(repo.commit("first"), "first")};
  for (int i = 0; i < 5; ++i) {
    repo.write("a.env", key_line(kGitKeyA) + "# revision " + std::to_string(i) + "\n");
    std::string summary = "revision " + std::to_string(i);
    expected.push_back("a.env:1:19" + who(repo.commit(summary), summary));  // each version is a new blob
  }
  repo.git("gc -q");
  ASSERT_EQ(repo.git("count-objects -v").find("count: 0\n"), 0u);  // everything is in a pack now
  std::sort(expected.begin(), expected.end());
  auto report = scan_report({"--git", repo.str()}, 1);
  EXPECT_EQ(key_findings(report), 1);
  EXPECT_EQ(key_locations(report), expected);
  EXPECT_EQ(report["summary"]["blobs_scanned"], 6);
}

}  // namespace
}  // namespace keyhound
