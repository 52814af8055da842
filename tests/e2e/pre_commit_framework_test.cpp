// End to end: the real pre-commit framework (Debian's, 3.0.4 on bookworm) installs keyhound's
// hook from a repository that publishes this tree's .pre-commit-hooks.yaml, refuses a commit
// that adds a key and lets a clean one through.
#include <filesystem>

#include "e2e/git_test_repo.hpp"
#include "support/build_paths.hpp"

namespace keyhound {
namespace {

using namespace testing;

class PreCommitFromDebian : public ::testing::Test {
 protected:
  void SetUp() override {
    // keyhound on PATH, as the .deb or `cmake --install` put it there.
    std::filesystem::create_directories(tools.path() / "bin");
    std::filesystem::create_symlink(KEYHOUND_BIN, tools.path() / "bin" / "keyhound");
    hooks.write(".pre-commit-hooks.yaml", read_text(source_dir() + "/.pre-commit-hooks.yaml"));
    std::string rev = hooks.commit("hooks");
    project.write(".pre-commit-config.yaml", "repos:\n  - repo: " + hooks.str() + "\n    rev: " + rev +
                                                 "\n    hooks:\n      - id: keyhound\n");
    project.write("app.env", "MODE=dev\n");
    project.commit("initial");
    auto installed = in_project("pre-commit install");
    ASSERT_EQ(installed.exit_code, 0) << installed.out << installed.err;
    ASSERT_NE(installed.out.find("pre-commit installed at .git/hooks/pre-commit"), std::string::npos)
        << installed.out;
  }
  CommandResult in_project(const std::string& command) {
    return run_command("cd " + shell_quote(project.str()) + " && " + kGitEnv +
                       "PATH=" + shell_quote((tools.path() / "bin").string()) + ":/usr/bin:/bin" +
                       " PRE_COMMIT_HOME=" + shell_quote((tools.path() / "pre-commit").string()) +
                       " KEYHOUND_CACHE_DIR=" + shell_quote(KEYHOUND_TEST_CACHE_DIR) + " " + command);
  }
  TempDir tools;
  GitRepo hooks;
  GitRepo project;
};

TEST_F(PreCommitFromDebian, RefusesAPlantedKeyAndPassesACleanCommit) {
  std::string before = project.git("rev-parse HEAD");
  project.write("app.env", std::string("MODE=dev\nAWS_ACCESS_KEY_ID=") + kGitKeyA + "\n");
  project.git("add app.env");
  auto refused = in_project("git commit -q -m 'add key'");
  EXPECT_NE(refused.exit_code, 0);
  std::string output = refused.out + refused.err;
  EXPECT_NE(output.find("keyhound (secrets in staged changes)"), std::string::npos) << output;
  EXPECT_NE(output.find("Failed"), std::string::npos) << output;
  EXPECT_NE(output.find("(aws.access-key-id, high confidence)"), std::string::npos) << output;
  EXPECT_NE(output.find("  app.env:2:19"), std::string::npos) << output;
  EXPECT_EQ(project.git("rev-parse HEAD"), before);

  project.write("app.env", "MODE=prod\n");
  project.git("add app.env");
  auto accepted = in_project("git commit -q -m 'no key'");
  EXPECT_EQ(accepted.exit_code, 0) << accepted.out << accepted.err;
  EXPECT_NE((accepted.out + accepted.err).find("Passed"), std::string::npos) << accepted.out << accepted.err;
  EXPECT_NE(project.git("rev-parse HEAD"), before);
}

TEST_F(PreCommitFromDebian, ManifestLoadsWithThePreCommitOnThisMachine) {
  // `pre-commit try-repo` validates the manifest as the installed version reads it.
  auto tried = in_project("pre-commit try-repo " + shell_quote(hooks.str()) + " keyhound --all-files");
  EXPECT_EQ(tried.exit_code, 0) << tried.out << tried.err;
  EXPECT_EQ(tried.err.find("InvalidManifestError"), std::string::npos) << tried.err;
  EXPECT_NE(tried.out.find("Passed"), std::string::npos) << tried.out;
}

}  // namespace
}  // namespace keyhound
