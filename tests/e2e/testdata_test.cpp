// The whole testdata/ tree: every finding's rule, path, line, column, confidence and reasons,
// exactly, at --min-confidence low (every finding there is). testdata/expected-findings.txt (per-rule
// fixtures) and testdata/corpus/expected-findings.txt (the realistic corpus) are reviewed by hand;
// regenerate both with scripts/expected-findings.sh after a deliberate change and read the diff.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>

#include "support/support.hpp"

namespace keyhound {
namespace {

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);)
    if (!line.empty() && line[0] != '#') lines.push_back(line);
  return lines;
}

std::vector<std::string> rows_of(const std::string& jsonl) {
  std::vector<std::string> rows;
  std::istringstream in(jsonl);
  for (std::string line; std::getline(in, line);) {
    auto finding = nlohmann::json::parse(line);
    for (const auto& at : finding["locations"]) {
      std::string reasons;
      for (const auto& reason : at["reasons"])
        reasons += (reasons.empty() ? "" : ",") + reason.get<std::string>();
      rows.push_back(finding["rule_id"].get<std::string>() + " " + at["path"].get<std::string>() + ":" +
                     std::to_string(at["line"].get<int>()) + ":" + std::to_string(at["column"].get<int>()) +
                     " " + at["confidence"].get<std::string>() + " [" + reasons + "]");
    }
  }
  std::sort(rows.begin(), rows.end());
  return rows;
}

TEST(Testdata, FindingsAreExactlyTheExpectedOnes) {
  auto result = testing::run_keyhound({"scan", "--format", "jsonl", "--min-confidence", "low", "testdata"},
                                      testing::source_dir());
  ASSERT_EQ(result.exit_code, 1) << result.err;
  std::vector<std::string> actual = rows_of(result.out);
  auto expected = lines_of(testing::read_text(testing::source_dir() + "/testdata/expected-findings.txt"));
  auto corpus =
      lines_of(testing::read_text(testing::source_dir() + "/testdata/corpus/expected-findings.txt"));
  ASSERT_GT(corpus.size(), 150u) << "testdata/corpus/expected-findings.txt is missing or truncated";
  std::set<std::string> corpus_rules;
  for (const auto& line : corpus) {
    EXPECT_NE(line.find(" testdata/corpus/"), std::string::npos) << "outside the corpus: " << line;
    corpus_rules.insert(line.substr(0, line.find(' ')));
  }
  EXPECT_GE(corpus_rules.size(), 150u) << "the corpus should exercise at least 150 different rules";
  expected.insert(expected.end(), corpus.begin(), corpus.end());
  std::sort(expected.begin(), expected.end());
  std::vector<std::string> missing, unexpected;
  std::set_difference(expected.begin(), expected.end(), actual.begin(), actual.end(),
                      std::back_inserter(missing));
  std::set_difference(actual.begin(), actual.end(), expected.begin(), expected.end(),
                      std::back_inserter(unexpected));
  for (const auto& line : missing) ADD_FAILURE() << "missing: " << line;
  for (const auto& line : unexpected) ADD_FAILURE() << "unexpected: " << line;
}

// The default level holds back only what the list records as low, and says how many.
TEST(Testdata, TheDefaultLevelShowsEveryFindingAtMediumOrAbove) {
  auto low =
      rows_of(testing::run_keyhound({"scan", "--format", "jsonl", "--min-confidence", "low", "testdata"},
                                    testing::source_dir())
                  .out);
  auto shown = testing::run_keyhound({"scan", "--format", "jsonl", "testdata"}, testing::source_dir());
  std::vector<std::string> expected;
  for (const auto& row : low)
    if (row.find(" low [") == std::string::npos) expected.push_back(row);
  EXPECT_EQ(rows_of(shown.out), expected);
  auto text = testing::run_keyhound({"scan", "--no-color", "testdata"}, testing::source_dir());
  std::size_t held_back = 0;
  for (const auto& row : low) held_back += row.find(" low [") != std::string::npos;
  EXPECT_NE(text.out.find(", " + std::to_string(held_back) +
                          " below medium confidence (--min-confidence low shows them)"),
            std::string::npos)
      << text.out;
}

// A positive file is a real leak's stand-in: its findings may only drop below medium when the
// rule itself says low, never from evidence about the place.
TEST(Testdata, NoPositiveFindingDropsBelowItsRule) {
  auto result = testing::run_keyhound({"scan", "--format", "jsonl", "--min-confidence", "low", "testdata"},
                                      testing::source_dir());
  std::istringstream in(result.out);
  for (std::string line; std::getline(in, line);) {
    auto finding = nlohmann::json::parse(line);
    for (const auto& at : finding["locations"]) {
      if (at["confidence"] == "low")
        EXPECT_EQ(finding["rule_confidence"], "low")
            << finding["rule_id"] << " at " << at["path"] << ":" << at["line"];
    }
  }
}

// Every testdata file with "negative" in its name, scanned on its own: exit 0, nothing reported.
// (The old version scanned the whole corpus and only looked for negative paths in the output,
// so a crash, an error exit or an empty output all passed.)
TEST(Testdata, EveryNegativeFileIsClean) {
  std::vector<std::string> negatives;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(testing::source_dir() + "/testdata"))
    if (entry.is_regular_file() && entry.path().filename().string().find("negative") != std::string::npos)
      negatives.push_back(std::filesystem::relative(entry.path(), testing::source_dir()).string());
  std::sort(negatives.begin(), negatives.end());
  ASSERT_GE(negatives.size(), 10u) << "the corpus lost its negative files";
  std::vector<std::string> args = {"scan", "--strict", "--min-confidence", "low", "--format", "json"};
  args.insert(args.end(), negatives.begin(), negatives.end());
  auto result = testing::run_keyhound(args, testing::source_dir());
  ASSERT_EQ(result.exit_code, 0) << result.out << result.err;
  auto report = nlohmann::json::parse(result.out);
  for (const auto& finding : report["findings"])
    for (const auto& at : finding["locations"])
      ADD_FAILURE() << finding["rule_id"] << " fires in " << at["path"] << ":" << at["line"];
  EXPECT_EQ(report["summary"]["blobs_scanned"], negatives.size()) << "some negative file was not scanned";
}

}  // namespace
}  // namespace keyhound
