// Lines end at "\n", "\r\n" or "\r" (the LSP's three). Line starts are indexed once per text
// version, so a position costs a binary search and a walk along one line.
#include "lsp/document.hpp"

#include <algorithm>

namespace keyhound::lsp {
namespace {

bool continuation(unsigned char c) {
  return (c & 0xC0) == 0x80;
}

// Code units of `encoding` for a sequence of `length` bytes.
std::uint64_t units_of(std::size_t length, PositionEncoding encoding) {
  switch (encoding) {
    case PositionEncoding::utf8:
      return length;
    case PositionEncoding::utf16:
      return length == 4 ? 2 : 1;
    case PositionEncoding::utf32:
      return 1;
  }
  return 1;
}

}  // namespace

const char* to_string(PositionEncoding encoding) {
  switch (encoding) {
    case PositionEncoding::utf8:
      return "utf-8";
    case PositionEncoding::utf16:
      return "utf-16";
    case PositionEncoding::utf32:
      return "utf-32";
  }
  return "utf-16";
}

std::size_t utf8_sequence_length(std::string_view bytes, std::size_t at) {
  unsigned char lead = static_cast<unsigned char>(bytes[at]);
  std::size_t length = lead < 0x80                    ? 1
                       : lead >= 0xC2 && lead <= 0xDF ? 2
                       : lead >= 0xE0 && lead <= 0xEF ? 3
                       : lead >= 0xF0 && lead <= 0xF4 ? 4
                                                      : 0;
  if (length <= 1) return 1;
  if (at + length > bytes.size()) return 1;
  for (std::size_t i = 1; i < length; ++i)
    if (!continuation(static_cast<unsigned char>(bytes[at + i]))) return 1;
  unsigned char second = static_cast<unsigned char>(bytes[at + 1]);
  // Overlong forms, surrogates and code points past U+10FFFF are invalid.
  if ((lead == 0xE0 && second < 0xA0) || (lead == 0xED && second > 0x9F) || (lead == 0xF0 && second < 0x90) ||
      (lead == 0xF4 && second > 0x8F))
    return 1;
  return length;
}

const std::vector<std::size_t>& Document::line_starts() const {
  if (!line_starts_.empty()) return line_starts_;
  line_starts_.push_back(0);
  for (std::size_t i = 0; i < text_.size(); ++i) {
    if (text_[i] == '\n') {
      line_starts_.push_back(i + 1);
    } else if (text_[i] == '\r') {
      if (i + 1 < text_.size() && text_[i + 1] == '\n') ++i;
      line_starts_.push_back(i + 1);
    }
  }
  return line_starts_;
}

std::size_t Document::offset_of(Position position, PositionEncoding encoding) const {
  const auto& starts = line_starts();
  if (position.line >= starts.size()) return text_.size();
  std::size_t at = starts[position.line];
  std::size_t end = position.line + 1 < starts.size() ? starts[position.line + 1] : text_.size();
  while (end > at && (text_[end - 1] == '\n' || text_[end - 1] == '\r')) --end;  // the line's content
  std::uint64_t units = 0;
  while (at < end) {
    std::size_t length = utf8_sequence_length(text_, at);
    std::uint64_t step = units_of(length, encoding);
    if (units + step > position.character) break;
    units += step;
    at += length;
  }
  return at;
}

Position Document::position_of(std::size_t offset, PositionEncoding encoding) const {
  offset = std::min(offset, text_.size());
  const auto& starts = line_starts();
  std::size_t line =
      static_cast<std::size_t>(std::upper_bound(starts.begin(), starts.end(), offset) - starts.begin()) - 1;
  Position position{line, 0};
  for (std::size_t at = starts[line]; at < offset;) {
    std::size_t length = utf8_sequence_length(text_, at);
    if (at + length > offset) break;  // an offset inside a character: the character's start
    position.character += units_of(length, encoding);
    at += length;
  }
  return position;
}

void Document::replace(std::size_t start, std::size_t end, std::string_view replacement) {
  start = std::min(start, text_.size());
  end = std::clamp(end, start, text_.size());
  text_.replace(start, end - start, replacement);
  line_starts_.clear();
}

void Document::set_text(std::string text) {
  text_ = std::move(text);
  line_starts_.clear();
}

}  // namespace keyhound::lsp
