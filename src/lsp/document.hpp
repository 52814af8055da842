// An open editor buffer: its text, version, and the mapping between LSP positions (line and
// character in UTF-16 code units, or UTF-8 bytes when negotiated) and byte offsets.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace keyhound::lsp {

enum class PositionEncoding { utf8, utf16, utf32 };
const char* to_string(PositionEncoding encoding);  // "utf-8", "utf-16", "utf-32"

struct Position {
  std::uint64_t line = 0;
  std::uint64_t character = 0;
  bool operator==(const Position&) const = default;
};

class Document {
 public:
  Document(std::string text, std::int64_t version) : text_(std::move(text)), version_(version) {}

  const std::string& text() const { return text_; }
  std::int64_t version() const { return version_; }
  void set_version(std::int64_t version) { version_ = version; }

  // The byte offset of a position. Positions past the end of a line mean the line's end, past
  // the last line the end of the text; a position inside a character (half a surrogate pair,
  // bytes of an invalid sequence) means the character's start.
  std::size_t offset_of(Position position, PositionEncoding encoding) const;
  Position position_of(std::size_t offset, PositionEncoding encoding) const;

  // Replaces bytes [start, end) (clamped to the text) with `replacement`.
  void replace(std::size_t start, std::size_t end, std::string_view replacement);
  void set_text(std::string text);

 private:
  const std::vector<std::size_t>& line_starts() const;

  std::string text_;
  std::int64_t version_ = 0;
  mutable std::vector<std::size_t> line_starts_;  // built on demand; empty: stale
};

// Length in bytes of the UTF-8 sequence starting at `bytes[at]`, 1 for a byte that does not
// start a valid sequence (each invalid byte counts as one character, as U+FFFD would).
std::size_t utf8_sequence_length(std::string_view bytes, std::size_t at);

}  // namespace keyhound::lsp
