// Vendors' token structure: GitHub/npm CRC32 checksums, PyPI macaroons, JWT headers.
#include "match/checksums.hpp"

#include <gtest/gtest.h>
#include <zlib.h>

#include <random>
#include <string>

#include "support/support.hpp"

namespace keyhound {
namespace {

constexpr std::string_view kAlphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

// GitHub's published scheme, written out here independently of the code under test: CRC32 of
// the 30 random characters, in base62, six characters left-padded with '0'.
std::string published_checksum(const std::string& random) {
  unsigned long crc =
      crc32(0L, reinterpret_cast<const Bytef*>(random.data()), static_cast<uInt>(random.size()));
  std::string digits;
  for (; crc; crc /= 62) digits.insert(digits.begin(), kAlphabet[crc % 62]);
  return std::string(6 - digits.size(), '0') + digits;
}

std::string random_base62(std::mt19937& rng, std::size_t length) {
  std::uniform_int_distribution<std::size_t> pick(0, 61);
  std::string out;
  for (std::size_t i = 0; i < length; ++i) out.push_back(kAlphabet[pick(rng)]);
  return out;
}

char other_base62(char c) {
  return c == 'a' ? 'b' : 'a';
}

TEST(Checksums, Base62Crc32OfTheStandardCheckString) {
  // CRC32("123456789") is the standard check value 0xCBF43926, 3jZRME in base62.
  EXPECT_EQ(base62_crc32("123456789"), "3jZRME");
  EXPECT_EQ(base62_crc32(""), "000000");  // CRC32 of nothing is 0: all padding
}

TEST(Checksums, GitHubAndNpmTokensGeneratedWithThePublishedAlgorithm) {
  std::mt19937 rng(20260412);
  const std::pair<const char*, const char*> kinds[] = {
      {"ghp_", "github.pat-classic"},          {"gho_", "github.oauth-token"},
      {"ghu_", "github.user-to-server-token"}, {"ghs_", "github.installation-token"},
      {"ghr_", "github.refresh-token"},        {"npm_", "npm.access-token"}};
  for (const auto& [prefix, rule] : kinds) {
    for (int round = 0; round < 50; ++round) {
      std::string random = random_base62(rng, 30);
      std::string token = prefix + random + published_checksum(random);
      ASSERT_EQ(token.size(), 40u);
      EXPECT_EQ(check_structure(rule, token), StructureVerdict::checksum_valid) << token;
      // One character changed anywhere after the prefix flips it.
      std::size_t at = 4 + static_cast<std::size_t>(rng() % 36);
      std::string changed = token;
      changed[at] = other_base62(changed[at]);
      EXPECT_EQ(check_structure(rule, changed), StructureVerdict::checksum_invalid) << changed;
    }
  }
}

TEST(Checksums, OnlyThePublishedLengthGetsAVerdict) {
  EXPECT_EQ(check_structure("github.refresh-token", "ghr_" + std::string(76, 'a')),
            StructureVerdict::unknown);
  EXPECT_EQ(check_structure("aws.access-key-id", "AKIAZ4XQ7RT2JQ5WMB3K"), StructureVerdict::unknown);
}

std::string base64url(std::string_view bytes) {
  return testing::base64(bytes, true, false);
}

TEST(Checksums, JwtHeaderMustBeJsonNamingTheAlgorithm) {
  std::string payload = base64url(R"({"iss":"https://auth.internal","jti":"a5f903"})");
  std::string signature = "4QFixyrCtHXeunQxsAtHLa0NDA-vnFjZA_lgK01iRic";
  EXPECT_EQ(check_structure("jwt.token",
                            base64url(R"({"alg":"HS256","typ":"JWT"})") + "." + payload + "." + signature),
            StructureVerdict::structure_valid);
  EXPECT_EQ(check_structure("jwt.token", base64url(R"({"typ":"JWT"})") + "." + payload + "." + signature),
            StructureVerdict::structure_invalid);
  EXPECT_EQ(check_structure("jwt.token", base64url(R"({"alg":"HS256",)") + "." + payload + "." + signature),
            StructureVerdict::structure_invalid);
  EXPECT_EQ(check_structure("jwt.token",
                            base64url(R"({"alg":"HS256"})") + "." + base64url("[1]") + "." + signature),
            StructureVerdict::structure_invalid);
}

std::string field(int type, const std::string& data) {
  return std::string(1, static_cast<char>(type)) + std::string(1, static_cast<char>(data.size())) + data;
}

std::string macaroon(const std::string& location, std::size_t signature_size = 32) {
  std::string raw = "\x02" + field(1, location) + field(2, std::string(32, '\x5a')) + std::string(1, '\0') +
                    field(2, R"({"version": 1, "permissions": "user"})") + std::string(1, '\0') +
                    std::string(1, '\0') + field(6, std::string(signature_size, '\x17'));
  return "pypi-" + base64url(raw);
}

TEST(Checksums, PypiTokensAreMacaroonsForTheirIndex) {
  std::string token = macaroon("pypi.org");
  EXPECT_EQ(token.substr(0, 20), "pypi-AgEIcHlwaS5vcmc");
  EXPECT_EQ(check_structure("pypi.api-token", token), StructureVerdict::structure_valid);
  EXPECT_EQ(check_structure("pypi.test-api-token", macaroon("test.pypi.org")),
            StructureVerdict::structure_valid);
  EXPECT_EQ(check_structure("pypi.test-api-token", token),
            StructureVerdict::structure_invalid);  // wrong index
  EXPECT_EQ(check_structure("pypi.api-token", token.substr(0, token.size() - 4)),
            StructureVerdict::structure_invalid);
  EXPECT_EQ(check_structure("pypi.api-token", macaroon("pypi.org", 31)), StructureVerdict::structure_invalid);
  EXPECT_EQ(
      check_structure("pypi.api-token", "pypi-AgEIcHlwaS5vcmcVvS8InLjDWLRWXURFAQASMEgdLuYG0QzYLDMzb1KcU8y5"),
      StructureVerdict::structure_invalid);  // the right prefix, then random characters
}

}  // namespace
}  // namespace keyhound
