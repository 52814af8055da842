// The progress line's text, and its absence when stderr is not a terminal.
#include "cli/progress.hpp"

#include <gtest/gtest.h>

#include "support/support.hpp"

namespace keyhound::cli {
namespace {

TEST(Progress, TextCountsItemsBytesRateAndMatches) {
  EXPECT_EQ(progress_text(12345, 410'200'000, 7, 2.0, "file"),
            "12,345 files, 410.2 MB, 205.1 MB/s, 7 matches");
  EXPECT_EQ(progress_text(1, 999'999, 1, 0.5, "blob"), "1 blob, 1.0 MB, 2.0 MB/s, 1 match");
  EXPECT_EQ(progress_text(0, 0, 0, 0.0, "file"), "0 files, 0.0 MB, 0.0 MB/s, 0 matches");
  EXPECT_EQ(progress_text(1234567, 0, 1000, 1.0, "blob"), "1,234,567 blobs, 0.0 MB, 0.0 MB/s, 1,000 matches");
}

TEST(Progress, NothingOnStderrWhenItIsNotATerminal) {
  // The test harness redirects stderr to a file: no progress line, no escape sequences.
  auto result = testing::run_keyhound({"scan", "--format", "json", "testdata"}, testing::source_dir());
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_EQ(result.err, "");
}

}  // namespace
}  // namespace keyhound::cli
