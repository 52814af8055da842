// Header parsing is strict about what it needs (one decimal Content-Length) and lenient about
// the rest (other headers, such as Content-Type, are ignored).
#include "lsp/framing.hpp"

#include <algorithm>
#include <cctype>
#include <string>

namespace keyhound::lsp {
namespace {

// Headers longer than this are not headers: drop them rather than buffer a stream of junk.
constexpr std::size_t kMaxHeader = 8192;

bool equals_ignoring_case(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y));
         });
}

std::string_view trim(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  return text;
}

// The Content-Length of a header block (without its final blank line), or an error message.
std::optional<std::size_t> content_length(std::string_view header, std::string& error) {
  std::optional<std::size_t> length;
  while (!header.empty()) {
    std::size_t end = header.find("\r\n");
    std::string_view line = header.substr(0, end);
    header = end == std::string_view::npos ? std::string_view{} : header.substr(end + 2);
    std::size_t colon = line.find(':');
    if (colon == std::string_view::npos) {
      error = "malformed header line (no ':')";
      return std::nullopt;
    }
    if (!equals_ignoring_case(trim(line.substr(0, colon)), "Content-Length")) continue;
    std::string_view value = trim(line.substr(colon + 1));
    if (value.empty() || value.size() > 15 ||
        !std::all_of(value.begin(), value.end(), [](char c) { return c >= '0' && c <= '9'; })) {
      error = "Content-Length is not a decimal number";
      return std::nullopt;
    }
    length = std::stoull(std::string(value));
  }
  if (!length) error = "header without Content-Length";
  return length;
}

}  // namespace

void FrameReader::feed(std::string_view bytes) {
  if (skipping_ > 0) {
    std::size_t dropped = std::min(skipping_, bytes.size());
    skipping_ -= dropped;
    bytes.remove_prefix(dropped);
  }
  if (consumed_ > 0 && consumed_ >= buffer_.size() / 2) {  // keep the buffer from growing forever
    buffer_.erase(0, consumed_);
    consumed_ = 0;
  }
  buffer_.append(bytes);
}

std::optional<Frame> FrameReader::next() {
  while (true) {
    std::string_view pending = std::string_view(buffer_).substr(consumed_);
    if (!body_size_) {
      // Blank lines between frames are tolerated (some clients send a trailing newline).
      std::size_t blank = 0;
      while (blank < pending.size() && (pending[blank] == '\r' || pending[blank] == '\n')) ++blank;
      consumed_ += blank;
      pending.remove_prefix(blank);
      std::size_t end = pending.find("\r\n\r\n");
      if (end == std::string_view::npos) {
        if (pending.size() <= kMaxHeader) return std::nullopt;
        consumed_ = buffer_.size();
        return Frame{"", "no header end within " + std::to_string(kMaxHeader) + " bytes; input dropped"};
      }
      std::string error;
      auto length = content_length(pending.substr(0, end), error);
      consumed_ += end + 4;
      if (!length) return Frame{"", error + "; header dropped"};
      if (*length > max_body_) {
        std::size_t available = buffer_.size() - consumed_;
        std::size_t dropped = std::min<std::size_t>(available, *length);
        consumed_ += dropped;
        skipping_ = *length - dropped;
        return Frame{"", "message of " + std::to_string(*length) + " bytes is over the limit of " +
                             std::to_string(max_body_) + " bytes; dropped"};
      }
      body_size_ = *length;
      pending = std::string_view(buffer_).substr(consumed_);
    }
    if (pending.size() < *body_size_) return std::nullopt;
    Frame frame{std::string(pending.substr(0, *body_size_)), ""};
    consumed_ += *body_size_;
    body_size_.reset();
    return frame;
  }
}

std::string frame_message(std::string_view body) {
  std::string out = "Content-Length: " + std::to_string(body.size()) + "\r\n\r\n";
  out.append(body);
  return out;
}

}  // namespace keyhound::lsp
