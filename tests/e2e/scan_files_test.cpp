// End to end: the built binary scanning files, directories and stdin.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "e2e/git_test_repo.hpp"
#include "finding/finding.hpp"
#include "support/build_paths.hpp"
#include "support/support.hpp"

namespace keyhound {
namespace {

using testing::run_keyhound;
using testing::scan_report;
using testing::TempDir;

// Synthetic access key ids (AKIA + 16 base32), made up for these tests.
constexpr const char* kFileKeyA = "AKIAQ5ZJ7XN2MB4RWKT3";
constexpr const char* kFileKeyB = "AKIAW7YH3Q5NZR2XPL6V";

// "rule path:line:column" for each location of each finding.
std::vector<std::string> locations_of(const nlohmann::json& report) {
  std::vector<std::string> out;
  for (const auto& finding : report["findings"])
    for (const auto& at : finding["locations"])
      out.push_back(finding["rule_id"].get<std::string>() + " " + at["path"].get<std::string>() + ":" +
                    std::to_string(at["line"].get<int>()) + ":" + std::to_string(at["column"].get<int>()));
  std::sort(out.begin(), out.end());
  return out;
}

TEST(ScanFiles, SpecialFilesGiveExactLocations) {
  auto report = scan_report({"testdata/special"}, 1, testing::source_dir());
  EXPECT_EQ(locations_of(report), (std::vector<std::string>{
                                      "aws.access-key-id testdata/special/crlf.env:2:19",
                                      "aws.access-key-id testdata/special/latin1.txt:3:13",
                                      "aws.access-key-id testdata/special/minified.js:1:6684",
                                  }));
  EXPECT_EQ(report["summary"]["skipped_binary"], 1);  // binary.bin holds a key too
  EXPECT_EQ(report["summary"]["blobs_scanned"], 4);   // crlf, latin1, minified, empty
  // CRLF: the secret ends before the carriage return.
  for (const auto& finding : report["findings"]) {
    const auto& at = finding["locations"][0];
    EXPECT_EQ(at["end_offset"].get<int>() - at["start_offset"].get<int>(), 20);
  }
}

TEST(ScanFiles, SameSecretInTwoFilesIsOneFindingWithTwoLocations) {
  TempDir dir;
  dir.write("a/config.env", std::string("AWS_ACCESS_KEY_ID=") + kFileKeyA + "\n");
  dir.write("b/deploy.sh", std::string("#!/bin/sh\n\nexport AWS_ACCESS_KEY_ID=\"") + kFileKeyA + "\"\n");
  dir.write("c/clean.txt", "nothing to see here\n");
  auto report = scan_report({"."}, 1, dir.str());
  ASSERT_EQ(report["findings"].size(), 1u);
  EXPECT_EQ(locations_of(report), (std::vector<std::string>{"aws.access-key-id a/config.env:1:19",
                                                            "aws.access-key-id b/deploy.sh:3:27"}));
  EXPECT_EQ(report["findings"][0]["fingerprint"],
            fingerprint_of(testing::user_fingerprint_key(), "aws.access-key-id", kFileKeyA));
}

TEST(ScanFiles, ExitCodes) {
  TempDir dir;
  dir.write("clean.txt", "hello\n");
  EXPECT_EQ(run_keyhound({"scan", dir.str()}).exit_code, 0);
  dir.write("key.env", std::string("id=") + kFileKeyA + "\n");
  EXPECT_EQ(run_keyhound({"scan", dir.str()}).exit_code, 1);

  auto missing = run_keyhound({"scan", dir.str() + "/nope"});
  EXPECT_EQ(missing.exit_code, 2);
  EXPECT_NE(missing.err.find("nope: no such file or directory"), std::string::npos) << missing.err;
  auto bad_format = run_keyhound({"scan", "--format", "xml", dir.str()});
  EXPECT_EQ(bad_format.exit_code, 2);
  EXPECT_NE(bad_format.err.find("--format: unknown format 'xml'"), std::string::npos) << bad_format.err;
  auto bad_size = run_keyhound({"scan", "--max-file-size", "12Q", dir.str()});
  EXPECT_EQ(bad_size.exit_code, 2);
  EXPECT_EQ(run_keyhound({"scan", "--no-such-option"}).exit_code, 2);

  dir.write("bad.yml", "rules:\n  - id: my.rule\n    name: Mine\n    pattern: '(unclosed'\n");
  auto bad_rules = run_keyhound({"scan", "--rules", dir.str() + "/bad.yml", dir.str() + "/clean.txt"});
  EXPECT_EQ(bad_rules.exit_code, 2);
  EXPECT_NE(
      bad_rules.err.find("bad.yml:2: rule my.rule: Hyperscan rejects the pattern: Missing close parenthesis"),
      std::string::npos)
      << bad_rules.err;
}

TEST(ScanFiles, StandardInput) {
  std::string input = std::string("line one\nkey: ") + kFileKeyB + "\n";
  auto result = run_keyhound({"scan", "--format", "jsonl", "-"}, "", &input);
  EXPECT_EQ(result.exit_code, 1);
  auto finding = nlohmann::json::parse(result.out.substr(0, result.out.find('\n')));
  EXPECT_EQ(finding["rule_id"], "aws.access-key-id");
  EXPECT_EQ(finding["locations"][0]["path"], "<stdin>");
  EXPECT_EQ(finding["locations"][0]["line"], 2);
  EXPECT_EQ(finding["locations"][0]["column"], 6);
}

TEST(ScanFiles, SkipsGitDirsExcludedPathsAndSymlinks) {
  TempDir dir;
  std::string key_line = std::string("k=") + kFileKeyA + "\n";
  dir.write(".git/config", key_line);
  dir.write("node_modules/lib/index.js", key_line);
  dir.write("dist/app.min.js", key_line);
  dir.write("src/app.py", key_line);
  TempDir outside;
  outside.write("secret.txt", std::string("k=") + kFileKeyB + "\n");
  std::filesystem::create_symlink(outside.path() / "secret.txt", dir.path() / "src/link.txt");
  std::filesystem::create_directory_symlink(outside.path(), dir.path() / "linked-dir");

  auto report = scan_report({".", "--exclude", "node_modules", "--exclude", "*.min.js"}, 1, dir.str());
  EXPECT_EQ(locations_of(report), std::vector<std::string>{"aws.access-key-id src/app.py:1:3"});

  auto followed = scan_report({".", "--exclude", "node_modules", "--exclude", "dist/*", "--follow-symlinks"},
                              1, dir.str());
  EXPECT_EQ(locations_of(followed), (std::vector<std::string>{"aws.access-key-id linked-dir/secret.txt:1:3",
                                                              "aws.access-key-id src/app.py:1:3",
                                                              "aws.access-key-id src/link.txt:1:3"}));
}

TEST(ScanFiles, HugeFileIsSkippedWithACountedWarningUnlessTheLimitAllowsIt) {
  TempDir dir;
  {
    std::ofstream out(dir.path() / "huge.log", std::ios::binary);
    std::string line = "2026-11-29T03:00:00Z INFO request served in 12ms path=/api/v1/items status=200\n";
    for (int i = 0; i < 240000; ++i) out << line;  // about 19 MB, over the 16 MiB default
    out << "leaked " << kFileKeyB << "\n";
  }
  auto skipped = run_keyhound({"scan", "--format", "json", dir.str()});
  EXPECT_EQ(skipped.exit_code, 0);
  EXPECT_NE(skipped.err.find("huge.log: skipped: "), std::string::npos) << skipped.err;
  EXPECT_NE(skipped.err.find("is over --max-file-size"), std::string::npos) << skipped.err;
  auto summary = nlohmann::json::parse(skipped.out)["summary"];
  EXPECT_EQ(summary["skipped_too_large"], 1);
  EXPECT_EQ(summary["warnings"], 1);

  auto found = scan_report({dir.str(), "--max-file-size", "64M"}, 1);
  ASSERT_EQ(found["findings"].size(), 1u);
  EXPECT_EQ(found["findings"][0]["locations"][0]["line"], 240001);
  EXPECT_EQ(found["findings"][0]["locations"][0]["column"], 8);
}

TEST(ScanFiles, ThreadCountDoesNotChangeTheReport) {
  TempDir dir;
  for (int i = 0; i < 200; ++i)
    dir.write("f" + std::to_string(i) + ".txt",
              i % 7 == 0 ? std::string("x ") + (i % 2 ? kFileKeyA : kFileKeyB) + "\n" : "plain\n");
  auto one = run_keyhound({"scan", "--format", "jsonl", "--threads", "1", dir.str()});
  auto four = run_keyhound({"scan", "--format", "jsonl", "--threads", "4", dir.str()});
  EXPECT_EQ(one.exit_code, 1);
  EXPECT_EQ(one.out, four.out);
  EXPECT_EQ(nlohmann::json::parse(one.out.substr(0, one.out.find('\n')))["locations"].size(), 15u);
}

TEST(ScanFiles, OutputFileIsWrittenWhole) {
  TempDir dir;
  dir.write("key.env", std::string("id=") + kFileKeyA + "\n");
  auto result = run_keyhound(
      {"scan", "--format", "json", "--output", dir.str() + "/report.json", dir.str() + "/key.env"});
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_EQ(result.out, "");
  auto report = nlohmann::json::parse(testing::read_text(dir.path() / "report.json"));
  EXPECT_EQ(report["findings"].size(), 1u);
  for (const auto& entry : std::filesystem::directory_iterator(dir.path()))
    EXPECT_EQ(entry.path().filename().string().find(".tmp"), std::string::npos) << entry.path();
}

// Regression: -o /dev/null as root replaced the device with a regular file (rename over it).
TEST(ScanFiles, OutputToADeviceWritesIntoIt) {
  TempDir dir;
  dir.write("key.env", std::string("id=") + kFileKeyA + "\n");
  auto fifo = dir.path() / "report.fifo";
  ASSERT_EQ(testing::run_command("mkfifo " + testing::shell_quote(fifo.string())).exit_code, 0);
  auto result = testing::run_command(
      "cat " + testing::shell_quote(fifo.string()) + " > " + testing::shell_quote(dir.str() + "/copy.jsonl") +
      " & " + testing::shell_quote(KEYHOUND_BIN) + " scan --format jsonl -o " +
      testing::shell_quote(fifo.string()) + " " + testing::shell_quote(dir.str() + "/key.env") +
      "; status=$?; wait; exit $status");
  EXPECT_EQ(result.exit_code, 1) << result.err;
  EXPECT_TRUE(std::filesystem::is_fifo(fifo));
  EXPECT_NE(testing::read_text(dir.path() / "copy.jsonl").find("\"rule_id\":\"aws.access-key-id\""),
            std::string::npos);
}

}  // namespace
}  // namespace keyhound
