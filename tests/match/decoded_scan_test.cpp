#include "match/decoded_scan.hpp"

#include <gtest/gtest.h>

#include "match/test_rule.hpp"
#include "support/support.hpp"

namespace keyhound {
namespace {

using testing::base64;
using testing::make_rule;

// Synthetic key shapes for a test rule (TK + 18 base32 characters).
constexpr std::string_view kKey = "TKQ4ZJ7XN2MB5RWKT3PC";
constexpr std::string_view kOther = "TKW7YH3Q5NZR2XPL6VJD";

class DecodedScan : public ::testing::Test {
 protected:
  void SetUp() override {
    auto built = Matcher::build(
        {make_rule("t.key", R"(\b(TK[A-Z2-7]{18})\b)"),
         make_rule("t.pem",
                   R"((-----BEGIN TEST KEY-----(?:\n|\\n)[A-Za-z0-9+/=\n\\]{8,}-----END TEST KEY-----))")},
        MatcherOptions{});
    ASSERT_TRUE(built.ok()) << built.error().message;
    matcher = std::move(*built);
    scratch = matcher->new_scratch();
  }

  // "rule decoded [start,end) secret" for each decoded match, and the plain matches left.
  std::vector<std::string> scan(std::string_view text, std::vector<Match>* plain_left = nullptr) {
    std::vector<Match> plain;
    matcher->scan(text, *scratch, plain);
    std::vector<DecodedMatch> found;
    scan_decoded(*matcher, text, plain, *scratch, decode, found);
    if (plain_left) *plain_left = plain;
    std::vector<std::string> out;
    for (const auto& m : found)
      out.push_back(matcher->rules()[m.rule].id + " " + m.decoded + " [" + std::to_string(m.start) + "," +
                    std::to_string(m.end) + ") " + m.secret);
    return out;
  }

  std::unique_ptr<Matcher> matcher;
  MatchScratchPtr scratch;
  DecodeScratch decode;
};

TEST_F(DecodedScan, Base64ValueMapsToItsEncodedGroups) {
  std::string value = base64("user:" + std::string(kKey));  // 25 bytes: the key starts at byte 5
  std::string text = "data:\n  token: " + value + "\n";
  std::size_t at = text.find(value);
  // Byte 5 is in the second group (characters 4-7); the last byte is alone in the ninth group
  // ("xx==", characters 32-35), which ends before its padding.
  ASSERT_EQ(value.substr(34), "==");
  EXPECT_EQ(scan(text), std::vector<std::string>{"t.key base64 [" + std::to_string(at + 4) + "," +
                                                 std::to_string(at + 34) + ") " + std::string(kKey)});
}

TEST_F(DecodedScan, PercentAndEscapeSpans) {
  std::string url = "https://h.example/cb?next=%2Fhome&k=" + std::string(kKey.substr(0, 4)) + "%5A" +
                    std::string(kKey.substr(5));  // "Z" written as %5A
  std::string text = "url: " + url + "\n";
  std::size_t at = text.find("TKQ4");
  EXPECT_EQ(scan(text),
            std::vector<std::string>{"t.key percent [" + std::to_string(at) + "," +
                                     std::to_string(at + kKey.size() + 2) + ") " + std::string(kKey)});

  std::string literal = "x = \"key:\\u0054" + std::string(kKey.substr(1)) + "\"\n";  // T as \u0054
  std::size_t start = literal.find("\\u0054");
  EXPECT_EQ(scan(literal),
            std::vector<std::string>{"t.key escape [" + std::to_string(start) + "," +
                                     std::to_string(start + 5 + kKey.size()) + ") " + std::string(kKey)});
}

TEST_F(DecodedScan, TwoLayersAtMost) {
  // A docker config: base64 of JSON whose "auth" is base64 of user:key.
  std::string inner = base64("robot:" + std::string(kOther));
  std::string config = base64("{\"auths\":{\"registry.example\":{\"auth\":\"" + inner + "\"}}}");
  std::string text = ".dockerconfigjson: " + config + "\n";
  auto found = scan(text);
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0].substr(0, 20), "t.key base64+base64 ");
  EXPECT_NE(found[0].find(std::string(kOther)), std::string::npos);
  // Three layers: the innermost is not decoded.
  std::string third = base64("{\"wrapped\":\"" + config + "\"}");
  EXPECT_TRUE(scan("x: " + third + "\n").empty());
}

TEST_F(DecodedScan, PlainSecretInsideASpanIsNotDecodedAgain) {
  std::string text = "https://h.example/a%20b?token=" + std::string(kKey) + "&x=%41%42\n";
  std::vector<Match> plain;
  EXPECT_TRUE(scan(text, &plain).empty());
  EXPECT_EQ(plain.size(), 1u);
}

TEST_F(DecodedScan, EscapedPemIsReportedOnceAsTheDecodedKey) {
  std::string text =
      R"({"key": "-----BEGIN TEST KEY-----\nQUJDREVGR0hJSktM\nTU5PUFFSU1RVVldY\n-----END TEST KEY-----\n"})";
  std::vector<Match> plain;
  auto found = scan(text, &plain);
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0].substr(0, 13), "t.pem escape ");
  EXPECT_NE(found[0].find("-----BEGIN TEST KEY-----\nQUJDREVGR0hJSktM\n"), std::string::npos);
  EXPECT_TRUE(plain.empty());  // the plain match of the escaped text gave way
}

TEST_F(DecodedScan, BinaryBase64IsNotScanned) {
  std::string binary;
  for (int i = 0; i < 300; ++i) binary += static_cast<char>((i * 37) & 0xFF);
  std::string text = "blob: " + base64(binary + std::string(kKey)) + "\n";
  EXPECT_TRUE(scan(text).empty());
}

}  // namespace
}  // namespace keyhound
