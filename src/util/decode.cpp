// Every decoder is a loop over units (a base64 group, a %XX or a plain character, an escape
// sequence or the glue between two string literals): decoding, checkpoints and mapping back
// all walk the same units, so they cannot disagree about where a decoded byte came from.
#include "util/decode.hpp"

#include <algorithm>
#include <array>
#include <cstring>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace keyhound {
namespace {

constexpr std::uint32_t kCheckpointEvery = 4096;  // decoded bytes between checkpoints
constexpr std::size_t kMinWrappedLine = 40;       // base64 lines shorter than this end a run
constexpr std::size_t kMaxGlue = 512;             // between two concatenated string literals

// Base64 alphabet (standard and URL-safe): the sextet value, or -1.
constexpr std::array<std::int8_t, 256> kSextet = [] {
  std::array<std::int8_t, 256> table{};
  table.fill(-1);
  for (int i = 0; i < 26; ++i) {
    table['A' + i] = static_cast<std::int8_t>(i);
    table['a' + i] = static_cast<std::int8_t>(26 + i);
  }
  for (int i = 0; i < 10; ++i) table['0' + i] = static_cast<std::int8_t>(52 + i);
  table['+'] = table['-'] = 62;
  table['/'] = table['_'] = 63;
  return table;
}();

constexpr std::uint8_t kUpper = 1, kLower = 2;
constexpr std::array<std::uint8_t, 256> kLetterCase = [] {
  std::array<std::uint8_t, 256> table{};
  for (int c = 'A'; c <= 'Z'; ++c) table[c] = kUpper;
  for (int c = 'a'; c <= 'z'; ++c) table[c] = kLower;
  return table;
}();

// Characters a URL or form body holds unquoted (and '%'): not quotes, brackets or spaces.
constexpr std::array<bool, 256> kUrlChar = [] {
  std::array<bool, 256> table{};
  for (int c = 0x21; c < 0x7f; ++c) table[c] = true;
  for (char c : std::string_view("\"'<>`\\{}|^()[]")) table[static_cast<unsigned char>(c)] = false;
  return table;
}();

bool is_base64(char c) {
  return kSextet[static_cast<unsigned char>(c)] >= 0;
}
bool is_space(char c) {
  return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// The value of `count` hex digits at `at`, or -1.
long hex_number(std::string_view s, std::size_t at, std::size_t count) {
  if (at + count > s.size()) return -1;
  long value = 0;
  for (std::size_t i = 0; i < count; ++i) {
    int digit = hex_value(s[at + i]);
    if (digit < 0) return -1;
    value = value * 16 + digit;
  }
  return value;
}

struct Unit {
  std::size_t begin = 0;  // first byte that is part of the unit (base64 skips whitespace)
  std::size_t end = 0;    // just after it
  std::uint8_t size = 0;  // decoded bytes
  char bytes[4] = {};
};
enum class Step { unit, done, invalid };

std::uint8_t put_code_point(std::uint32_t cp, char* out) {
  if (cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) cp = 0xFFFD;
  if (cp < 0x80) {
    out[0] = static_cast<char>(cp);
    return 1;
  }
  if (cp < 0x800) {
    out[0] = static_cast<char>(0xC0 | (cp >> 6));
    out[1] = static_cast<char>(0x80 | (cp & 0x3F));
    return 2;
  }
  if (cp < 0x10000) {
    out[0] = static_cast<char>(0xE0 | (cp >> 12));
    out[1] = static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out[2] = static_cast<char>(0x80 | (cp & 0x3F));
    return 3;
  }
  out[0] = static_cast<char>(0xF0 | (cp >> 18));
  out[1] = static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
  out[2] = static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
  out[3] = static_cast<char>(0x80 | (cp & 0x3F));
  return 4;
}

Step base64_unit(std::string_view s, std::size_t pos, Unit& unit) {
  while (pos < s.size() && is_space(s[pos])) ++pos;
  if (pos == s.size()) return Step::done;
  if (s[pos] == '=') {  // padding ends the data: only more padding or whitespace may follow
    for (; pos < s.size(); ++pos)
      if (s[pos] != '=' && !is_space(s[pos])) return Step::invalid;
    return Step::done;
  }
  unit.begin = pos;
  std::uint32_t bits = 0;
  int count = 0;
  while (count < 4 && pos < s.size()) {
    char c = s[pos];
    if (is_space(c)) {
      ++pos;
      continue;
    }
    int value = kSextet[static_cast<unsigned char>(c)];
    if (value < 0) {
      if (c == '=') break;
      return Step::invalid;
    }
    bits = (bits << 6) | static_cast<std::uint32_t>(value);
    ++count;
    unit.end = ++pos;
  }
  if (count < 2)
    return count == 0 ? Step::done : (pos < s.size() && s[pos] == '=' ? Step::invalid : Step::done);
  bits <<= 6 * (4 - count);
  unit.bytes[0] = static_cast<char>(bits >> 16);
  unit.bytes[1] = static_cast<char>(bits >> 8);
  unit.bytes[2] = static_cast<char>(bits);
  unit.size = static_cast<std::uint8_t>(count - 1);
  return Step::unit;
}

Step percent_unit(std::string_view s, std::size_t pos, Unit& unit) {
  if (pos >= s.size()) return Step::done;
  unit.begin = pos;
  long value = s[pos] == '%' ? hex_number(s, pos + 1, 2) : -1;
  unit.bytes[0] = value >= 0 ? static_cast<char>(value) : s[pos];
  unit.end = pos + (value >= 0 ? 3 : 1);
  unit.size = 1;
  return Step::unit;
}

// Where the glue after a string literal's closing quote at `close` ends, when another literal
// with the same quote follows (`"a" + "b"`, `"a"\n  "b"`, `'a' \<newline> 'b'`); else npos.
std::size_t glue_end(std::string_view s, std::size_t close) {
  char quote = s[close];
  std::size_t pos = close + 1;
  std::size_t limit = std::min(s.size(), pos + kMaxGlue);
  while (pos < limit) {
    char c = s[pos];
    if (is_space(c) || c == '+') {
      ++pos;
    } else if (c == '\\' && pos + 1 < s.size() && (s[pos + 1] == '\n' || s[pos + 1] == '\r')) {
      pos += 2;
    } else {
      break;
    }
  }
  return pos < limit && s[pos] == quote ? pos + 1 : std::string_view::npos;
}

Step escape_unit(std::string_view s, std::size_t pos, Unit& unit) {
  if (pos >= s.size()) return Step::done;
  unit.begin = pos;
  unit.size = 1;
  unit.end = pos + 1;
  char c = s[pos];
  if (c == '"' || c == '\'') {
    std::size_t next = glue_end(s, pos);
    if (next != std::string_view::npos) {
      unit.size = 0;
      unit.end = next;
    } else {
      unit.bytes[0] = c;
    }
    return Step::unit;
  }
  if (c != '\\' || pos + 1 >= s.size()) {
    unit.bytes[0] = c;
    return Step::unit;
  }
  char e = s[pos + 1];
  unit.end = pos + 2;
  switch (e) {
    case 'n':
      unit.bytes[0] = '\n';
      return Step::unit;
    case 'r':
      unit.bytes[0] = '\r';
      return Step::unit;
    case 't':
      unit.bytes[0] = '\t';
      return Step::unit;
    case 'b':
      unit.bytes[0] = '\b';
      return Step::unit;
    case 'f':
      unit.bytes[0] = '\f';
      return Step::unit;
    case 'v':
      unit.bytes[0] = '\v';
      return Step::unit;
    case 'a':
      unit.bytes[0] = '\a';
      return Step::unit;
    case '\\':
    case '"':
    case '\'':
    case '/':
    case '`':
    case '?':
      unit.bytes[0] = e;
      return Step::unit;
    case '\n':  // a line continuation inside the literal
      unit.size = 0;
      return Step::unit;
    case '\r':
      unit.size = 0;
      if (pos + 2 < s.size() && s[pos + 2] == '\n') unit.end = pos + 3;
      return Step::unit;
    case 'x': {
      long value = hex_number(s, pos + 2, 2);
      if (value >= 0) {
        unit.bytes[0] = static_cast<char>(value);
        unit.end = pos + 4;
        return Step::unit;
      }
      break;
    }
    case 'u': {
      if (pos + 2 < s.size() && s[pos + 2] == '{') {  // \u{1F600} (JS, Rust, Swift)
        std::size_t close = s.find('}', pos + 3);
        long value = close != std::string_view::npos && close > pos + 3 && close <= pos + 9
                         ? hex_number(s, pos + 3, close - pos - 3)
                         : -1;
        if (value < 0) break;
        unit.size = put_code_point(static_cast<std::uint32_t>(value), unit.bytes);
        unit.end = close + 1;
        return Step::unit;
      }
      long value = hex_number(s, pos + 2, 4);
      if (value < 0) break;
      unit.end = pos + 6;
      if (value >= 0xD800 && value <= 0xDBFF && pos + 7 < s.size() && s[pos + 6] == '\\' &&
          s[pos + 7] == 'u') {
        long low = hex_number(s, pos + 8, 4);
        if (low >= 0xDC00 && low <= 0xDFFF) {  // a surrogate pair is one code point
          value = 0x10000 + ((value - 0xD800) << 10) + (low - 0xDC00);
          unit.end = pos + 12;
        }
      }
      unit.size = put_code_point(static_cast<std::uint32_t>(value), unit.bytes);
      return Step::unit;
    }
    case 'U': {
      long value = hex_number(s, pos + 2, 8);
      if (value < 0) break;
      unit.size = put_code_point(static_cast<std::uint32_t>(value), unit.bytes);
      unit.end = pos + 10;
      return Step::unit;
    }
    default:
      if (e >= '0' && e <= '7') {  // octal, up to three digits
        int value = 0;
        std::size_t at = pos + 1;
        while (at < s.size() && at < pos + 4 && s[at] >= '0' && s[at] <= '7')
          value = value * 8 + (s[at++] - '0');
        unit.bytes[0] = static_cast<char>(value & 0xFF);
        unit.end = at;
        return Step::unit;
      }
      break;
  }
  // Not an escape this decoder knows: the backslash stays as written.
  unit.bytes[0] = '\\';
  unit.end = pos + 1;
  return Step::unit;
}

Step next_unit(Encoding encoding, std::string_view s, std::size_t pos, Unit& unit) {
  switch (encoding) {
    case Encoding::base64:
      return base64_unit(s, pos, unit);
    case Encoding::percent:
      return percent_unit(s, pos, unit);
    case Encoding::escape:
      return escape_unit(s, pos, unit);
  }
  return Step::invalid;
}

// Bulk base64 for the common case: four alphabet characters in a row, no whitespace.
bool four_sextets(std::string_view s, std::size_t pos, std::uint32_t& bits) {
  if (pos + 4 > s.size()) return false;
  int a = kSextet[static_cast<unsigned char>(s[pos])], b = kSextet[static_cast<unsigned char>(s[pos + 1])],
      c = kSextet[static_cast<unsigned char>(s[pos + 2])],
      d = kSextet[static_cast<unsigned char>(s[pos + 3])];
  if ((a | b | c | d) < 0) return false;
  bits = static_cast<std::uint32_t>((a << 18) | (b << 12) | (c << 6) | d);
  return true;
}

// Bit i: s[at + i] is in the base64 alphabet (standard or URL-safe), for i < min(64, n - at).
std::uint64_t alphabet_bits(std::string_view s, std::size_t at) {
  std::uint64_t bits = 0;
#if defined(__SSE2__)
  if (at + 64 <= s.size()) {
    // Sixteen bytes at a time: an unsigned range test is a signed compare after flipping the top bit.
    auto below = [](__m128i v, char lo, int count) {  // lo <= c < lo + count
      __m128i shifted =
          _mm_xor_si128(_mm_sub_epi8(v, _mm_set1_epi8(lo)), _mm_set1_epi8(static_cast<char>(0x80)));
      return _mm_cmplt_epi8(shifted, _mm_set1_epi8(static_cast<char>(count ^ 0x80)));
    };
    for (int part = 0; part < 4; ++part) {
      __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(s.data() + at + 16 * part));
      __m128i in = _mm_or_si128(below(_mm_or_si128(v, _mm_set1_epi8(0x20)), 'a', 26), below(v, '0', 10));
      in = _mm_or_si128(
          in, _mm_or_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8('+')), _mm_cmpeq_epi8(v, _mm_set1_epi8('/'))));
      in = _mm_or_si128(
          in, _mm_or_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8('-')), _mm_cmpeq_epi8(v, _mm_set1_epi8('_'))));
      bits |= static_cast<std::uint64_t>(static_cast<std::uint16_t>(_mm_movemask_epi8(in))) << (16 * part);
    }
    return bits;
  }
#endif
  std::size_t count = std::min<std::size_t>(64, s.size() - at);
  for (std::size_t i = 0; i < count; ++i) bits |= static_cast<std::uint64_t>(is_base64(s[at + i])) << i;
  return bits;
}

// The first p such that s[p - kMinBase64Run + 1 .. p] are all in the alphabet and none of them
// lies before `from`, or npos. Whole 64-byte blocks are tested at once: text is mostly words,
// shorter than a run, and a block without a long enough run is left after a few instructions.
std::size_t next_long_run(std::string_view s, std::size_t from) {
  static_assert(kMinBase64Run == 20, "the shifts below make runs of 20");
  std::uint64_t previous = 0;
  for (std::size_t at = from; at < s.size(); at += 64) {
    std::uint64_t current = alphabet_bits(s, at);
    // Bit j of `run`: bits j-19..j of previous:current are all set.
    unsigned __int128 run = (static_cast<unsigned __int128>(current) << 64) | previous;
    run &= run << 1;
    run &= run << 2;
    run &= run << 4;
    run &= run << 8;
    run &= run << 4;
    if (auto ends = static_cast<std::uint64_t>(run >> 64))
      return at + static_cast<std::size_t>(__builtin_ctzll(ends));
    previous = current;
  }
  return std::string_view::npos;
}

void find_base64(std::string_view s, std::vector<EncodedSpan>& out) {
  const std::size_t n = s.size();
  std::size_t floor = 0;  // nothing before this is looked at again
  for (;;) {
    std::size_t last = next_long_run(s, floor);
    if (last == std::string_view::npos) break;
    std::size_t start = last + 1 - kMinBase64Run;  // the first long-run end found: its run starts here
    // The run goes on to the first byte outside the alphabet, found 64 bytes at a time (the
    // bench corpus has ~600,000 runs, mostly long identifiers, which a byte loop walked twice).
    std::size_t end = last + 1;
    while (end < n) {
      std::uint64_t outside = ~alphabet_bits(s, end);  // bits past the end of `s` count as outside
      if (outside) {
        end = std::min(n, end + static_cast<std::size_t>(__builtin_ctzll(outside)));
        break;
      }
      end += 64;
    }
    end = std::min(end, n);
    if (end - start >= kMinBase64Run) {
      std::uint8_t cases = 0;
      for (std::size_t i = start; i < end && cases != (kUpper | kLower); ++i)
        cases |= kLetterCase[static_cast<unsigned char>(s[i])];
      std::size_t segment = start;
      while (end - segment >= kMinWrappedLine && end - start <= kMaxBase64Span) {  // wrapped lines
        std::size_t next = end;
        if (next < n && s[next] == '\r') ++next;
        if (next >= n || s[next] != '\n') break;
        ++next;
        while (next < n && (s[next] == ' ' || s[next] == '\t')) ++next;
        if (next >= n || !is_base64(s[next])) break;
        segment = next;
        end = next;
        while (end < n && is_base64(s[end])) cases |= kLetterCase[static_cast<unsigned char>(s[end++])];
      }
      for (int pad = 0; pad < 2 && end < n && s[end] == '='; ++pad) ++end;
      if (cases == (kUpper | kLower) && end - start <= kMaxBase64Span)
        out.push_back({Encoding::base64, start, end});
    }
    floor = end;
  }
}

void find_percent(std::string_view s, std::vector<EncodedSpan>& out) {
  const std::size_t n = s.size();
  std::size_t floor = 0, pos = 0;
  while (pos < n) {
    const void* found = std::memchr(s.data() + pos, '%', n - pos);
    if (!found) break;
    std::size_t at = static_cast<const char*>(found) - s.data();
    if (hex_number(s, at + 1, 2) < 0) {
      pos = at + 1;
      continue;
    }
    std::size_t start = at;
    while (start > floor && kUrlChar[static_cast<unsigned char>(s[start - 1])]) --start;
    std::size_t end = at + 3;
    while (end < n && kUrlChar[static_cast<unsigned char>(s[end])]) ++end;
    if (end - start >= kMinTextSpan && end - start <= kMaxTextSpan)
      out.push_back({Encoding::percent, start, end});
    floor = pos = end;
  }
}

// The closing quote of the literal opened at `open` on the same line, or npos.
std::size_t closing_quote(std::string_view s, std::size_t open, bool& has_backslash) {
  char quote = s[open];
  for (std::size_t i = open + 1; i < s.size(); ++i) {
    char c = s[i];
    if (c == '\\') {
      has_backslash = true;
      if (i + 1 < s.size() && s[i + 1] == '\n') return std::string_view::npos;
      ++i;
    } else if (c == quote) {
      return i;
    } else if (c == '\n') {
      return std::string_view::npos;
    }
  }
  return std::string_view::npos;
}

void find_escapes(std::string_view s, std::vector<EncodedSpan>& out) {
  const std::size_t n = s.size();
  std::size_t pos = 0;
  while (pos < n) {
    const void* found = std::memchr(s.data() + pos, '\\', n - pos);
    if (!found) break;
    std::size_t backslash = static_cast<const char*>(found) - s.data();
    // Literals are parsed from the start of the backslash's line (or from where the last look
    // ended), so each byte is read a bounded number of times.
    std::size_t i = backslash;
    while (i > pos && s[i - 1] != '\n') --i;
    std::size_t line_end = s.find('\n', backslash);
    if (line_end == std::string_view::npos) line_end = n;
    while (i < line_end) {
      char c = s[i];
      if (c == '\\') {
        i += 2;
        continue;
      }
      if (c != '"' && c != '\'') {
        ++i;
        continue;
      }
      bool has_backslash = false;
      std::size_t close = closing_quote(s, i, has_backslash);
      if (close == std::string_view::npos) break;
      if (!has_backslash) {
        i = close + 1;
        continue;
      }
      std::size_t start = i + 1;
      for (;;) {  // literals joined to this one belong to the same span
        std::size_t next = glue_end(s, close);
        if (next == std::string_view::npos) break;
        bool ignored = false;
        std::size_t next_close = closing_quote(s, next - 1, ignored);
        if (next_close == std::string_view::npos || next_close - start > kMaxTextSpan) break;
        close = next_close;
      }
      if (close - start >= kMinTextSpan && close - start <= kMaxTextSpan)
        out.push_back({Encoding::escape, start, close});
      i = close + 1;
      if (i > line_end) {
        line_end = s.find('\n', i);
        if (line_end == std::string_view::npos) line_end = n;
      }
    }
    pos = std::max(i, line_end + 1);
  }
}

}  // namespace

const char* to_string(Encoding encoding) {
  switch (encoding) {
    case Encoding::base64:
      return "base64";
    case Encoding::percent:
      return "percent";
    case Encoding::escape:
      return "escape";
  }
  return "?";
}

std::optional<Encoding> parse_encoding(std::string_view text) {
  for (Encoding e : {Encoding::base64, Encoding::percent, Encoding::escape})
    if (text == to_string(e)) return e;
  return std::nullopt;
}

void find_encoded_spans(std::string_view bytes, std::vector<EncodedSpan>& out) {
  std::size_t first = out.size();
  find_base64(bytes, out);
  std::size_t after_base64 = out.size();
  find_percent(bytes, out);
  std::size_t after_percent = out.size();
  find_escapes(bytes, out);
  auto by_start = [](const EncodedSpan& a, const EncodedSpan& b) { return a.start < b.start; };
  std::inplace_merge(out.begin() + first, out.begin() + after_base64, out.begin() + after_percent, by_start);
  std::inplace_merge(out.begin() + first, out.begin() + after_percent, out.end(), by_start);
}

bool decode_span(Encoding encoding, std::string_view encoded, std::string& out,
                 std::vector<Checkpoint>& checkpoints) {
  const std::size_t out_before = out.size();
  const std::size_t checkpoints_before = checkpoints.size();
  out.reserve(out_before + encoded.size());
  std::size_t next_checkpoint = 0;
  std::size_t pos = 0;
  Unit unit;
  for (;;) {
    std::size_t produced = out.size() - out_before;
    if (produced >= next_checkpoint) {
      std::size_t at = pos;
      if (encoding == Encoding::base64)
        while (at < encoded.size() && is_space(encoded[at])) ++at;
      checkpoints.push_back({static_cast<std::uint32_t>(produced), static_cast<std::uint32_t>(at)});
      next_checkpoint = produced + kCheckpointEvery;
    }
    std::uint32_t bits = 0;
    if (encoding == Encoding::base64 && four_sextets(encoded, pos, bits)) {
      char group[3] = {static_cast<char>(bits >> 16), static_cast<char>(bits >> 8), static_cast<char>(bits)};
      out.append(group, 3);
      pos += 4;
      continue;
    }
    Step step = next_unit(encoding, encoded, pos, unit);
    if (step == Step::done) break;
    if (step == Step::invalid) {
      out.resize(out_before);
      checkpoints.resize(checkpoints_before);
      return false;
    }
    out.append(unit.bytes, unit.size);
    pos = unit.end;
  }
  return true;
}

std::optional<std::string> decode(Encoding encoding, std::string_view encoded) {
  std::string out;
  std::vector<Checkpoint> checkpoints;
  if (!decode_span(encoding, encoded, out, checkpoints)) return std::nullopt;
  return out;
}

ByteRange encoded_range(Encoding encoding, std::string_view encoded, std::span<const Checkpoint> checkpoints,
                        std::size_t decoded_start, std::size_t decoded_end) {
  auto after = std::upper_bound(checkpoints.begin(), checkpoints.end(), decoded_start,
                                [](std::size_t offset, const Checkpoint& c) { return offset < c.decoded; });
  std::size_t produced = 0, pos = 0;
  if (after != checkpoints.begin()) {
    produced = std::prev(after)->decoded;
    pos = std::prev(after)->encoded;
  }
  ByteRange range{std::string_view::npos, encoded.size()};
  Unit unit;
  while (next_unit(encoding, encoded, pos, unit) == Step::unit) {
    if (unit.size > 0) {
      std::size_t unit_end = produced + unit.size;
      if (range.start == std::string_view::npos && decoded_start < unit_end) range.start = unit.begin;
      if (decoded_end <= unit_end) {
        range.end = unit.end;
        break;
      }
      produced = unit_end;
    }
    pos = unit.end;
  }
  if (range.start == std::string_view::npos) range.start = range.end;
  return range;
}

bool looks_like_text(std::string_view bytes) {
  std::size_t other = 0;
  for (char c : bytes) {
    auto u = static_cast<unsigned char>(c);
    other += !((u >= 0x20 && u < 0x7f) || u == '\n' || u == '\r' || u == '\t');
  }
  return other * 20 <= bytes.size();  // at least 95% text
}

bool base64_cannot_be_text(std::string_view encoded) {
  // Groups are whole from the span's start up to its first whitespace or padding. Each byte they
  // decode to that looks_like_text would not take counts; it allows one in 20 of at most 3 per 4
  // encoded characters, so the count can condemn a span after a group or two.
  const std::size_t allowed = (encoded.size() + 3) / 4 * 3 / 20;
  std::size_t not_text = 0;
  std::uint32_t bits = 0;
  for (std::size_t at = 0; four_sextets(encoded, at, bits); at += 4) {
    for (int shift = 16; shift >= 0; shift -= 8) {
      auto byte = static_cast<unsigned char>(bits >> shift);
      not_text += !((byte >= 0x20 && byte < 0x7f) || byte == '\n' || byte == '\r' || byte == '\t');
    }
    if (not_text > allowed) return true;
  }
  return false;
}

}  // namespace keyhound
