#include "vault/secret_reader.hpp"

#include <gtest/gtest.h>

#include "finding/finding.hpp"
#include "support/support.hpp"

namespace keyhound {
namespace {

using testing::TempDir;

// A synthetic GitHub classic token shape; its base64, and that inside a base64 JSON document.
const std::string kToken = "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";
// base64("x-access-token:" + kToken); the token's bytes start in its sixth group (character 20).
const std::string kKey = std::string(64, 'a');  // the baseline's fingerprint key
const std::string kBasic = "eC1hY2Nlc3MtdG9rZW46Z2hwX3I3Ylg4ZFBNbnJ4VUhOVnpVa0xZd0Rob3YyUzNobzFXM3BPZg==";

BaselineEntry entry_at(std::size_t start, std::size_t end, const std::string& decoded,
                       const std::string& secret = kToken) {
  BaselineEntry entry;
  entry.fingerprint = "0123456789abcdef";
  entry.rule_id = "github.pat-classic";
  entry.secret_hmac = secret_hmac_of(kKey, secret);
  BaselineLocation location;
  location.path = "deploy.sh";
  location.line = 1;
  location.start_offset = start;
  location.end_offset = end;
  location.decoded = decoded;
  entry.locations.push_back(location);
  return entry;
}

TEST(SecretReader, ReadsADecodedSecretFromItsEncodedRange) {
  TempDir dir;
  std::string prefix = "Authorization: Basic ";
  dir.write("deploy.sh", prefix + kBasic + "\n");
  SecretReader reader(dir.str(), kKey);
  auto secret = reader.read(entry_at(prefix.size() + 20, prefix.size() + 74, "base64"));
  ASSERT_TRUE(secret.ok()) << secret.error().message;
  EXPECT_EQ(secret->str(), kToken);
}

TEST(SecretReader, EscapedAndPercentEncodedRanges) {
  TempDir dir;
  std::string escaped = "\\u0067hp_" + kToken.substr(4);  // g as \u0067
  std::string percent = "ghp%5F" + kToken.substr(4);
  dir.write("deploy.sh", escaped + "\n" + percent + "\n");
  SecretReader reader(dir.str(), kKey);
  auto from_escape = reader.read(entry_at(0, escaped.size(), "escape"));
  ASSERT_TRUE(from_escape.ok()) << from_escape.error().message;
  EXPECT_EQ(from_escape->str(), kToken);
  auto from_percent =
      reader.read(entry_at(escaped.size() + 1, escaped.size() + 1 + percent.size(), "percent"));
  ASSERT_TRUE(from_percent.ok()) << from_percent.error().message;
  EXPECT_EQ(from_percent->str(), kToken);
}

TEST(SecretReader, ADecodedRangeThatNoLongerHoldsTheSecretIsRefusedByFingerprint) {
  TempDir dir;
  std::string prefix = "Authorization: Basic ";
  dir.write("deploy.sh", prefix + kBasic + "\n");
  SecretReader reader(dir.str(), kKey);
  auto other = reader.read(entry_at(prefix.size() + 20, prefix.size() + 74, "base64", "ghp_another"));
  ASSERT_FALSE(other.ok());
  EXPECT_NE(other.error().message.find("fingerprint 0123456789abcdef"), std::string::npos);
  EXPECT_NE(other.error().message.find("decoded as base64"), std::string::npos) << other.error().message;
  EXPECT_EQ(other.error().message.find(kToken), std::string::npos);  // never the bytes read there
  auto as_plain = reader.read(entry_at(prefix.size() + 20, prefix.size() + 74, ""));
  EXPECT_FALSE(as_plain.ok());  // the encoded bytes themselves are not the secret
  auto unknown = reader.read(entry_at(prefix.size() + 20, prefix.size() + 74, "rot13"));
  ASSERT_FALSE(unknown.ok());
  EXPECT_NE(unknown.error().message.find("unknown decoding 'rot13'"), std::string::npos)
      << unknown.error().message;
}

}  // namespace
}  // namespace keyhound
