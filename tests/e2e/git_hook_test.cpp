// End to end: keyhound installed as the pre-commit hook refuses real `git commit -a` and
// `git commit <path>` runs that add a secret (git stages those into a temporary index).
#include <filesystem>

#include "e2e/git_test_repo.hpp"
#include "support/build_paths.hpp"

namespace keyhound {
namespace {

using namespace testing;

class GitHook : public ::testing::Test {
 protected:
  void SetUp() override {
    repo.write("app.env", "MODE=dev\n");
    repo.write("notes.txt", "notes\n");
    repo.commit("initial");
    auto installed = run_keyhound({"install-hook", repo.str()});
    ASSERT_EQ(installed.exit_code, 0) << installed.err;
    EXPECT_EQ(installed.out,
              "installed keyhound pre-commit hook: " + repo.str() + "/.git/hooks/pre-commit\n");
  }
  // Runs a commit with the hook; its output goes to the result.
  CommandResult commit(const std::string& args) {
    return run_command("cd " + shell_quote(repo.str()) + " && " + kGitEnv + "KEYHOUND_CACHE_DIR=" +
                       shell_quote(KEYHOUND_TEST_CACHE_DIR) + " git commit -q " + args);
  }
  GitRepo repo;
};

TEST_F(GitHook, CommitAllWithASecretIsRefusedAndAcceptedOnceItIsRemoved) {
  std::string before = repo.git("rev-parse HEAD");
  repo.write("app.env", "MODE=dev\n" + key_line(kGitKeyA));
  auto refused = commit("-a -m 'add key'");
  EXPECT_NE(refused.exit_code, 0);
  // git hands the hook's output to the committer on stderr.
  EXPECT_NE(refused.err.find("(aws.access-key-id, high confidence)"), std::string::npos) << refused.err;
  EXPECT_NE(refused.err.find("  app.env:2:19\n"), std::string::npos) << refused.err;
  EXPECT_EQ(repo.git("rev-parse HEAD"), before);
  repo.write("app.env", "MODE=prod\n");
  auto accepted = commit("-a -m 'no key'");
  EXPECT_EQ(accepted.exit_code, 0) << accepted.out << accepted.err;
  EXPECT_NE(repo.git("rev-parse HEAD"), before);
}

TEST_F(GitHook, CommitOfAPathWithASecretIsRefused) {
  std::string before = repo.git("rev-parse HEAD");
  repo.write("notes.txt", "notes\n" + key_line(kGitKeyB));
  auto refused = commit("notes.txt -m 'add key'");
  EXPECT_NE(refused.exit_code, 0);
  EXPECT_NE(refused.err.find("  notes.txt:2:19\n"), std::string::npos) << refused.err;
  EXPECT_EQ(repo.git("rev-parse HEAD"), before);
  repo.write("notes.txt", "notes\nmore notes\n");
  EXPECT_EQ(commit("notes.txt -m 'more notes'").exit_code, 0);
  EXPECT_NE(repo.git("rev-parse HEAD"), before);
}

TEST_F(GitHook, ADifferentExistingHookIsKeptUnlessForced) {
  std::string hook = repo.str() + "/.git/hooks/pre-commit";
  EXPECT_EQ(run_keyhound({"install-hook", repo.str()}).out,
            "keyhound pre-commit hook already installed: " + hook + "\n");
  repo.write(".git/hooks/pre-commit", "#!/bin/sh\necho mine\n");
  auto refused = run_keyhound({"install-hook", repo.str()});
  EXPECT_EQ(refused.exit_code, 2);
  EXPECT_EQ(refused.err,
            "keyhound: error: " + hook +
                " exists and is not keyhound's hook; move it away, or use --force to replace it\n");
  EXPECT_EQ(read_text(hook), "#!/bin/sh\necho mine\n");
  auto forced = run_keyhound({"install-hook", "--force", repo.str()});
  EXPECT_EQ(forced.exit_code, 0) << forced.err;
  EXPECT_NE(read_text(hook).find("scan --staged"), std::string::npos);
}

TEST(GitHookPath, CoreHooksPathIsRespected) {
  GitRepo repo;
  repo.git("config core.hooksPath .githooks");
  auto installed = run_keyhound({"install-hook", repo.str()});
  EXPECT_EQ(installed.exit_code, 0) << installed.err;
  EXPECT_TRUE(std::filesystem::exists(repo.dir().path() / ".githooks/pre-commit"));
  EXPECT_FALSE(std::filesystem::exists(repo.dir().path() / ".git/hooks/pre-commit"));
}

TEST(PreCommitFramework, HookDefinitionRunsAStagedScan) {
  std::string definition = read_text(source_dir() + "/.pre-commit-hooks.yaml");
  EXPECT_NE(definition.find("- id: keyhound\n"), std::string::npos);
  EXPECT_NE(definition.find("entry: keyhound scan --staged\n"), std::string::npos);
  EXPECT_NE(definition.find("pass_filenames: false\n"), std::string::npos);
}

}  // namespace
}  // namespace keyhound
