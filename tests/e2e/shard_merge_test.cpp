// scan --shard I/N and keyhound merge: for N = 1..4 the merged shard reports are byte for byte
// the report of one scan (json without its "seconds", a timing; jsonl whole), on a history
// built with git and on testdata/.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <regex>

#include "e2e/git_test_repo.hpp"
#include "support/support.hpp"

namespace keyhound::testing {
namespace {

// The one field of a report that is a measurement, not a result.
std::string without_seconds(const std::string& report) {
  return std::regex_replace(report, std::regex("\n *\"seconds\": [0-9.e+-]+"), "");
}

// A history whose secrets spread over many blobs: the same key at several paths and commits
// (its locations land in different shards), a generic password at a test path (low) and at a
// source path (medium: the finding is kept, with both locations), a binary and a large file.
GitRepo& history() {
  static GitRepo* repo = [] {
    auto* made = new GitRepo();
    for (int i = 0; i < 12; ++i) {
      made->write("src/module" + std::to_string(i) + ".py", "import os\n\nVALUE = " + std::to_string(i) +
                                                                "\naws_access_key_id = \"" +
                                                                (i % 3 == 0   ? kGitKeyA
                                                                 : i % 3 == 1 ? kGitKeyB
                                                                              : kGitKeyC) +
                                                                "\"\n");
      made->write("notes/n" + std::to_string(i) + ".txt", "nothing to see " + std::to_string(i) + "\n");
      made->commit("step " + std::to_string(i));
    }
    made->write("tests/fixture_test.py", "# a fixture\ndb_password = \"Xq7#vR2!mLp9@zK4\"\n");
    made->write("config/settings.py", "db_password = \"Xq7#vR2!mLp9@zK4\"\n");
    made->write("image.bin", std::string("\x00\x01\x02 binary", 10));
    made->write("big.log", std::string(300000, 'y') + "\naws_access_key_id = " + kGitKeyD + "\n");
    made->commit("more");
    made->write("src/module4.py", "# key removed\n");
    made->commit("remove a key");
    return made;
  }();
  return *repo;
}

struct Outcome {
  int exit_code;
  std::string out;
};

Outcome keyhound(std::vector<std::string> args, const std::string& cwd = "") {
  auto result = run_keyhound(args, cwd);
  EXPECT_TRUE(result.exit_code == 0 || result.exit_code == 1) << result.err;
  return {result.exit_code, result.out};
}

// Runs the scan whole and as N shards, merges, and compares.
void expect_merge_equals_single_run(const std::vector<std::string>& scan_args, const std::string& cwd) {
  for (std::string format : {"json", "jsonl"}) {
    std::vector<std::string> args = {"scan", "--format", format, "-q"};
    args.insert(args.end(), scan_args.begin(), scan_args.end());
    Outcome single = keyhound(args, cwd);
    ASSERT_EQ(single.exit_code, 1) << "the scan should find something";
    for (int count = 1; count <= 4; ++count) {
      TempDir out;
      std::vector<std::string> merge = {"merge"};
      std::uint64_t blobs = 0;
      int shards_with_findings = 0;
      for (int index = 0; index < count; ++index) {
        std::string report = (out.path() / ("shard" + std::to_string(index) + "." + format)).string();
        std::vector<std::string> shard_args = args;
        shard_args.insert(shard_args.end(),
                          {"--shard", std::to_string(index) + "/" + std::to_string(count), "-o", report});
        Outcome shard = keyhound(shard_args, cwd);
        shards_with_findings += shard.exit_code == 1;
        merge.push_back(report);
        std::string text = read_text(report);
        std::string summary_line =
            format == "json" ? text : text.substr(text.rfind('\n', text.size() - 2) + 1);
        blobs += nlohmann::json::parse(summary_line)["summary"]["blobs_scanned"].get<std::uint64_t>();
      }
      if (count > 1) EXPECT_GE(shards_with_findings, 2) << count << " shards: the findings should spread";
      Outcome merged = keyhound(merge, cwd);
      EXPECT_EQ(merged.exit_code, single.exit_code);
      if (format == "json") {
        EXPECT_EQ(without_seconds(merged.out), without_seconds(single.out)) << count << " shards";
        EXPECT_EQ(blobs, nlohmann::json::parse(single.out)["summary"]["blobs_scanned"].get<std::uint64_t>());
      } else {
        EXPECT_EQ(merged.out, single.out) << count << " shards";
        // The shards' jsonl summary lines make a json report too.
        merge.insert(merge.begin() + 1, {"--format", "json"});
        Outcome as_json = keyhound(merge, cwd);
        std::vector<std::string> json_args = args;
        json_args[2] = "json";
        EXPECT_EQ(without_seconds(as_json.out), without_seconds(keyhound(json_args, cwd).out))
            << count << " shards";
      }
    }
  }
}

TEST(ShardMerge, HistoryShardsMergeIntoTheSingleRunReport) {
  expect_merge_equals_single_run({"--git", "--max-file-size", "100K", history().str()}, "");
}

TEST(ShardMerge, DirectoryShardsMergeIntoTheSingleRunReport) {
  expect_merge_equals_single_run({"--max-file-size", "100K", history().str()}, "");
}

TEST(ShardMerge, TestdataShardsMergeIntoTheSingleRunReport) {
  expect_merge_equals_single_run({"testdata"}, source_dir());
}

TEST(ShardMerge, ShardsSplitTheBlobsByIdTheSameWayInFilesAndHistory) {
  // A blob id's shard is its first eight hex digits modulo N, whichever scan reads it.
  GitRepo& repo = history();
  std::string id = repo.git("rev-parse HEAD:config/settings.py");
  unsigned shard = static_cast<unsigned>(std::stoul(id.substr(0, 8), nullptr, 16) % 3);
  for (bool git : {false, true}) {
    std::vector<std::string> args = {
        "scan", "--format", "jsonl", "--min-confidence", "low", "--shard", std::to_string(shard) + "/3"};
    if (git) args.push_back("--git");
    args.push_back(git ? repo.str() : (repo.dir().path() / "config").string());
    Outcome run = keyhound(args);
    EXPECT_NE(run.out.find(id), std::string::npos) << run.out;
  }
}

TEST(ShardMerge, BadShardsAndReportsAreErrorsNamingThem) {
  for (std::string bad : {"4/4", "1", "a/2", "0/0", "1/2x"}) {
    auto result = run_keyhound({"scan", "--shard", bad, "."});
    EXPECT_EQ(result.exit_code, 2);
    EXPECT_NE(result.err.find("--shard: expected I/N"), std::string::npos) << result.err;
  }
  TempDir dir;
  auto broken = dir.write("broken.json", "{not json\n").string();
  auto result = run_keyhound({"merge", broken});
  EXPECT_EQ(result.exit_code, 2);
  EXPECT_NE(result.err.find(broken + ":1: not a json or jsonl keyhound report"), std::string::npos)
      << result.err;
}

TEST(ShardMerge, MergeExitsTwoUnderStrictWhenAShardLostCoverage) {
  TempDir dir;
  dir.write("a.env", std::string("aws_access_key_id = ") + kGitKeyA + "\n");
  dir.write("deep/x.env", "nothing\n");
  std::string report = (dir.path() / "r.json").string();
  run_keyhound({"scan", "--format", "json", "--shard", "0/1", "-o", report, (dir.path() / "a.env").string()});
  auto text = read_text(report);
  auto document = nlohmann::json::parse(text);
  document["summary"]["not_scanned"] = 1;
  dir.write("lost.json", document.dump(2));
  auto strict = run_keyhound({"merge", "--strict", (dir.path() / "lost.json").string()});
  EXPECT_EQ(strict.exit_code, 2);
  EXPECT_NE(strict.err.find("not scanned"), std::string::npos) << strict.err;
  auto plain = run_keyhound({"merge", report});
  EXPECT_EQ(plain.exit_code, 1);
}

}  // namespace
}  // namespace keyhound::testing
