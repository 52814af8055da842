// Position <-> offset mapping in the three encodings, line breaks, invalid UTF-8, clamping.
#include "lsp/document.hpp"

#include <gtest/gtest.h>

namespace keyhound::lsp {
namespace {

TEST(Document, Utf16CountsSurrogatePairsAsTwoUnits) {
  Document document("a🎉b\nxé\n", 1);  // 🎉 is 4 bytes, 2 UTF-16 units; é is 2 bytes, 1 unit
  EXPECT_EQ(document.position_of(5, PositionEncoding::utf16), (Position{0, 3}));  // before 'b'
  EXPECT_EQ(document.position_of(5, PositionEncoding::utf8), (Position{0, 5}));
  EXPECT_EQ(document.position_of(5, PositionEncoding::utf32), (Position{0, 2}));
  EXPECT_EQ(document.offset_of({0, 3}, PositionEncoding::utf16), 5u);
  EXPECT_EQ(document.offset_of({0, 2}, PositionEncoding::utf16), 1u);   // inside the pair: its start
  EXPECT_EQ(document.offset_of({1, 2}, PositionEncoding::utf16), 10u);  // after é
  EXPECT_EQ(document.position_of(10, PositionEncoding::utf16), (Position{1, 2}));
}

TEST(Document, LinesEndAtLfCrLfAndCr) {
  Document document("a\r\nb\rc\nd", 1);
  EXPECT_EQ(document.offset_of({1, 0}, PositionEncoding::utf16), 3u);
  EXPECT_EQ(document.offset_of({2, 0}, PositionEncoding::utf16), 5u);
  EXPECT_EQ(document.offset_of({3, 0}, PositionEncoding::utf16), 7u);
  EXPECT_EQ(document.offset_of({0, 5}, PositionEncoding::utf16), 1u);  // past the line: before "\r\n"
  EXPECT_EQ(document.position_of(7, PositionEncoding::utf16), (Position{3, 0}));
}

TEST(Document, PositionsPastTheEndClampToTheEnd) {
  Document document("ab\ncd", 1);
  EXPECT_EQ(document.offset_of({9, 0}, PositionEncoding::utf16), 5u);
  EXPECT_EQ(document.offset_of({1, 99}, PositionEncoding::utf16), 5u);
  EXPECT_EQ(document.position_of(99, PositionEncoding::utf16), (Position{1, 2}));
}

TEST(Document, InvalidUtf8BytesCountAsOneCharacterEach) {
  Document document(std::string("a\xff\xc3z\xe2\x82", 6) + "b", 1);    // stray, truncated, truncated
  EXPECT_EQ(document.offset_of({0, 6}, PositionEncoding::utf16), 6u);  // before 'b'
  EXPECT_EQ(document.position_of(7, PositionEncoding::utf16), (Position{0, 7}));
  EXPECT_EQ(utf8_sequence_length("\xed\xa0\x80", 0), 1u);  // an encoded surrogate is invalid
  EXPECT_EQ(utf8_sequence_length("\xf0\x9f\x8e\x89", 0), 4u);
}

TEST(Document, ReplaceKeepsTheLineIndexCurrent) {
  Document document("one\ntwo\n", 1);
  EXPECT_EQ(document.offset_of({1, 0}, PositionEncoding::utf16), 4u);
  document.replace(0, 0, "zero\n");
  EXPECT_EQ(document.text(), "zero\none\ntwo\n");
  EXPECT_EQ(document.offset_of({1, 0}, PositionEncoding::utf16), 5u);
  document.replace(3, 100, "");
  EXPECT_EQ(document.text(), "zer");
}

}  // namespace
}  // namespace keyhound::lsp
