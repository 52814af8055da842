// The window arithmetic of streamed files: reads, line-start cuts, line and column carry.
#include "pipeline/stream_window.hpp"

#include <algorithm>
#include <cerrno>
#include <cstring>

namespace keyhound {
namespace {

std::uint64_t code_points(const char* data, std::size_t size) {
  return static_cast<std::uint64_t>(std::count_if(
      data, data + size, [](char c) { return (static_cast<unsigned char>(c) & 0xC0) != 0x80; }));
}

}  // namespace

StreamWindow::StreamWindow(BlobStream& stream, std::string& buffer, std::size_t piece, std::size_t overlap)
    : stream_(stream),
      buffer_(buffer),
      piece_(std::max<std::size_t>(1, piece)),
      overlap_(overlap),
      size_(stream.size()) {}

bool StreamWindow::fill_to(std::uint64_t end) {
  end = std::min(end, size_);
  std::size_t wanted = static_cast<std::size_t>(end - offset_);
  if (buffer_.size() < wanted) buffer_.resize(std::max(wanted, buffer_.size() + buffer_.size() / 2));
  while (held_ < wanted) {
    long long got = stream_.read_at(offset_ + held_, buffer_.data() + held_, wanted - held_);
    if (got < 0) {
      error_ = errno;
      return false;
    }
    if (got == 0) {  // the file shrank since it was opened: it ends here
      size_ = offset_ + held_;
      return true;
    }
    held_ += static_cast<std::size_t>(got);
  }
  return true;
}

void StreamWindow::drop(std::size_t count) {
  const char* data = buffer_.data();
  const char* last_newline = static_cast<const char*>(memrchr(data, '\n', count));
  if (last_newline) {
    line_ += static_cast<std::uint64_t>(std::count(data, last_newline + 1, '\n'));
    column_before_ = code_points(last_newline + 1, static_cast<std::size_t>(data + count - last_newline - 1));
  } else {
    column_before_ += code_points(data, count);
  }
  std::memmove(buffer_.data(), data + count, held_ - count);
  held_ -= count;
  offset_ += count;
}

bool StreamWindow::next() {
  if (error_ != 0) return false;
  if (!started_) {
    started_ = true;
    piece_begin_ = 0;
  } else {
    if (piece_end_ >= size_) return false;
    piece_begin_ = piece_end_;
    // Keep from the line start at or before `overlap` ahead of the piece.
    std::uint64_t keep = piece_begin_ > overlap_ ? piece_begin_ - overlap_ : 0;
    if (keep > offset_) {
      std::size_t at = static_cast<std::size_t>(keep - offset_);
      std::size_t low = at > kLineReach ? at - kLineReach : 0;
      const char* newline = static_cast<const char*>(memrchr(buffer_.data() + low, '\n', at - low));
      drop(newline ? static_cast<std::size_t>(newline - buffer_.data()) + 1 : at);
    }
  }
  piece_end_ = std::min(size_, piece_begin_ + piece_);
  std::uint64_t want = std::min(size_, piece_end_ + overlap_);
  if (!fill_to(want)) return false;
  piece_end_ = std::min(piece_end_, size_);  // a file that shrank
  want = std::min(want, size_);
  // ...and on to the end of the line there.
  std::size_t from = static_cast<std::size_t>(want - offset_);
  view_ = held_;
  while (from < held_ || offset_ + held_ < size_) {
    if (const void* newline = std::memchr(buffer_.data() + from, '\n', held_ - from)) {
      view_ = static_cast<std::size_t>(static_cast<const char*>(newline) - buffer_.data()) + 1;
      break;
    }
    view_ = held_;
    if (offset_ + held_ >= size_ || offset_ + held_ >= want + kLineReach) break;
    from = held_;
    if (!fill_to(offset_ + held_ + 65536)) return false;
  }
  return piece_begin_ < piece_end_ || piece_begin_ == 0;
}

}  // namespace keyhound
