// The official SARIF validator (Microsoft's SARIF Multitool, installed by
// scripts/install-sarif-validator.sh) accepts keyhound's SARIF: the SARIF rules and GitHub's
// ingestion rules, on the testdata scan, an empty scan and a git scan.
#include <gtest/gtest.h>

#include <filesystem>
#include <nlohmann/json.hpp>

#include "support/support.hpp"

namespace keyhound {
namespace {

using testing::run_command;
using testing::run_keyhound;
using testing::shell_quote;
using testing::TempDir;

std::string validator_path() {
  return testing::source_dir() + "/tools/sarif-multitool";
}

// Every error and warning the validator reports for `sarif_file` with this rule kind, as
// "RULE: message" lines; notes (style advice, unreachable URLs offline) are not counted.
std::vector<std::string> validation_problems(const std::string& sarif_file, const std::string& rule_kind) {
  if (!std::filesystem::exists(validator_path()))
    return {"validator missing: run scripts/install-sarif-validator.sh (or scripts/setup.sh --tests)"};
  TempDir scratch;
  std::string log = (scratch.path() / "validation.sarif").string();
  // The file comes before --rule-kind: that option takes every following bare word.
  auto run = run_command(shell_quote(validator_path()) + " validate " + shell_quote(sarif_file) +
                         " --rule-kind " + rule_kind + " --level 'Error;Warning' --output " +
                         shell_quote(log) + " --log ForceOverwrite");
  if (run.exit_code != 0)
    return {"validator failed (" + std::to_string(run.exit_code) + "): " + run.out + run.err};
  std::vector<std::string> problems;
  auto document = nlohmann::json::parse(testing::read_text(log), nullptr, false);
  if (document.is_discarded()) return {"validator wrote no log: " + run.out + run.err};
  for (const auto& result : document["runs"][0]["results"]) {
    std::string level = result.value("level", "warning");
    if (level != "error" && level != "warning") continue;
    problems.push_back(level + " " + result.value("ruleId", "?") + ": " + result["message"].dump());
  }
  // The console lists the same problems; it must agree with the log.
  if (problems.empty() && run.out.find(": error ") != std::string::npos)
    problems.push_back("console: " + run.out);
  return problems;
}

void expect_valid(const std::string& sarif_file) {
  for (const char* kind : {"Sarif", "Gh"}) {
    auto problems = validation_problems(sarif_file, kind);
    EXPECT_TRUE(problems.empty()) << kind << ":\n" << ::testing::PrintToString(problems);
  }
}

TEST(SarifValidator, TestdataScanIsValid) {
  TempDir out;
  std::string sarif = (out.path() / "testdata.sarif").string();
  auto scan =
      run_keyhound({"scan", "--format", "sarif", "--output", sarif, "testdata"}, testing::source_dir());
  ASSERT_EQ(scan.exit_code, 1) << scan.err;
  auto document = nlohmann::json::parse(testing::read_text(sarif));
  ASSERT_GE(document["runs"][0]["results"].size(), 3u);
  expect_valid(sarif);
}

TEST(SarifValidator, EmptyScanIsValid) {
  TempDir dir;
  dir.write("README.md", "nothing to see here\n");
  std::string sarif = (dir.path() / "empty.sarif").string();
  auto scan = run_keyhound({"scan", "--format", "sarif", "--output", sarif, "README.md"}, dir.str());
  ASSERT_EQ(scan.exit_code, 0) << scan.err;
  auto document = nlohmann::json::parse(testing::read_text(sarif));
  EXPECT_EQ(document["runs"][0]["results"], nlohmann::json::array());
  expect_valid(sarif);
}

TEST(SarifValidator, GitScanIsValid) {
  TempDir repo;
  std::string git = "git -C " + shell_quote(repo.str()) +
                    " -c user.name='Ann Dev' -c user.email=ann@example.com -c commit.gpgsign=false ";
  ASSERT_EQ(run_command("git init -q -b main " + shell_quote(repo.str())).exit_code, 0);
  repo.write("deploy/prod settings.env", "aws_access_key_id = AKIAENZ3LBHOOD2IOB7S\n");
  ASSERT_EQ(run_command(git + "add -A && " + git + "commit -q -m 'Add deploy settings'").exit_code, 0);
  repo.write("deploy/prod settings.env", "# moved to the vault\n");
  repo.write("src/app.py",
             "\n\nSECRET = {'aws_secret_access_key': 'SLkq6hPmUd/V6EAQdoEBMX8A+hngaFWIq1Fg/FGG'}\n");
  ASSERT_EQ(run_command(git + "add -A && " + git + "commit -q -m 'Use the vault; add app'").exit_code, 0);
  ASSERT_EQ(run_command(git + "remote add origin https://bot:hunter22@github.com/acme/demo.git").exit_code,
            0);

  TempDir out;
  std::string sarif = (out.path() / "git.sarif").string();
  auto scan = run_keyhound({"scan", "--git", "--format", "sarif", "--output", sarif, repo.str()});
  ASSERT_EQ(scan.exit_code, 1) << scan.err;
  std::string text = testing::read_text(sarif);
  EXPECT_EQ(text.find("hunter22"), std::string::npos) << "the remote's password leaked into the SARIF";
  auto run = nlohmann::json::parse(text)["runs"][0];
  ASSERT_EQ(run["results"].size(), 2u) << text;
  EXPECT_EQ(run["versionControlProvenance"][0]["repositoryUri"], "https://github.com/acme/demo.git");
  EXPECT_EQ(run["versionControlProvenance"][0]["revisionId"].get<std::string>().size(), 40u);
  std::set<std::string> uris;
  for (const auto& result : run["results"]) {
    uris.insert(result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"].get<std::string>());
    EXPECT_EQ(result["properties"]["commit"].get<std::string>().size(), 40u);
    EXPECT_EQ(result["properties"]["author"], "Ann Dev <ann@example.com>");
  }
  EXPECT_EQ(uris, (std::set<std::string>{"deploy/prod%20settings.env", "src/app.py"}));
  expect_valid(sarif);
}

TEST(SarifValidator, CatchesAnInvalidFile) {
  // The check above can fail: a region that ends before it starts and a result without a
  // location are reported.
  TempDir dir;
  std::string sarif = dir.write("bad.sarif", R"({"$schema": "https://json.schemastore.org/sarif-2.1.0.json",
    "version": "2.1.0", "runs": [{"tool": {"driver": {"name": "keyhound"}}, "results": [
      {"ruleId": "x.y", "message": {"text": "No location."}},
      {"ruleId": "x.y", "message": {"text": "Bad region."}, "locations": [{"physicalLocation": {
        "artifactLocation": {"uri": "a b"}, "region": {"startLine": 3, "endLine": 1}}}]}]}]})")
                          .string();
  auto sarif_problems = validation_problems(sarif, "Sarif");
  auto gh_problems = validation_problems(sarif, "Gh");
  std::string sarif_text = ::testing::PrintToString(sarif_problems),
              gh_text = ::testing::PrintToString(gh_problems);
  EXPECT_NE(sarif_text.find("error SARIF1007"), std::string::npos) << sarif_text;
  EXPECT_NE(sarif_text.find("error SARIF1002"), std::string::npos) << sarif_text;
  EXPECT_NE(gh_text.find("error GH1015"), std::string::npos) << gh_text;
}

}  // namespace
}  // namespace keyhound
