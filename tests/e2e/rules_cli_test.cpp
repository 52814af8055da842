// End to end: `keyhound rules list` and `keyhound rules check`.
#include <gtest/gtest.h>

#include "support/support.hpp"

namespace keyhound {
namespace {

using testing::run_keyhound;

TEST(RulesCli, BuiltinRulesPassTheirOwnExamples) {
  auto result = run_keyhound({"rules", "check"});
  EXPECT_EQ(result.exit_code, 0) << result.out << result.err;
  EXPECT_NE(result.out.find("examples: all pass"), std::string::npos) << result.out;
}

TEST(RulesCli, CheckFailsNamingEachExampleThatDoesNotBehave) {
  testing::TempDir dir;
  dir.write("acme.yml", R"(rules:
  - id: acme.token
    name: Acme token
    pattern: '\b(acme_[a-z0-9]{20})\b'
    examples:
      - 'token = acme_q7w2k9x4m1z8r5t3y6u0'
      - 'token = acme_Q7W2K9X4M1Z8R5T3Y6U0'
    negative_examples:
      - 'token = acme_tooshort'
      - 'token = acme_k3m9q2w7x4z8r1t5y6u0'
  - id: acme.empty
    name: Acme rule without examples
    pattern: '\b(acmx_[a-z0-9]{20})\b'
)");
  auto result = run_keyhound({"rules", "check", dir.str() + "/acme.yml"});
  EXPECT_EQ(result.exit_code, 1);
  std::string file = dir.str() + "/acme.yml";
  EXPECT_EQ(result.out,
            "FAIL " + file + ":2: acme.token: example 2 is not found: token = acme_Q7W2K9X4M1Z8R5T3Y6U0\n"
            "FAIL " + file + ":2: acme.token: negative example 2 is found: token = acme_k3m9q2w7x4z8r1t5y6u0\n"
            "FAIL " + file + ":11: acme.empty: has no examples\n"
            "2 rules, 4 examples: 3 failed\n");
}

TEST(RulesCli, ListShowsIdConfidenceAndName) {
  auto result = run_keyhound({"rules", "list"});
  EXPECT_EQ(result.exit_code, 0);
  EXPECT_NE(result.out.find("aws.access-key-id                            high    AWS access key ID\n"),
            std::string::npos)
      << result.out;
}

TEST(RulesCli, InvalidRuleFileIsExitTwoNamingFileAndKey) {
  testing::TempDir dir;
  dir.write("typo.yml", "rules:\n  - id: acme.token\n    name: Acme\n    pattern: '(x)'\n    exmaples: []\n");
  auto result = run_keyhound({"rules", "check", dir.str() + "/typo.yml"});
  EXPECT_EQ(result.exit_code, 2);
  EXPECT_EQ(result.err, "keyhound: error: " + dir.str() + "/typo.yml:5: rule acme.token: unknown key 'exmaples'\n");
}

}  // namespace
}  // namespace keyhound
