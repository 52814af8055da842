// A report's order does not depend on the order the workers found things in.
#include <gtest/gtest.h>

#include <algorithm>

#include "pipeline/scan.hpp"
#include "rules/loader.hpp"
#include "support/build_paths.hpp"

namespace keyhound {
namespace {

// Hands out its blobs in the given order, without paths, like the history source's blobs that
// no commit reaches.
class ListSource : public Source {
 public:
  explicit ListSource(std::vector<std::string> texts) : texts_(std::move(texts)) {}
  Status run(unsigned, BlobVisitor& visitor) override {
    for (const auto& text : texts_) {
      Blob blob;
      blob.id = git_blob_id(text);
      blob.bytes = text;
      visitor.on_blob(0, blob);
    }
    return Ok{};
  }

 private:
  std::vector<std::string> texts_;
};

TEST(ReportOrder, PathlessLocationsOfOneSecretAreOrderedByBlobWhicheverCameFirst) {
  auto rules = parse_rule_sources(builtin_rule_sources());
  ASSERT_TRUE(rules) << rules.error().message;
  auto matcher = Matcher::build(std::move(*rules), MatcherOptions{KEYHOUND_TEST_CACHE_DIR});
  ASSERT_TRUE(matcher) << matcher.error().message;
  // The same synthetic key on the same line and column of three different blobs.
  std::vector<std::string> texts;
  for (const char* tail : {"one", "two", "three"})
    texts.push_back(std::string("aws_access_key_id = AKIAQWERTYUIOPASDFGH\n# ") + tail + "\n");
  std::vector<std::string> ids;
  for (const auto& text : texts) ids.push_back(git_blob_id(text));
  std::vector<std::string> sorted = ids;
  std::sort(sorted.begin(), sorted.end());

  std::vector<std::string> order = texts;
  std::sort(order.begin(), order.end());
  do {
    ListSource source(order);
    ScanSettings settings;
    auto result = run_scan(source, **matcher, settings);
    ASSERT_TRUE(result) << result.error().message;
    ASSERT_EQ(result->findings.size(), 1u);
    std::vector<std::string> reported;
    for (const auto& location : result->findings[0].locations) {
      EXPECT_EQ(location.line, 1u);
      EXPECT_EQ(location.column, 21u);
      reported.push_back(location.blob_id);
    }
    EXPECT_EQ(reported, sorted);
  } while (std::next_permutation(order.begin(), order.end()));
}

}  // namespace
}  // namespace keyhound
