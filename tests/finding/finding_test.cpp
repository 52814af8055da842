#include "finding/finding.hpp"

#include <gtest/gtest.h>

namespace keyhound {
namespace {

TEST(Fingerprint, IsFirst16HexOfHmacSha256OfRuleNulSecret) {
  // printf 'keyhound fingerprint\0aws.access-key-id\0AKIAZ4XQ7RT2JQ5WMB3K' |
  //   openssl dgst -sha256 -hmac 'k3y'
  EXPECT_EQ(fingerprint_of("k3y", "aws.access-key-id", "AKIAZ4XQ7RT2JQ5WMB3K"), "aacaa09fb0441109");
  // Another key, another fingerprint: without the key a guess cannot be checked.
  EXPECT_NE(fingerprint_of("k3z", "aws.access-key-id", "AKIAZ4XQ7RT2JQ5WMB3K"), "aacaa09fb0441109");
  // printf 'keyhound secret\0AKIAZ4XQ7RT2JQ5WMB3K' | openssl dgst -sha256 -hmac 'k3y'
  EXPECT_EQ(secret_hmac_of("k3y", "AKIAZ4XQ7RT2JQ5WMB3K"),
            "b9d081db593db7bd03fb5946ac7ea826a713cca2f13b104418ee17944ed3b578");
  // Version-1 baselines (unkeyed): printf 'aws.access-key-id\0AKIAZ4XQ7RT2JQ5WMB3K' | sha256sum
  EXPECT_EQ(legacy_fingerprint_of("aws.access-key-id", "AKIAZ4XQ7RT2JQ5WMB3K"), "104286d6079ce697");
}

TEST(MaskSecret, NeverCutsAUtf8Sequence) {
  // 16 code points, 2 bytes each: 32 bytes, so 4 code points from each end.
  std::string secret;
  for (int i = 0; i < 16; ++i) secret += "\xc3\xa9";  // é
  EXPECT_EQ(mask_secret(secret), "\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9…\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9");
  EXPECT_EQ(mask_secret("\xe2\x82\xac"
                        "abcdefgh"
                        "\xe2\x82\xac"),
            "\xe2\x82\xac…\xe2\x82\xac");
}

TEST(MaskSecret, ShowsAtMostAQuarter) {
  EXPECT_EQ(mask_secret("AKIAZ4XQ7RT2JQ5WMB3K"), "AK…3K");
  EXPECT_EQ(mask_secret("q8Rz3vLk2Wn9Xt4Bp7Hm1Jc6Yf0Gd5Ks2Ve8Na3T"), "q8Rz…Na3T");
  EXPECT_EQ(mask_secret("hunter2"), "…");
  EXPECT_EQ(mask_secret("-----BEGIN RSA PRIVATE KEY-----\nMIIE\n-----END RSA PRIVATE KEY-----"),
            "-----BEGIN RSA PRIVATE KEY-----…");
}

TEST(LineColumn, CountsLinesAndCodePoints) {
  std::string_view text = "ab\ncé key\r\nz";
  EXPECT_EQ(line_column_at(text, 0).line, 1u);
  EXPECT_EQ(line_column_at(text, 0).column, 1u);
  LineColumn key = line_column_at(text, text.find("key"));
  EXPECT_EQ(key.line, 2u);
  EXPECT_EQ(key.column, 4u);  // c, é (two bytes, one code point), space
  LineColumn z = line_column_at(text, text.find('z'));
  EXPECT_EQ(z.line, 3u);
  EXPECT_EQ(z.column, 1u);
}

TEST(LineColumn, CounterAndAdvanceAgreeWithTheDirectCount) {
  std::string_view text = "one\ntwo é\r\n-----BEGIN\nbody\n-----END\ntail";
  LineCounter counter(text);
  for (std::size_t offset = 0; offset <= text.size(); ++offset) {
    LineColumn direct = line_column_at(text, offset);
    LineColumn counted = counter.at(offset);
    EXPECT_EQ(counted.line, direct.line) << offset;
    EXPECT_EQ(counted.column, direct.column) << offset;
  }
  std::size_t begin = text.find("-----BEGIN"), end = text.find("tail");
  LineColumn after = advance(line_column_at(text, begin), text.substr(begin, end - begin));
  EXPECT_EQ(after.line, line_column_at(text, end).line);
  EXPECT_EQ(after.column, line_column_at(text, end).column);
  LineColumn same_line = advance({2, 3}, "é!");
  EXPECT_EQ(same_line.line, 2u);
  EXPECT_EQ(same_line.column, 5u);
}

}  // namespace
}  // namespace keyhound
