// Issue 14, points 1 and 5 end to end: scan -> baseline -> vault -> scan fails until the literal
// is gone from the code, and a history scan fails until the rotation is recorded; secret names
// must be unique before anything is sent; --fingerprint takes a prefix.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "vault/vault_fixture.hpp"

namespace keyhound {
namespace {

struct ScanReport {
  int exit_code = -1;
  std::vector<std::string> states;  // baseline_status of each reported finding
  std::string err;
};

class VaultStatus : public VaultEndToEnd {
 protected:
  ScanReport scan(const std::vector<std::string>& extra) {
    std::vector<std::string> args = {
        "scan",       "--no-builtin-rules",     "--rules", aux_.str() + "/rules.yml", "--format", "json",
        "--baseline", ".keyhound-baseline.json"};
    args.insert(args.end(), extra.begin(), extra.end());
    auto result = keyhound(args);
    ScanReport report;
    report.exit_code = result.exit_code;
    report.err = result.err;
    auto json = nlohmann::json::parse(result.out, nullptr, false);
    if (!json.is_discarded())
      for (const auto& finding : json["findings"]) report.states.push_back(finding["baseline_status"]);
    return report;
  }

  void git(const std::string& arguments) {
    auto result = testing::run_command("cd " + shell_quote(work_.str()) +
                                       " && git -c user.name=t -c user.email=t@example.com " + arguments);
    ASSERT_EQ(result.exit_code, 0) << arguments << ": " << result.err;
  }
};

TEST_F(VaultStatus, ScanFailsUntilTheLiteralIsGoneAndHistoryUntilRotated) {
  start_server();
  git("init -q -b main .");
  plant("src/billing.py", "import os\nSTRIPE_KEY = \"", "\"\n");
  git("add src/billing.py");
  git("commit -q -m billing");
  auto fingerprints = confirm_all({"src"});
  ASSERT_EQ(fingerprints.size(), 1u);
  ASSERT_EQ(vault().exit_code, 0);
  ASSERT_EQ(baseline().entries.at(fingerprints[0]).status, TriageStatus::vaulted);

  // Regression: this used to exit 0 with the key still in src/billing.py.
  ScanReport tree = scan({"src"});
  EXPECT_EQ(tree.exit_code, 1) << tree.err;
  EXPECT_EQ(tree.states, std::vector<std::string>{"vaulted-still-in-code"});
  ScanReport history = scan({"--git", "."});
  EXPECT_EQ(history.exit_code, 1) << history.err;
  EXPECT_EQ(history.states, std::vector<std::string>{"vaulted-still-in-code"});
  auto listed = keyhound({"baseline", "list"});
  EXPECT_NE(listed.out.find(fingerprints[0] + "  vaulted-still-in-code"), std::string::npos) << listed.out;

  work_.write("src/billing.py", "import os\nSTRIPE_KEY = os.environ[\"STRIPE_KEY\"]\n");
  git("commit -q -am 'read the key at run time'");

  ScanReport clean = scan({"src"});
  EXPECT_EQ(clean.exit_code, 0) << clean.err;
  EXPECT_TRUE(clean.states.empty());
  ScanReport rotate = scan({"--git", "."});
  EXPECT_EQ(rotate.exit_code, 1) << rotate.err;
  EXPECT_EQ(rotate.states, std::vector<std::string>{"needs-rotation"});
  listed = keyhound({"baseline", "list"});
  EXPECT_NE(listed.out.find(fingerprints[0] + "  needs-rotation"), std::string::npos) << listed.out;

  ASSERT_EQ(keyhound({"baseline", "set", fingerprints[0].substr(0, 6), "rotated"}).exit_code, 0);
  ScanReport done = scan({"--git", "."});
  EXPECT_EQ(done.exit_code, 0) << done.err;
  EXPECT_TRUE(done.states.empty());
}

TEST_F(VaultStatus, NamesMustBeUniqueBeforeAnythingIsSent) {
  start_server();
  plant("a.py", "A = '", "'\n");
  plant("b.py", "B = '", "'\n");
  auto fingerprints = confirm_all();
  ASSERT_EQ(fingerprints.size(), 2u);
  for (bool dry_run : {true, false}) {
    std::vector<std::string> args = {"--name-template", "shop/{rule}"};
    if (dry_run) args.push_back("--dry-run");
    auto result = vault(args);
    EXPECT_EQ(result.exit_code, 2);
    EXPECT_NE(result.err.find("--name-template 'shop/{rule}' gives several secrets the same name (add "
                              "{fingerprint}); nothing was sent:\n  shop/test.token: "),
              std::string::npos)
        << result.err;
  }
  EXPECT_EQ(server_->operation_count("CreateSecret"), 0);

  // One at a time does not get around it: the first name is recorded in the baseline.
  ASSERT_EQ(vault({"--name-template", "shop/{rule}", "--fingerprint", fingerprints[0]}).exit_code, 0);
  auto second = vault({"--name-template", "shop/{rule}", "--fingerprint", fingerprints[1], "--update"});
  EXPECT_EQ(second.exit_code, 2);
  EXPECT_NE(second.err.find(fingerprints[0] + " (already recorded) and " + fingerprints[1]),
            std::string::npos)
      << second.err;
  EXPECT_EQ(server_->operation_count("PutSecretValue"), 0);
}

TEST_F(VaultStatus, FingerprintTakesAUniquePrefix) {
  start_server();
  plant("a.py", "A = '", "'\n");
  auto fingerprints = confirm_all();
  auto result = vault({"--fingerprint", fingerprints[0].substr(0, 6)});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(baseline().entries.at(fingerprints[0]).status, TriageStatus::vaulted);
  auto short_prefix = vault({"--fingerprint", fingerprints[0].substr(0, 4)});
  EXPECT_EQ(short_prefix.exit_code, 2);
  EXPECT_NE(short_prefix.err.find("give at least 6 hex digits"), std::string::npos) << short_prefix.err;
}

}  // namespace
}  // namespace keyhound
