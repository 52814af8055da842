// The whole testdata/ tree: every finding's rule, path, line and column, exactly.
// testdata/expected-findings.txt (per-rule fixtures) and testdata/corpus/expected-findings.txt (the
// realistic corpus) are reviewed by hand; regenerate both with scripts/expected-findings.sh after a
// deliberate change and read the diff.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <algorithm>
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

TEST(Testdata, FindingsAreExactlyTheExpectedOnes) {
  auto result = testing::run_keyhound({"scan", "--format", "jsonl", "testdata"}, testing::source_dir());
  ASSERT_EQ(result.exit_code, 1) << result.err;
  std::vector<std::string> actual;
  std::istringstream in(result.out);
  for (std::string line; std::getline(in, line);) {
    auto finding = nlohmann::json::parse(line);
    for (const auto& at : finding["locations"])
      actual.push_back(finding["rule_id"].get<std::string>() + " " + at["path"].get<std::string>() + ":" +
                       std::to_string(at["line"].get<int>()) + ":" + std::to_string(at["column"].get<int>()));
  }
  std::sort(actual.begin(), actual.end());
  auto expected = lines_of(testing::read_text(testing::source_dir() + "/testdata/expected-findings.txt"));
  auto corpus = lines_of(testing::read_text(testing::source_dir() + "/testdata/corpus/expected-findings.txt"));
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
  std::set_difference(expected.begin(), expected.end(), actual.begin(), actual.end(), std::back_inserter(missing));
  std::set_difference(actual.begin(), actual.end(), expected.begin(), expected.end(), std::back_inserter(unexpected));
  for (const auto& line : missing) ADD_FAILURE() << "missing: " << line;
  for (const auto& line : unexpected) ADD_FAILURE() << "unexpected: " << line;
}

TEST(Testdata, EveryNegativeFileIsClean) {
  auto result = testing::run_keyhound({"scan", "--format", "jsonl", "testdata"}, testing::source_dir());
  std::istringstream in(result.out);
  for (std::string line; std::getline(in, line);) {
    auto finding = nlohmann::json::parse(line);
    for (const auto& at : finding["locations"]) {
      std::string path = at["path"];
      EXPECT_EQ(path.find("negative"), std::string::npos)
          << finding["rule_id"] << " fires in " << path << ":" << at["line"];
    }
  }
}

}  // namespace
}  // namespace keyhound
