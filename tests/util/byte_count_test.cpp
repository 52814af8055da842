#include "util/byte_count.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <random>
#include <string>

namespace keyhound {
namespace {

TEST(CountByte, AgreesWithStdCountAtEveryLengthAndAlignment) {
  std::mt19937 random(15);
  std::string text(700, 'x');
  for (char& c : text) c = random() % 5 == 0 ? '\n' : static_cast<char>(random() % 256);
  for (std::size_t start = 0; start < 17; ++start)
    for (std::size_t size = 0; start + size <= text.size(); size += 1 + size / 8) {
      std::string_view piece = std::string_view(text).substr(start, size);
      ASSERT_EQ(count_byte(piece, '\n'),
                static_cast<std::size_t>(std::count(piece.begin(), piece.end(), '\n')))
          << "start " << start << " size " << size;
    }
}

// Byte-wide counters hold 255: a run of the byte far longer than that is counted whole.
TEST(CountByte, LongRunsOfTheByteDoNotOverflow) {
  EXPECT_EQ(count_byte(std::string(100003, '\n'), '\n'), 100003u);
  EXPECT_EQ(count_byte(std::string(100003, '\n'), 'a'), 0u);
  EXPECT_EQ(count_byte(std::string(4080 * 3, '\xff'), '\xff'), 4080u * 3);
}

}  // namespace
}  // namespace keyhound
