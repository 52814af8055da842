// touches_lines: the filter a staged scan applies to matches (only lines the index adds).
#include <gtest/gtest.h>

#include "source/blob.hpp"

namespace keyhound {
namespace {

TEST(GitLineRanges, MatchCountsWhenAnyOfItsLinesIsAdded) {
  std::vector<LineRange> added = {{3, 3}, {7, 9}};
  EXPECT_FALSE(touches_lines(added, 1, 1));
  EXPECT_FALSE(touches_lines(added, 2, 2));
  EXPECT_TRUE(touches_lines(added, 3, 3));
  EXPECT_FALSE(touches_lines(added, 4, 6));
  EXPECT_TRUE(touches_lines(added, 5, 7));   // a multi-line secret ending on an added line
  EXPECT_TRUE(touches_lines(added, 9, 12));  // starting on one
  EXPECT_TRUE(touches_lines(added, 8, 8));
  EXPECT_FALSE(touches_lines(added, 10, 10));
  EXPECT_FALSE(touches_lines({}, 1, 1));
}

}  // namespace
}  // namespace keyhound
