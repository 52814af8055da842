// The whole testdata/ corpus: every finding's rule, path, line and column, exactly.
// testdata/expected-findings.txt is reviewed by hand; regenerate it with
// scripts/expected-findings.sh after a deliberate change and read the diff.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <filesystem>
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
  std::sort(expected.begin(), expected.end());
  std::vector<std::string> missing, unexpected;
  std::set_difference(expected.begin(), expected.end(), actual.begin(), actual.end(), std::back_inserter(missing));
  std::set_difference(actual.begin(), actual.end(), expected.begin(), expected.end(), std::back_inserter(unexpected));
  for (const auto& line : missing) ADD_FAILURE() << "missing: " << line;
  for (const auto& line : unexpected) ADD_FAILURE() << "unexpected: " << line;
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
  std::vector<std::string> args = {"scan", "--strict", "--format", "json"};
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
