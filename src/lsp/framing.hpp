// LSP base protocol framing: "Content-Length: N\r\n\r\n" followed by N bytes of JSON. Reads
// frames out of whatever pieces stdin delivers, and survives garbage in between.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace keyhound::lsp {

// One frame: its body, or why the bytes where a frame should have been were not one (the
// reader has then dropped them and goes on with what follows).
struct Frame {
  std::string body;
  std::string error;  // empty for a good frame
};

class FrameReader {
 public:
  // Bodies declared longer than `max_body` are skipped (with an error frame), not buffered.
  explicit FrameReader(std::size_t max_body) : max_body_(max_body) {}

  void feed(std::string_view bytes);
  // The next frame, or nullopt until more bytes arrive.
  std::optional<Frame> next();

 private:
  std::size_t max_body_;
  std::string buffer_;
  std::size_t consumed_ = 0;              // bytes of buffer_ already handed out
  std::optional<std::size_t> body_size_;  // header read, waiting for the body
  std::size_t skipping_ = 0;              // bytes of an oversized body still to drop
};

// The frame for one JSON text.
std::string frame_message(std::string_view body);

}  // namespace keyhound::lsp
