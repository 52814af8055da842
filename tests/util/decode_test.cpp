#include "util/decode.hpp"

#include <gtest/gtest.h>

#include <random>

#include "support/support.hpp"

namespace keyhound {
namespace {

using testing::base64;

std::vector<EncodedSpan> spans_of(std::string_view text) {
  std::vector<EncodedSpan> out;
  find_encoded_spans(text, out);
  return out;
}

std::string span_text(std::string_view text, const EncodedSpan& span) {
  return std::string(text.substr(span.start, span.end - span.start));
}

TEST(Base64, Rfc4648Vectors) {
  const std::pair<const char*, const char*> vectors[] = {{"", ""},
                                                         {"f", "Zg=="},
                                                         {"fo", "Zm8="},
                                                         {"foo", "Zm9v"},
                                                         {"foob", "Zm9vYg=="},
                                                         {"fooba", "Zm9vYmE="},
                                                         {"foobar", "Zm9vYmFy"}};
  for (auto [plain, encoded] : vectors) EXPECT_EQ(decode(Encoding::base64, encoded), plain) << encoded;
}

TEST(Base64, UrlSafeAlphabetUnpaddedAndWrapped) {
  EXPECT_EQ(decode(Encoding::base64, "-_8"), std::string("\xfb\xff"));
  EXPECT_EQ(decode(Encoding::base64, "+/8="), std::string("\xfb\xff"));
  EXPECT_EQ(decode(Encoding::base64, "Zm9vYmE"), "fooba");
  EXPECT_EQ(decode(Encoding::base64, "Zm9v\r\n    YmFy\n"), "foobar");
  EXPECT_EQ(decode(Encoding::base64, "Zm9vY"), "foo");  // a lone last character carries no byte
}

TEST(Base64, InvalidInputIsRejected) {
  EXPECT_EQ(decode(Encoding::base64, "Zm9v!mFy"), std::nullopt);
  EXPECT_EQ(decode(Encoding::base64, "Zg==Zg=="), std::nullopt);  // data after padding
  std::string out = "kept";
  std::vector<Checkpoint> checkpoints;
  EXPECT_FALSE(decode_span(Encoding::base64, "Zm9v\"", out, checkpoints));
  EXPECT_EQ(out, "kept");  // left as it was
  EXPECT_TRUE(checkpoints.empty());
}

// The shortcut may only drop what decoding and looks_like_text would drop: checked against
// them on identifiers, text (plain and wrapped) and text with a few bytes that are not.
TEST(Base64, CannotBeTextAgreesWithDecodingOnWhatItDrops) {
  EXPECT_TRUE(base64_cannot_be_text("getElementsByTagNameNS"));
  EXPECT_TRUE(base64_cannot_be_text("PyUnicode_AsUTF8AndSize"));
  std::string text = base64("db_password = 'kV9xQ2mLr7Tz'\napi_key: 4f1c9e7a2b");
  EXPECT_FALSE(base64_cannot_be_text(text));
  EXPECT_FALSE(base64_cannot_be_text(text.substr(0, 12) + "\n  " + text.substr(12)));
  std::mt19937 random(11);
  for (int round = 0; round < 2000; ++round) {
    std::string bytes(8 + random() % 120, 'a');
    for (char& c : bytes) c = static_cast<char>(0x20 + random() % 95);
    for (unsigned n = random() % 12; n > 0; --n)
      bytes[random() % bytes.size()] = static_cast<char>(random() % 256);
    std::string encoded = base64(bytes, round % 2 == 1, round % 3 != 0);
    if (base64_cannot_be_text(encoded)) {
      auto decoded = decode(Encoding::base64, encoded);
      ASSERT_TRUE(decoded.has_value()) << encoded;
      EXPECT_FALSE(looks_like_text(*decoded)) << encoded;
    }
  }
}

TEST(Percent, DecodesHexPairsAndLeavesTheRest) {
  EXPECT_EQ(decode(Encoding::percent, "a%20b%2Fc%2fd"), "a b/c/d");
  EXPECT_EQ(decode(Encoding::percent, "100%zz%4"), "100%zz%4");  // not escapes: kept as written
  EXPECT_EQ(decode(Encoding::percent, "x+y%2By"), "x+y+y");      // '+' stays: base64 values keep theirs
}

TEST(Escape, CommonEscapes) {
  EXPECT_EQ(decode(Encoding::escape, R"(a\nb\tc\"d\\e\/f\'g)"), "a\nb\tc\"d\\e/f'g");
  EXPECT_EQ(decode(Encoding::escape, R"(\u0041\x42\103)"), "ABC");
  EXPECT_EQ(decode(Encoding::escape, R"(\u00e9)"), "\xc3\xa9");
  EXPECT_EQ(decode(Encoding::escape, R"(\u{1F600}\U0001F600)"), "\xf0\x9f\x98\x80\xf0\x9f\x98\x80");
}

TEST(Escape, SurrogatePairsJoinAndLoneSurrogatesBecomeReplacements) {
  EXPECT_EQ(decode(Encoding::escape, R"(\ud83d\ude00)"), "\xf0\x9f\x98\x80");
  EXPECT_EQ(decode(Encoding::escape, R"(\uD83Dx)"), "\xef\xbf\xbdx");
  EXPECT_EQ(decode(Encoding::escape, R"(\udE00)"), "\xef\xbf\xbd");
}

TEST(Escape, TruncatedAndUnknownEscapesStayAsWritten) {
  EXPECT_EQ(decode(Encoding::escape, R"(abc\)"), "abc\\");
  EXPECT_EQ(decode(Encoding::escape, R"(\u12)"), "\\u12");
  EXPECT_EQ(decode(Encoding::escape, R"(\xZ1\q)"), "\\xZ1\\q");
  EXPECT_EQ(decode(Encoding::escape, R"(\u{110000})"), "\xef\xbf\xbd");  // beyond Unicode
}

TEST(FindSpans, Base64NeedsLengthAndMixedCase) {
  std::string token = base64("user:pass-for-the-build-bot");
  std::string text = "Authorization: Basic " + token +
                     "\nshort: Zm9vYmFy\nname: some_long_function_name_here\n" +
                     "MACRO_WITH_A_VERY_LONG_NAME_1234 /usr/lib/x86_64-linux-gnu/libfoo.so\n";
  auto spans = spans_of(text);
  ASSERT_EQ(spans.size(), 1u);
  EXPECT_EQ(spans[0].encoding, Encoding::base64);
  EXPECT_EQ(span_text(text, spans[0]), token);
}

TEST(FindSpans, WrappedBase64IsOneSpan) {
  std::string payload(300, 'x');
  for (std::size_t i = 0; i < payload.size(); ++i) payload[i] = static_cast<char>('a' + (i * 7) % 26);
  std::string encoded = base64(payload);
  std::string wrapped;
  for (std::size_t i = 0; i < encoded.size(); i += 64) wrapped += "    " + encoded.substr(i, 64) + "\n";
  std::string text = "data: |\n" + wrapped + "next: value\n";
  auto spans = spans_of(text);
  ASSERT_EQ(spans.size(), 1u);
  EXPECT_EQ(spans[0].start, text.find(encoded.substr(0, 64)));
  EXPECT_EQ(spans[0].end, text.find("\nnext"));
  EXPECT_EQ(decode(Encoding::base64, span_text(text, spans[0])), payload);
}

// The block-at-a-time run finder against the definition, on random one-line text: every
// maximal run of 20+ alphabet characters (after the previous span's padding), with both letter
// cases, is a span, padding included. Runs are placed across 64-byte block edges by chance.
TEST(FindSpans, Base64RunsMatchTheDefinitionOnRandomText) {
  const std::string alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/-_";
  const std::string others = " .=\"%:;,(){}\t\x80\xff";
  std::mt19937 random(20261205);
  for (int round = 0; round < 400; ++round) {
    std::string text;
    std::size_t size = random() % 600;
    while (text.size() < size) {
      std::size_t run = random() % 3 == 0 ? 15 + random() % 60 : random() % 12;
      bool lower_only = random() % 4 == 0;
      for (std::size_t i = 0; i < run; ++i) {
        char c = alphabet[random() % alphabet.size()];
        text += lower_only && c >= 'A' && c <= 'Z' ? static_cast<char>(c + 32) : c;
      }
      text += others[random() % others.size()];
    }
    auto is_alphabet = [&](char c) { return alphabet.find(c) != std::string::npos; };
    std::vector<std::pair<std::size_t, std::size_t>> expected;
    for (std::size_t i = 0; i < text.size();) {
      if (!is_alphabet(text[i])) {
        ++i;
        continue;
      }
      std::size_t end = i;
      while (end < text.size() && is_alphabet(text[end])) ++end;
      if (end - i < kMinBase64Run) {
        i = end;
        continue;
      }
      bool upper = false, lower = false;
      for (std::size_t k = i; k < end; ++k) {
        upper |= text[k] >= 'A' && text[k] <= 'Z';
        lower |= text[k] >= 'a' && text[k] <= 'z';
      }
      std::size_t start = i;
      for (int pad = 0; pad < 2 && end < text.size() && text[end] == '='; ++pad) ++end;
      if (upper && lower) expected.emplace_back(start, end);
      i = end;
    }
    std::vector<std::pair<std::size_t, std::size_t>> found;
    for (const EncodedSpan& span : spans_of(text))
      if (span.encoding == Encoding::base64) found.emplace_back(span.start, span.end);
    ASSERT_EQ(found, expected) << "round " << round << ": " << text;
  }
}

TEST(FindSpans, PercentTokens) {
  std::string text = "see https://example.com/cb?token=abc%2Bdef%3D&x=1 and 100% sure, printf(\"%d\")\n";
  auto spans = spans_of(text);
  ASSERT_EQ(spans.size(), 1u);
  EXPECT_EQ(spans[0].encoding, Encoding::percent);
  EXPECT_EQ(span_text(text, spans[0]), "https://example.com/cb?token=abc%2Bdef%3D&x=1");
}

TEST(FindSpans, StringLiteralsWithEscapes) {
  std::string text = R"({"plain": "no escapes in this long string", "key": "line one\nline two\u0021"})";
  auto spans = spans_of(text);
  ASSERT_EQ(spans.size(), 1u);
  EXPECT_EQ(spans[0].encoding, Encoding::escape);
  EXPECT_EQ(span_text(text, spans[0]), R"(line one\nline two\u0021)");
  EXPECT_EQ(decode(Encoding::escape, span_text(text, spans[0])), "line one\nline two!");
}

// The PEM shape, without a real key: each language's usual way of spelling it across lines.
constexpr std::string_view kPem =
    "-----BEGIN RSA PRIVATE KEY-----\nMIIBOgIBAAJBAKj34GkxFhD90vcNLYLInFEX6Ppy1tPf9Cnzj4p4WGeKLs1Pt8Qu\n"
    "KUpRKfFLfRYC9AIKjbJTWit+CqvjWYzvQwECAwEAAQJAIJLixBy2qpFoS4DSmoEm\n-----END RSA PRIVATE KEY-----\n";

std::string pem_lines_as(std::string_view open, std::string_view close, std::string_view join) {
  std::string out;
  std::size_t from = 0;
  while (from < kPem.size()) {
    std::size_t nl = kPem.find('\n', from);
    if (!out.empty()) out += join;
    out += std::string(open) + std::string(kPem.substr(from, nl - from)) + "\\n" + std::string(close);
    from = nl + 1;
  }
  return out;
}

TEST(FindSpans, PemKeyFromConcatenatedLiterals) {
  const std::string python = "KEY = (\n    " + pem_lines_as("\"", "\"", "\n    ") + "\n)\n";
  const std::string java = "String key = " + pem_lines_as("\"", "\"", " +\n        ") + ";\n";
  const std::string js = "const key = " + pem_lines_as("'", "'", " +\n  ") + ";\n";
  const std::string c_continued = "char *key = " + pem_lines_as("\"", "\"", " \\\n  ") + ";\n";
  for (const std::string& source : {python, java, js, c_continued}) {
    auto spans = spans_of(source);  // the key's base64 lines are candidates too (they decode to binary)
    std::erase_if(spans, [](const EncodedSpan& span) { return span.encoding != Encoding::escape; });
    ASSERT_EQ(spans.size(), 1u) << source;
    EXPECT_EQ(spans[0].encoding, Encoding::escape);
    EXPECT_EQ(decode(Encoding::escape, span_text(source, spans[0])), kPem) << source;
  }
}

TEST(EncodedRange, MapsDecodedBytesBackToWholeUnits) {
  std::string out;
  std::vector<Checkpoint> checkpoints;
  ASSERT_TRUE(decode_span(Encoding::base64, "Zm9vYmFy", out, checkpoints));
  EXPECT_EQ(encoded_range(Encoding::base64, "Zm9vYmFy", checkpoints, 3, 6), (ByteRange{4, 8}));
  EXPECT_EQ(encoded_range(Encoding::base64, "Zm9vYmFy", checkpoints, 1, 4), (ByteRange{0, 8}));

  std::string escaped = R"(ab\u0041\ncd%41)";
  out.clear();
  checkpoints.clear();
  ASSERT_TRUE(decode_span(Encoding::escape, escaped, out, checkpoints));
  ASSERT_EQ(out, "abA\ncd%41");
  EXPECT_EQ(encoded_range(Encoding::escape, escaped, checkpoints, 2, 4), (ByteRange{2, 10}));
  out.clear();
  checkpoints.clear();
  ASSERT_TRUE(decode_span(Encoding::percent, "x%41%42y", out, checkpoints));
  EXPECT_EQ(encoded_range(Encoding::percent, "x%41%42y", checkpoints, 1, 3), (ByteRange{1, 7}));
}

// Far into a long wrapped span (past many checkpoints), a decoded range maps to encoded bytes that
// decode to it again.
TEST(EncodedRange, LongWrappedSpanRoundTrips) {
  std::mt19937 random(7);
  std::string payload(200'000, ' ');
  for (char& c : payload) c = static_cast<char>(' ' + random() % 95);
  std::string encoded = base64(payload), wrapped;
  for (std::size_t i = 0; i < encoded.size(); i += 76) wrapped += encoded.substr(i, 76) + "\r\n";
  std::string out;
  std::vector<Checkpoint> checkpoints;
  ASSERT_TRUE(decode_span(Encoding::base64, wrapped, out, checkpoints));
  ASSERT_EQ(out, payload);
  EXPECT_GT(checkpoints.size(), 40u);
  for (int trial = 0; trial < 200; ++trial) {
    std::size_t start = random() % (payload.size() - 100), end = start + 1 + random() % 99;
    ByteRange range = encoded_range(Encoding::base64, wrapped, checkpoints, start, end);
    auto again =
        decode(Encoding::base64, std::string_view(wrapped).substr(range.start, range.end - range.start));
    ASSERT_TRUE(again);
    std::size_t lead = start % 3;
    ASSERT_GE(again->size(), lead + (end - start));
    EXPECT_EQ(again->substr(lead, end - start), payload.substr(start, end - start));
    EXPECT_LT(again->size(), (end - start) + 5);  // whole groups only: at most two bytes each side
  }
}

TEST(LooksLikeText, TextPassesBinaryDoesNot) {
  EXPECT_TRUE(looks_like_text("user:ghp_token\n"));
  EXPECT_FALSE(looks_like_text(std::string("\x01\x9f\xff\x00\x10 ab", 8)));
}

}  // namespace
}  // namespace keyhound
