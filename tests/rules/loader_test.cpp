#include "rules/loader.hpp"

#include <gtest/gtest.h>

namespace keyhound {
namespace {

std::string error_of(std::string_view yaml) {
  auto rules = parse_rule_file(yaml, "my.yml");
  if (!rules) return rules.error().message;
  auto valid = validate_rules(*rules);
  return valid ? "" : valid.error().message;
}

TEST(RuleLoader, ParsesEveryField) {
  auto rules = parse_rule_file(R"(rules:
  - id: acme.token
    name: Acme token
    pattern: '\b(acme_[a-z0-9]{20})\b'
    confidence: high
    min_entropy: 3.5
    description: Grants Acme API access.
    tags: [saas, acme]
    references: [https://acme.test/docs]
    examples: ['acme_q7w2k9x4m1z8r5t3y6u0']
    negative_examples: ['acme_short']
)",
                               "my.yml");
  ASSERT_TRUE(rules.ok()) << rules.error().message;
  ASSERT_EQ(rules->size(), 1u);
  const Rule& rule = rules->front();
  EXPECT_EQ(rule.id, "acme.token");
  EXPECT_EQ(rule.confidence, Confidence::high);
  EXPECT_DOUBLE_EQ(rule.min_entropy, 3.5);
  EXPECT_EQ(rule.tags, (std::vector<std::string>{"saas", "acme"}));
  EXPECT_EQ(rule.file, "my.yml");
  EXPECT_EQ(rule.line, 2);
}

TEST(RuleLoader, ErrorsNameFileLineRuleAndReason) {
  EXPECT_EQ(
      error_of("rules:\n  - id: a.b\n    name: x\n    pattern: '(x)'\n    colour: red\n"),
      "my.yml:5: rule a.b: unknown key 'colour' (known: category, confidence, description, examples, id, "
      "keywords, min_entropy, name, negative_examples, pair, pattern, prefilter, references, tags, verify)");
  EXPECT_EQ(error_of("rules:\n  - name: x\n    pattern: '(x)'\n"), "my.yml:2: rule has no 'id'");
  EXPECT_EQ(error_of("rules:\n  - id: a.b\n    name: x\n"), "my.yml:2: rule a.b: missing 'pattern'");
  EXPECT_EQ(error_of("rules:\n  - id: a.b\n    name: x\n    pattern: '(x)'\n  - id: a.b\n    name: y\n    "
                     "pattern: '(y)'\n"),
            "my.yml:5: duplicate rule id 'a.b' (first defined at my.yml:2)");
  EXPECT_EQ(error_of("rules:\n  - id: NoDot\n    name: x\n    pattern: '(x)'\n"),
            "my.yml:2: rule NoDot: id must be provider.kind in lowercase letters, digits, '.', '-' or '_'");
  EXPECT_EQ(error_of("rules:\n  - id: a.b\n    name: x\n    pattern: '(x)'\n    confidence: sure\n"),
            "my.yml:2: rule a.b: confidence must be high, medium or low, not 'sure'");
  // A value that might be a secret pasted in the wrong key is shown by its length only.
  EXPECT_EQ(
      error_of("rules:\n  - id: a.b\n    name: x\n    pattern: '(x)'\n    confidence: Zq7vT2mXw9LpR4sK\n"),
      "my.yml:2: rule a.b: confidence must be high, medium or low, not a value of 16 bytes (not shown)");
  EXPECT_EQ(error_of("rulez: []\n"), "my.yml: expected a top-level 'rules:' list");
  EXPECT_EQ(error_of("rules: [\n"), "my.yml:2: invalid YAML: end of sequence flow not found");
}

TEST(RuleLoader, CategoryComesFromTheFileUnlessTheRuleSaysOtherwise) {
  auto rules = parse_rule_file(R"(category: saas
rules:
  - id: acme.token
    name: Acme token
    pattern: '(acme_[a-z0-9]{20})'
  - id: acme.card-key
    name: Acme card key
    category: payments
    pattern: '(acmecard_[a-z0-9]{20})'
)",
                               "my.yml");
  ASSERT_TRUE(rules.ok()) << rules.error().message;
  EXPECT_EQ((*rules)[0].category, "saas");
  EXPECT_EQ((*rules)[1].category, "payments");
  EXPECT_EQ(error_of("category: cooking\nrules: []\n"),
            "my.yml:1: category must be one of cloud, ci-cd, payments, communications, ai, observability, "
            "database, registry, saas, generic, not 'cooking'");
  EXPECT_EQ(error_of("rules:\n  - id: a.b\n    name: x\n    pattern: '(x)'\n    category: misc\n"),
            "my.yml:2: rule a.b: category must be one of cloud, ci-cd, payments, communications, ai, "
            "observability, database, registry, saas, generic, not 'misc'");
}

TEST(RuleLoader, PatternPiecesAreExpandedAndUnknownOnesNamed) {
  auto rules = parse_rule_file(
      "rules:\n  - id: a.b\n    name: x\n    pattern: 'acme_key{{assign}}([a-z]{8})'\n", "my.yml");
  ASSERT_TRUE(rules.ok()) << rules.error().message;
  EXPECT_EQ(rules->front().pattern.find("{{"), std::string::npos);
  EXPECT_EQ(rules->front().pattern.rfind("acme_key(?:", 0), 0u);
  EXPECT_EQ(error_of("rules:\n  - id: a.b\n    name: x\n    pattern: 'a{{asign}}(b)'\n"),
            "my.yml:2: rule a.b: unknown pattern piece '{{asign}}'");
}

TEST(RuleLoader, KeywordsAreAListOfWordsOfThreeCharactersOrMore) {
  auto rules = parse_rule_file(
      "rules:\n  - id: a.b\n    name: x\n    keywords: [acme, AcmeCorp]\n    pattern: '(?i)acme(x)'\n",
      "my.yml");
  ASSERT_TRUE(rules.ok()) << rules.error().message;
  EXPECT_EQ(rules->front().keywords, (std::vector<std::string>{"acme", "AcmeCorp"}));
  EXPECT_EQ(error_of("rules:\n  - id: a.b\n    name: x\n    keywords: [ac]\n    pattern: '(x)'\n"),
            "my.yml:2: rule a.b: keyword 'ac' is shorter than 3 characters (it would fire everywhere)");
  EXPECT_EQ(error_of("rules:\n  - id: a.b\n    name: x\n    keywords: acme\n    pattern: '(x)'\n"),
            "my.yml:2: rule a.b: 'keywords' must be a list of strings");
}

// Rules that belong together (an ID and its secret) declare a pair and their field in it.
TEST(RuleLoader, PairNamesAndFields) {
  auto rules = parse_rule_file(
      "rules:\n  - id: a.b\n    name: x\n    pattern: '(x)'\n    pair: {name: acme-key, field: keyId}\n",
      "my.yml");
  ASSERT_TRUE(rules.ok()) << rules.error().message;
  EXPECT_EQ(rules->front().pair, "acme-key");
  EXPECT_EQ(rules->front().pair_field, "keyId");
  EXPECT_EQ(error_of("rules:\n  - id: a.b\n    name: x\n    pattern: '(x)'\n    pair: acme\n"),
            "my.yml:2: rule a.b: pair must be a mapping with 'name' and 'field'");
  EXPECT_EQ(
      error_of(
          "rules:\n  - id: a.b\n    name: x\n    pattern: '(x)'\n    pair: {name: Acme Key, field: id}\n"),
      "my.yml:2: rule a.b: pair name 'Acme Key' must be lowercase letters, digits and -");
  EXPECT_EQ(
      error_of("rules:\n  - id: a.b\n    name: x\n    pattern: '(x)'\n    pair: {name: acme, field: 1d}\n"),
      "my.yml:2: rule a.b: pair field '1d' must be an identifier (letters, digits, _; a letter first)");
}

TEST(RuleLoader, BuiltinRulesLoadAndValidate) {
  auto rules = parse_rule_sources(builtin_rule_sources());
  ASSERT_TRUE(rules.ok()) << rules.error().message;
  EXPECT_GE(rules->size(), 2u);
  EXPECT_EQ(rules->front().file.rfind("rules/", 0), 0u);
  // Validated again over the files parsed one by one (parse_rule_sources validated its own
  // result already, so checking that again could not fail): ids unique across all files.
  RuleList each;
  for (const auto& source : builtin_rule_sources()) {
    auto file = parse_rule_file(source.text, source.name);
    ASSERT_TRUE(file.ok()) << file.error().message;
    each.insert(each.end(), file->begin(), file->end());
  }
  EXPECT_EQ(each.size(), rules->size());
  auto valid = validate_rules(each);
  EXPECT_TRUE(valid.ok()) << valid.error().message;
}

TEST(RuleLoader, ValidationCatchesADuplicateIdAcrossFiles) {
  auto first = parse_rule_file("rules:\n  - id: a.b\n    name: x\n    pattern: '(x)'\n", "one.yml");
  auto second = parse_rule_file("rules:\n  - id: a.b\n    name: y\n    pattern: '(y)'\n", "two.yml");
  ASSERT_TRUE(first.ok() && second.ok());
  RuleList both = *first;
  both.insert(both.end(), second->begin(), second->end());
  auto valid = validate_rules(both);
  ASSERT_FALSE(valid.ok());
  EXPECT_NE(valid.error().message.find("duplicate rule id 'a.b'"), std::string::npos)
      << valid.error().message;
}

// Built-in rules are filed as rules/<category>/<name>.yml, and each one's category is its folder.
TEST(RuleLoader, BuiltinRulesSitInTheFolderOfTheirCategory) {
  auto rules = parse_rule_sources(builtin_rule_sources());
  ASSERT_TRUE(rules.ok()) << rules.error().message;
  for (const auto& rule : *rules)
    EXPECT_EQ(rule.file.rfind("rules/" + rule.category + "/", 0), 0u) << rule.id << " in " << rule.file;
}

}  // namespace
}  // namespace keyhound
