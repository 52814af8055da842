// keyhound baseline create/update/set/list and scan --baseline, through the binary.
#include <gtest/gtest.h>

#include <filesystem>
#include <nlohmann/json.hpp>

#include "support/support.hpp"

namespace keyhound {
namespace {

using testing::run_keyhound;
using testing::TempDir;

// Synthetic keys (random, right shape).
const std::string kKeyA = "AKIAL5AUHLUYNVDQUEKH";
const std::string kKeyB = "AKIA73HKSUYY4DZ25AGS";
const std::string kKeyC = "AKIA244RW4PUARS37SDC";
const std::string kSecretD = "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";

struct Scan {
  int exit_code = -1;
  std::vector<std::string> paths;     // first location of each reported finding, sorted by the scanner
  std::vector<std::string> statuses;  // each one's baseline_status: new, open or confirmed
  std::uint64_t suppressed = 0;
  std::string err;
};

Scan scan_with_baseline(const TempDir& dir, const std::string& baseline = ".keyhound-baseline.json") {
  auto result = run_keyhound({"scan", "--format", "json", "--baseline", baseline, "src"}, dir.str());
  Scan scan;
  scan.exit_code = result.exit_code;
  scan.err = result.err;
  auto report = nlohmann::json::parse(result.out, nullptr, false);
  if (report.is_discarded()) return scan;
  for (const auto& finding : report["findings"]) {
    scan.paths.push_back(finding["locations"][0]["path"]);
    scan.statuses.push_back(finding["baseline_status"]);
  }
  scan.suppressed = report["summary"]["suppressed_by_baseline"];
  return scan;
}

std::string fingerprint_at(const TempDir& dir, const std::string& path) {
  auto baseline = nlohmann::json::parse(testing::read_text(dir.path() / ".keyhound-baseline.json"));
  for (const auto& entry : baseline["entries"])
    if (entry["locations"][0]["path"] == path) return entry["fingerprint"];
  return "(none at " + path + ")";
}

void write_project(const TempDir& dir) {
  dir.write("src/a.env", "aws_access_key_id = " + kKeyA + "\n");
  dir.write("src/b.py", "\n\nKEY = \"" + kKeyB + "\"\n");
  dir.write("src/c/settings.ini", "[aws]\naws_secret_access_key = " + kSecretD + "\n");
}

TEST(BaselineCli, CreateWritesEveryFindingAsOpenWithoutSecrets) {
  TempDir dir;
  write_project(dir);
  auto created = run_keyhound({"baseline", "create", "src"}, dir.str());
  ASSERT_EQ(created.exit_code, 0) << created.err;
  EXPECT_EQ(created.out, "created .keyhound-baseline.json: 3 entries (3 open)\n");
  std::string text = testing::read_text(dir.path() / ".keyhound-baseline.json");
  for (const auto& secret : {kKeyA, kKeyB, kSecretD}) EXPECT_EQ(text.find(secret), std::string::npos) << text;
  auto baseline = nlohmann::json::parse(text);
  EXPECT_EQ(baseline["version"], 2);
  EXPECT_EQ(baseline["fingerprint_key"].get<std::string>().size(), 64u);
  ASSERT_EQ(baseline["entries"].size(), 3u);
  for (const auto& entry : baseline["entries"]) EXPECT_EQ(entry["status"], "open");
  EXPECT_EQ(text.back(), '\n');

  // A second create does not overwrite the team's triage.
  auto again = run_keyhound({"baseline", "create", "src"}, dir.str());
  EXPECT_EQ(again.exit_code, 2);
  EXPECT_NE(again.err.find(".keyhound-baseline.json exists"), std::string::npos) << again.err;
}

TEST(BaselineCli, TriagedFindingsStopFailingTheScan) {
  TempDir dir;
  write_project(dir);
  ASSERT_EQ(run_keyhound({"baseline", "create", "src"}, dir.str()).exit_code, 0);

  Scan open = scan_with_baseline(dir);  // open entries are still reported
  EXPECT_EQ(open.exit_code, 1) << open.err;
  EXPECT_EQ(open.paths, (std::vector<std::string>{"src/a.env", "src/b.py", "src/c/settings.ini"}));
  EXPECT_EQ(open.suppressed, 0u);

  auto set = run_keyhound({"baseline", "set", fingerprint_at(dir, "src/a.env"), "false_positive", "--note",
                           "fixture for the parser tests"},
                          dir.str());
  ASSERT_EQ(set.exit_code, 0) << set.err;
  EXPECT_EQ(set.out, fingerprint_at(dir, "src/a.env") + " (aws.access-key-id): open -> false_positive\n");
  ASSERT_EQ(
      run_keyhound({"baseline", "set", fingerprint_at(dir, "src/b.py"), "confirmed"}, dir.str()).exit_code,
      0);
  ASSERT_EQ(run_keyhound(
                {"baseline", "set", fingerprint_at(dir, "src/c/settings.ini").substr(0, 8), "accepted_risk"},
                dir.str())
                .exit_code,
            0);
  Scan triaged = scan_with_baseline(dir);  // confirmed stays reported until it is vaulted
  EXPECT_EQ(triaged.exit_code, 1);
  EXPECT_EQ(triaged.paths, (std::vector<std::string>{"src/b.py"}));
  EXPECT_EQ(triaged.statuses, (std::vector<std::string>{"confirmed"}));
  EXPECT_EQ(triaged.suppressed, 2u);

  // Regression (issue 14): a vaulted secret still in the code made the scan exit 0.
  auto no_arn = run_keyhound({"baseline", "set", fingerprint_at(dir, "src/b.py"), "vaulted"}, dir.str());
  EXPECT_EQ(no_arn.exit_code, 2);
  EXPECT_NE(no_arn.err.find("status vaulted needs --arn ARN"), std::string::npos) << no_arn.err;
  ASSERT_EQ(run_keyhound({"baseline", "set", fingerprint_at(dir, "src/b.py"), "vaulted", "--arn",
                          "arn:aws:secretsmanager:us-east-1:123456789012:secret:b-AbCdEf"},
                         dir.str())
                .exit_code,
            0);
  Scan still = scan_with_baseline(dir);
  EXPECT_EQ(still.exit_code, 1) << still.err;
  EXPECT_EQ(still.paths, (std::vector<std::string>{"src/b.py"}));
  EXPECT_EQ(still.statuses, (std::vector<std::string>{"vaulted-still-in-code"}));
  EXPECT_EQ(still.suppressed, 2u);
  auto listed = run_keyhound({"baseline", "list"}, dir.str());
  EXPECT_NE(listed.out.find(fingerprint_at(dir, "src/b.py") + "  vaulted-still-in-code "), std::string::npos)
      << listed.out;

  dir.write("src/b.py", "\n\nKEY = os.environ[\"KEY\"]\n");  // the literal is gone
  Scan clean = scan_with_baseline(dir);
  EXPECT_EQ(clean.exit_code, 0) << clean.err;
  EXPECT_TRUE(clean.paths.empty());
  EXPECT_EQ(clean.suppressed, 2u);
  listed = run_keyhound({"baseline", "list"}, dir.str());
  EXPECT_NE(listed.out.find(fingerprint_at(dir, "src/b.py") + "  needs-rotation "), std::string::npos)
      << listed.out;
  dir.write("src/b.py", "\n\nKEY = \"" + kKeyB + "\"\n");

  ASSERT_EQ(run_keyhound({"baseline", "set", fingerprint_at(dir, "src/b.py"), "false_positive"}, dir.str())
                .exit_code,
            0);
  auto text = run_keyhound({"scan", "--no-color", "--baseline", ".keyhound-baseline.json", "src"}, dir.str());
  EXPECT_EQ(text.exit_code, 0);
  EXPECT_NE(text.out.find("0 findings in 3 files"), std::string::npos) << text.out;
  EXPECT_NE(text.out.find(", 3 suppressed by baseline"), std::string::npos) << text.out;

  auto baseline = nlohmann::json::parse(testing::read_text(dir.path() / ".keyhound-baseline.json"));
  for (const auto& entry : baseline["entries"])
    if (entry["locations"][0]["path"] == "src/a.env") {
      EXPECT_EQ(entry["note"], "fixture for the parser tests");
    }
}

TEST(BaselineCli, AMovedSecretStaysSuppressedAndANewOneFails) {
  TempDir dir;
  write_project(dir);
  ASSERT_EQ(run_keyhound({"baseline", "create", "src"}, dir.str()).exit_code, 0);
  for (const char* path : {"src/a.env", "src/b.py", "src/c/settings.ini"})
    ASSERT_EQ(
        run_keyhound({"baseline", "set", fingerprint_at(dir, path), "accepted_risk"}, dir.str()).exit_code,
        0);
  std::string moved_fingerprint = fingerprint_at(dir, "src/a.env");

  std::filesystem::remove(dir.path() / "src/a.env");
  dir.write("src/deep/er/moved.env", "# moved\n\n   export AWS_ACCESS_KEY_ID=" + kKeyA + "\n");
  Scan moved = scan_with_baseline(dir);
  EXPECT_EQ(moved.exit_code, 0) << moved.err;
  EXPECT_EQ(moved.suppressed, 3u);

  dir.write("src/new.txt", "token " + kKeyC + "\n");
  Scan added = scan_with_baseline(dir);
  EXPECT_EQ(added.exit_code, 1);
  EXPECT_EQ(added.paths, (std::vector<std::string>{"src/new.txt"}));
  EXPECT_EQ(added.statuses, (std::vector<std::string>{"new"}));
  EXPECT_EQ(added.suppressed, 3u);

  auto update = run_keyhound({"baseline", "update", "src"}, dir.str());
  ASSERT_EQ(update.exit_code, 0) << update.err;
  EXPECT_EQ(
      update.out,
      "updated .keyhound-baseline.json: 1 new (open), 3 refreshed, 0 not found any more (kept; --prune drops "
      "them); now 4 entries (3 accepted_risk, 1 open)\n");
  EXPECT_EQ(fingerprint_at(dir, "src/deep/er/moved.env"),
            moved_fingerprint);  // location refreshed, status kept
  auto baseline = nlohmann::json::parse(testing::read_text(dir.path() / ".keyhound-baseline.json"));
  for (const auto& entry : baseline["entries"]) {
    if (entry["fingerprint"] != moved_fingerprint) continue;
    EXPECT_EQ(entry["status"], "accepted_risk");
    EXPECT_EQ(entry["locations"][0]["line"], 3);
    EXPECT_EQ(entry["locations"][0]["column"], 29);
  }
  Scan after = scan_with_baseline(dir);  // the new one is open in the baseline: still reported
  EXPECT_EQ(after.exit_code, 1);
  EXPECT_EQ(after.paths, (std::vector<std::string>{"src/new.txt"}));
  EXPECT_EQ(after.statuses, (std::vector<std::string>{"open"}));
}

TEST(BaselineCli, MalformedBaselineIsAnErrorNamingFileAndLine) {
  TempDir dir;
  write_project(dir);
  dir.write(
      "bad.json",
      "{\n  \"version\": 1,\n  \"entries\": [\n    {\"fingerprint\": \"0123456789abcdef\" \"x\"}\n  ]\n}\n");
  auto bad = run_keyhound({"scan", "--baseline", "bad.json", "src"}, dir.str());
  EXPECT_EQ(bad.exit_code, 2);
  EXPECT_EQ(bad.out, "");
  EXPECT_EQ(
      bad.err,
      "keyhound: error: bad.json:4:42: malformed baseline: syntax error while parsing object - unexpected "
      "string literal; expected '}'\n");

  dir.write("status.json", R"({"version": 1, "entries": [{"fingerprint": "0123456789abcdef", "rule_id": "a.b",
                                "status": "opne"}]})");
  auto status = run_keyhound({"scan", "--baseline", "status.json", "src"}, dir.str());
  EXPECT_EQ(status.exit_code, 2);
  EXPECT_EQ(status.err,
            "keyhound: error: status.json: entries[0].status: unknown status 'opne' (open, false_positive, "
            "accepted_risk, confirmed, vaulted, rotated)\n");

  auto update = run_keyhound({"baseline", "update", "--file", "status.json", "src"}, dir.str());
  EXPECT_EQ(update.exit_code, 2);
  EXPECT_NE(update.err.find("status.json: entries[0].status"), std::string::npos) << update.err;
  EXPECT_EQ(testing::read_text(dir.path() / "status.json").find("opne") != std::string::npos, true)
      << "a malformed baseline must not be rewritten";
}

TEST(BaselineCli, MissingBaselineAndUnknownFingerprintAreErrors) {
  TempDir dir;
  write_project(dir);
  auto missing = run_keyhound({"scan", "--baseline", "nope.json", "src"}, dir.str());
  EXPECT_EQ(missing.exit_code, 2);
  EXPECT_NE(missing.err.find("nope.json"), std::string::npos) << missing.err;

  ASSERT_EQ(run_keyhound({"baseline", "create", "src"}, dir.str()).exit_code, 0);
  auto unknown = run_keyhound({"baseline", "set", "0000000000000000", "false_positive"}, dir.str());
  EXPECT_EQ(unknown.exit_code, 2);
  EXPECT_EQ(
      unknown.err,
      "keyhound: error: .keyhound-baseline.json: no baseline entry has fingerprint '0000000000000000'\n");
  auto bad_status = run_keyhound({"baseline", "set", fingerprint_at(dir, "src/b.py"), "fixed"}, dir.str());
  EXPECT_EQ(bad_status.exit_code, 2);
  EXPECT_EQ(
      bad_status.err,
      "keyhound: error: unknown status 'fixed' (open, false_positive, accepted_risk, confirmed, vaulted, "
      "rotated)\n");
}

TEST(BaselineCli, ListShowsEntries) {
  TempDir dir;
  write_project(dir);
  ASSERT_EQ(run_keyhound({"baseline", "create", "--file", "triage.json", "src"}, dir.str()).exit_code, 0);
  auto list = run_keyhound({"baseline", "list", "-f", "triage.json"}, dir.str());
  ASSERT_EQ(list.exit_code, 0) << list.err;
  EXPECT_NE(list.out.find("src/c/settings.ini:2"), std::string::npos) << list.out;
  EXPECT_NE(list.out.find("\n3 entries (3 open)\n"), std::string::npos) << list.out;
  for (const auto& secret : {kKeyA, kKeyB, kSecretD}) EXPECT_EQ(list.out.find(secret), std::string::npos);
}

}  // namespace
}  // namespace keyhound
