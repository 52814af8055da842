// A streamed file's bytes one piece at a time, each inside a window that reaches far enough
// before and after it that every match starting in the piece is found as in the whole file.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "source/blob.hpp"

namespace keyhound {

class StreamWindow {
 public:
  // `buffer` is the caller's, reused from file to file; `overlap` is how far the window reaches
  // past either end of the piece (twice the matcher's context reach).
  StreamWindow(BlobStream& stream, std::string& buffer, std::size_t piece, std::size_t overlap);

  // Moves to the next piece; false at the end of the file or when a read fails (error()).
  bool next();
  int error() const { return error_; }

  // The window: from a line start at least `overlap` before the piece (or the file's start) to
  // a line end at least `overlap` after it (or the file's end). A line longer than kLineReach
  // is cut where the overlap ends.
  std::string_view bytes() const { return {buffer_.data(), view_}; }
  std::uint64_t offset() const { return offset_; }  // of bytes()[0] in the file
  // Whether a match starting at bytes()[start] is this piece's (each match is one piece's).
  bool owns(std::size_t start) const {
    std::uint64_t at = offset_ + start;
    return at >= piece_begin_ && at < piece_end_;
  }
  std::uint64_t line() const { return line_; }                    // 1-based, of bytes()[0]
  std::uint64_t column_before() const { return column_before_; }  // code points from that line's start

  static constexpr std::size_t kLineReach = 1 << 20;

 private:
  bool fill_to(std::uint64_t end);  // reads until the buffer holds the file up to `end`
  void drop(std::size_t count);     // forgets the buffer's first `count` bytes

  BlobStream& stream_;
  std::string& buffer_;
  std::size_t piece_;
  std::size_t overlap_;
  std::uint64_t size_;
  bool started_ = false;
  int error_ = 0;
  std::uint64_t offset_ = 0;  // file offset of buffer_[0]
  std::size_t held_ = 0;      // bytes of the file in buffer_
  std::size_t view_ = 0;      // of which the window
  std::uint64_t piece_begin_ = 0, piece_end_ = 0;
  std::uint64_t line_ = 1;
  std::uint64_t column_before_ = 0;
};

}  // namespace keyhound
