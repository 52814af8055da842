// Issue 18, reproducer 5: hostile baselines give an error naming file and line, never an
// exception, and never echo what they hold.
#include <gtest/gtest.h>

#include "baseline/baseline.hpp"

namespace keyhound {
namespace {

TEST(BaselineHostile, NumberOutOfRangeNamesFileAndLine) {
  auto parsed =
      parse_baseline("{\n  \"version\": 1,\n  \"entries\": [\n    {\"line\": 1e400}\n  ]\n}\n", "b.json");
  ASSERT_FALSE(parsed.ok());
  EXPECT_EQ(parsed.error().message, "b.json:4:14: malformed baseline: number out of range");
}

TEST(BaselineHostile, ErrorsNeverEchoASecretLookingValue) {
  const std::string key = "AKIAVQ3M6TXP2HLD7WJE";
  auto status =
      parse_baseline(R"({"version": 1, "entries": [{"fingerprint": "0123456789abcdef", "rule_id": "r",
      "status": ")" + key +
                         R"("}]})",
                     "b.json");
  ASSERT_FALSE(status.ok());
  EXPECT_EQ(status.error().message.find(key), std::string::npos) << status.error().message;
  EXPECT_NE(status.error().message.find("unknown status a value of 20 bytes (not shown)"), std::string::npos)
      << status.error().message;
  auto typo = parse_baseline(R"({"version": 1, "entries": [{"fingerprint": "0123456789abcdef", "rule_id": "r",
      "status": "fixed"}]})",
                             "b.json");
  ASSERT_FALSE(typo.ok());
  EXPECT_NE(typo.error().message.find("unknown status 'fixed'"), std::string::npos) << typo.error().message;
  auto key_as_key = parse_baseline(R"({"version": 1, ")" + key + R"(": 1, "entries": []})", "b.json");
  ASSERT_FALSE(key_as_key.ok());
  EXPECT_EQ(key_as_key.error().message.find(key), std::string::npos) << key_as_key.error().message;
}

}  // namespace
}  // namespace keyhound
