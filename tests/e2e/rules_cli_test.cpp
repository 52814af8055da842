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
  dir.write("acme.yml", R"(category: saas
rules:
  - id: acme.token
    name: Acme token
    pattern: '\b(acme_[a-z0-9]{20})\b'
    description: Calls the Acme API. Revoke it under Settings > Tokens.
    references: [https://acme.test/docs/tokens]
    examples:
      - 'token = acme_q7w2k9x4m1z8r5t3y6u0'
      - 'token = acme_Q7W2K9X4M1Z8R5T3Y6U0'
    negative_examples:
      - 'token = acme_tooshort'
      - 'token = acme_k3m9q2w7x4z8r1t5y6u0'
  - id: acme.empty
    name: Acme rule without examples
    category: payments
    pattern: '\b(acmx_[a-z0-9]{20})\b'
  - id: acme.bare
    name: Acme rule without category, references or description
    category: saas
    pattern: '\b(acmy_[a-z0-9]{20})\b'
    examples: ['acmy_q7w2k9x4m1z8r5t3y6u0', 'x acmy_z7w2k9x4m1z8r5t3y6u1']
    negative_examples: ['acmy_q7w2k9', 'acmy_']
)");
  auto result = run_keyhound({"rules", "check", dir.str() + "/acme.yml"});
  EXPECT_EQ(result.exit_code, 1);
  std::string file = dir.str() + "/acme.yml";
  EXPECT_EQ(result.out, "FAIL " + file +
                            ":3: acme.token: example 2 is not found: token = acme_Q7W2K9X4M1Z8R5T3Y6U0\n"
                            "FAIL " +
                            file +
                            ":3: acme.token: negative example 2 is found: token = acme_k3m9q2w7x4z8r1t5y6u0\n"
                            "FAIL " +
                            file +
                            ":14: acme.empty: has no references\n"
                            "FAIL " +
                            file +
                            ":14: acme.empty: has no description\n"
                            "FAIL " +
                            file +
                            ":14: acme.empty: needs at least 2 examples\n"
                            "FAIL " +
                            file +
                            ":14: acme.empty: needs at least 2 negative examples\n"
                            "FAIL " +
                            file +
                            ":18: acme.bare: has no references\n"
                            "FAIL " +
                            file +
                            ":18: acme.bare: has no description\n"
                            "3 rules, 8 examples: 8 failed\n");
}

TEST(RulesCli, ListShowsIdCategoryConfidenceAndName) {
  auto result = run_keyhound({"rules", "list"});
  EXPECT_EQ(result.exit_code, 0);
  EXPECT_NE(
      result.out.find(
          "aws.access-key-id                                cloud          high    AWS access key ID\n"),
      std::string::npos)
      << result.out;
}

TEST(RulesCli, ListFiltersByCategoryAndCountsPerCategory) {
  testing::TempDir dir;
  dir.write("mine.yml", R"(category: saas
rules:
  - id: acme.token
    name: Acme token
    pattern: '(acme_[a-z0-9]{20})'
  - id: acme.card
    name: Acme card key
    category: payments
    pattern: '(acmc_[a-z0-9]{20})'
  - id: acme.other
    name: Acme other token
    pattern: '(acmo_[a-z0-9]{20})'
)");
  auto all = run_keyhound({"rules", "list", "--no-builtin-rules", "--rules", dir.str() + "/mine.yml"});
  EXPECT_EQ(all.exit_code, 0) << all.err;
  EXPECT_EQ(all.out.substr(all.out.rfind('\n', all.out.size() - 2) + 1), "3 rules (payments 1, saas 2)\n");
  auto payments = run_keyhound(
      {"rules", "list", "--category", "payments", "--no-builtin-rules", "--rules", dir.str() + "/mine.yml"});
  EXPECT_EQ(payments.out,
            "acme.card                                        payments       medium  Acme card key\n"
            "1 rules (payments 1)\n");
  auto unknown = run_keyhound({"rules", "list", "--category", "misc"});
  EXPECT_EQ(unknown.exit_code, 2);
  EXPECT_NE(unknown.err.find("--category: unknown category 'misc'"), std::string::npos) << unknown.err;
}

TEST(RulesCli, InvalidRuleFileIsExitTwoNamingFileAndKey) {
  testing::TempDir dir;
  dir.write("typo.yml", "rules:\n  - id: acme.token\n    name: Acme\n    pattern: '(x)'\n    exmaples: []\n");
  auto result = run_keyhound({"rules", "check", dir.str() + "/typo.yml"});
  EXPECT_EQ(result.exit_code, 2);
  EXPECT_EQ(result.err,
            "keyhound: error: " + dir.str() +
                "/typo.yml:5: rule acme.token: unknown key 'exmaples' (known: category, confidence, "
                "description, examples, id, keywords, min_entropy, name, negative_examples, pair, "
                "pattern, prefilter, references, tags, verify)\n");
}

}  // namespace
}  // namespace keyhound
