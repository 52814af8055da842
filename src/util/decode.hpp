// Spans of bytes that look encoded (base64, percent-encoding, string-literal escapes): finding
// them cheaply, decoding them, and mapping a decoded byte range back to the encoded bytes.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace keyhound {

enum class Encoding : std::uint8_t { base64, percent, escape };
const char* to_string(Encoding encoding);
std::optional<Encoding> parse_encoding(std::string_view text);

struct EncodedSpan {
  Encoding encoding;
  std::size_t start = 0;  // byte range within the searched bytes
  std::size_t end = 0;
  bool operator==(const EncodedSpan&) const = default;
};

// A base64 run shorter than this is not worth decoding (and is mostly an identifier).
inline constexpr std::size_t kMinBase64Run = 20;
// Percent-encoded tokens and string literals shorter than this cannot hold a secret worth a rule.
inline constexpr std::size_t kMinTextSpan = 16;
// Spans longer than these are skipped (base64 covers a whole file under the default size limit).
inline constexpr std::size_t kMaxBase64Span = 24u << 20;
inline constexpr std::size_t kMaxTextSpan = 1u << 20;

// Appends to `out`, ordered by start, the spans of `bytes` that look encoded, in linear time:
// - base64: a run of at least kMinBase64Run characters of the standard or URL-safe alphabet
//   holding both upper- and lower-case letters, with its `=` padding; lines of at least 40 such
//   characters wrapped onto the next line (indentation allowed) continue the run;
// - percent: a token of URL characters holding at least one %XX;
// - escape: the contents of a quoted string literal holding a backslash, continued over
//   literals that follow it joined by `+`, whitespace or line continuations (a PEM key written
//   as concatenated literals in Python, JS, Java or C is one span).
void find_encoded_spans(std::string_view bytes, std::vector<EncodedSpan>& out);

// Marks every few KB of a decoding, where a unit of the encoding starts, so a decoded offset
// maps back to the encoded bytes without a per-byte table.
struct Checkpoint {
  std::uint32_t decoded;  // offset in the decoded bytes (relative to the span's first)
  std::uint32_t encoded;  // offset in the encoded span
};

// Appends the decoding of `encoded` to `out` and its checkpoints to `checkpoints`. Returns
// false, leaving both as they were, when `encoded` is not valid for the encoding (a character
// outside the base64 alphabet, data after base64 padding). Truncated input decodes as far as
// it goes; percent and escape sequences that are not valid stay as they are written.
bool decode_span(Encoding encoding, std::string_view encoded, std::string& out,
                 std::vector<Checkpoint>& checkpoints);

// The same, for callers that need only the bytes.
std::optional<std::string> decode(Encoding encoding, std::string_view encoded);

// The byte range of `encoded` whose units produced decoded bytes [decoded_start, decoded_end)
// (a base64 range covers whole 4-character groups). `checkpoints` come from decode_span.
struct ByteRange {
  std::size_t start = 0;
  std::size_t end = 0;
  bool operator==(const ByteRange&) const = default;
};
ByteRange encoded_range(Encoding encoding, std::string_view encoded, std::span<const Checkpoint> checkpoints,
                        std::size_t decoded_start, std::size_t decoded_end);

// True when nearly all of `bytes` is printable ASCII or whitespace: base64 that decodes to
// anything else (images, DER, identifiers read as base64) holds no text a rule could match.
bool looks_like_text(std::string_view bytes);

// True when base64 `encoded` cannot decode to bytes that looks_like_text accepts, told from its
// first groups without writing anything: an identifier in mixed case (getElementsByTagName) is a
// base64 run, and its first bytes are already not text.
bool base64_cannot_be_text(std::string_view encoded);

}  // namespace keyhound
