// gitleaks.toml -> keyhound rules: what translates, exactly, and what is refused with a reason.
#include "rules/import_gitleaks.hpp"

#include <gtest/gtest.h>

#include "rules/loader.hpp"

namespace keyhound {
namespace {

// A team's own rules, written for this test (not taken from gitleaks' rule set).
const char* kTeamRules = R"TOML(title = "acme"

[extend]
useDefault = true

[[rules]]
id = "acme-deploy-token"
description = "Acme deploy token"
regex = '''acme_deploy_(?<token>[a-z0-9]{32})'''
secretGroup = 1
entropy = 3.2
keywords = ["acme_deploy_"]
tags = ["acme"]

[rules.allowlist]
stopwords = ["sandbox"]

[[rules]]
id = "AcmeLegacyKey"
regex = '''ACMEKEY[0-9A-F]{24}'''

[allowlist]
description = "fixtures"
regexes = ['''^acme_deploy_0+$''']
)TOML";

TEST(ImportGitleaks, ConvertsRegexSecretGroupEntropyTagsAndAllowlists) {
  auto imported = import_gitleaks(kTeamRules, "gitleaks.toml");
  ASSERT_TRUE(imported.ok()) << imported.error().message;
  EXPECT_TRUE(imported->problems.empty()) << imported->problems.front();
  EXPECT_EQ(imported->converted, 2u);
  auto rules = parse_rule_file(imported->rules_yaml, "converted.yml");
  ASSERT_TRUE(rules.ok()) << rules.error().message << "\n" << imported->rules_yaml;
  ASSERT_EQ(rules->size(), 2u);
  const Rule& token = (*rules)[0];
  EXPECT_EQ(token.id, "custom.acme-deploy-token");
  EXPECT_EQ(token.name, "Acme deploy token");
  // Go's (?<name>) group becomes RE2's (?P<...>) and, being secretGroup 1, the secret group.
  EXPECT_EQ(token.pattern, "acme_deploy_(?P<secret>[a-z0-9]{32})");
  EXPECT_DOUBLE_EQ(token.min_entropy, 3.2);
  EXPECT_EQ(token.tags, (std::vector<std::string>{"gitleaks-import", "acme"}));
  const Rule& legacy = (*rules)[1];
  EXPECT_EQ(legacy.id, "custom.acmelegacykey");
  EXPECT_EQ(legacy.name, "AcmeLegacyKey");
  // No capture group: the whole match is the secret, as in gitleaks.
  EXPECT_EQ(legacy.pattern, "(?P<secret>ACMEKEY[0-9A-F]{24})");
  EXPECT_EQ(imported->config_yaml,
            "# from gitleaks allowlists; keyhound applies them to every rule\n"
            "allowlist:\n  regexes:\n    - '^acme_deploy_0+$'\n  stopwords:\n    - sandbox\n");
  EXPECT_EQ(token.keywords, (std::vector<std::string>{"acme_deploy_"}));
  EXPECT_EQ(token.category, "generic");
  EXPECT_TRUE(legacy.keywords.empty());
  EXPECT_EQ(legacy.category, "generic");
}

TEST(ImportGitleaks, SecretGroupTwoNamesTheSecondGroupAndSkipsNonCapturingOnes) {
  auto imported = import_gitleaks(
      "[[rules]]\nid = 'x'\nregex = '''(?i)(?:key|tok)[=:]\\s*([a-z]+)-([0-9a-f]{20})[\\]()]'''\nsecretGroup "
      "= 2\n",
      "g.toml");
  ASSERT_TRUE(imported.ok()) << imported.error().message;
  ASSERT_TRUE(imported->problems.empty()) << imported->problems.front();
  EXPECT_NE(imported->rules_yaml.find(R"((?i)(?:key|tok)[=:]\s*([a-z]+)-(?P<secret>[0-9a-f]{20})[\]()])"),
            std::string::npos)
      << imported->rules_yaml;
}

TEST(ImportGitleaks, WhatDoesNotTranslateIsListedWithFileLineAndRule) {
  auto imported = import_gitleaks(R"TOML([[rules]]
id = "paths-only"
path = '''\.pem$'''

[[rules]]
id = "lookahead"
regex = '''key=(?=[a-z])([a-z]{10})'''

[[rules]]
id = "too-few-groups"
regex = '''tok_([a-z]{10})'''
secretGroup = 3

[[rules]]
id = "line-allow"
regex = '''fine_([a-z]{10})'''
[rules.allowlist]
regexTarget = "line"
regexes = ['''test''']

[[rules]]
id = "good"
regex = '''good_([a-z]{12})'''
)TOML",
                                  "team.toml");
  ASSERT_TRUE(imported.ok()) << imported.error().message;
  ASSERT_EQ(imported->problems.size(), 5u) << imported->rules_yaml;
  EXPECT_EQ(imported->problems[0],
            "team.toml:1: rule paths-only: path restricts the rule to some files; keyhound rules apply to "
            "every file");
  EXPECT_EQ(imported->problems[1],
            "team.toml:1: rule paths-only: has no regex (a path-only rule has no keyhound equivalent)");
  EXPECT_EQ(imported->problems[2].rfind(
                "team.toml:5: rule lookahead: regex does not compile with RE2 (Go-only syntax?): ", 0),
            0u)
      << imported->problems[2];
  EXPECT_EQ(imported->problems[3],
            "team.toml:9: rule too-few-groups: secretGroup = 3 but the regex has 1 capture group(s)");
  EXPECT_EQ(imported->problems[4].rfind(
                "team.toml:17: rule line-allow: allowlist regexTarget = \"line\" does not translate", 0),
            0u)
      << imported->problems[4];
  // line-allow itself converts (without its allowlist: more findings, never fewer).
  EXPECT_EQ(imported->converted, 2u);
}

TEST(ImportGitleaks, MalformedTomlNamesFileLineAndColumn) {
  auto imported = import_gitleaks("[[rules]]\nid = \"a\nregex = 'x'\n", "bad.toml");
  ASSERT_FALSE(imported.ok());
  EXPECT_EQ(imported.error().message.rfind("bad.toml:2:", 0), 0u) << imported.error().message;
}

}  // namespace
}  // namespace keyhound
