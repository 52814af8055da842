// The frame reader on strings: pieces of any size, junk between frames, bad headers.
#include "lsp/framing.hpp"

#include <gtest/gtest.h>

namespace keyhound::lsp {
namespace {

std::vector<Frame> drain(FrameReader& reader) {
  std::vector<Frame> out;
  while (auto frame = reader.next()) out.push_back(*frame);
  return out;
}

TEST(Framing, ReadsFramesFedOneByteAtATime) {
  std::string stream = frame_message("{\"a\":1}") +
                       "Content-Type: application/vscode-jsonrpc; charset=utf-8\r\n" +
                       "content-length: 2\r\n\r\n{}" + frame_message("\"é\"");
  FrameReader reader(1 << 20);
  std::vector<Frame> frames;
  for (char c : stream) {
    reader.feed(std::string_view(&c, 1));
    for (auto& frame : drain(reader)) frames.push_back(frame);
  }
  ASSERT_EQ(frames.size(), 3u);
  EXPECT_EQ(frames[0].body, "{\"a\":1}");
  EXPECT_EQ(frames[1].body, "{}");
  EXPECT_EQ(frames[2].body, "\"é\"");
  for (const auto& frame : frames) EXPECT_EQ(frame.error, "");
}

TEST(Framing, BadHeadersAreReportedAndSkipped) {
  FrameReader reader(1 << 20);
  reader.feed("Content-Length: abc\r\n\r\n" + std::string("garbage line\r\n\r\n") + "X: 1\r\n\r\n" +
              frame_message("[]"));
  auto frames = drain(reader);
  ASSERT_EQ(frames.size(), 4u);
  EXPECT_EQ(frames[0].error, "Content-Length is not a decimal number; header dropped");
  EXPECT_EQ(frames[1].error, "malformed header line (no ':'); header dropped");
  EXPECT_EQ(frames[2].error, "header without Content-Length; header dropped");
  EXPECT_EQ(frames[3].body, "[]");
  EXPECT_EQ(frames[3].error, "");
}

TEST(Framing, OversizedBodiesAreSkippedWithoutBeingBuffered) {
  FrameReader reader(10);
  reader.feed("Content-Length: 20\r\n\r\n0123456789");
  auto first = drain(reader);
  ASSERT_EQ(first.size(), 1u);
  EXPECT_EQ(first[0].error, "message of 20 bytes is over the limit of 10 bytes; dropped");
  reader.feed("abcdefghij" + frame_message("{}"));  // the rest of the big body, then a good frame
  auto next = drain(reader);
  ASSERT_EQ(next.size(), 1u);
  EXPECT_EQ(next[0].body, "{}");
}

TEST(Framing, EndlessJunkWithoutAHeaderEndIsDropped) {
  FrameReader reader(1 << 20);
  reader.feed(std::string(9000, 'x'));
  auto frames = drain(reader);
  ASSERT_EQ(frames.size(), 1u);
  EXPECT_EQ(frames[0].error, "no header end within 8192 bytes; input dropped");
  reader.feed(frame_message("1"));
  frames = drain(reader);
  ASSERT_EQ(frames.size(), 1u);
  EXPECT_EQ(frames[0].body, "1");
}

TEST(Framing, FrameMessageWritesTheByteLength) {
  EXPECT_EQ(frame_message("\"日本\""), "Content-Length: 8\r\n\r\n\"日本\"");
}

}  // namespace
}  // namespace keyhound::lsp
