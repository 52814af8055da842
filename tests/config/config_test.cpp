// Parsing .keyhound.yml: every key, and errors that name the file and line.
#include "config/config.hpp"

#include <gtest/gtest.h>

namespace keyhound {
namespace {

std::string error_of(const std::string& text) {
  auto parsed = parse_config(text, "repo/.keyhound.yml");
  return parsed.ok() ? "(parsed)" : parsed.error().message;
}

TEST(Config, ReadsEveryKey) {
  auto config = parse_config(
      "exclude: [vendor, 'docs/*.md']\n"
      "rules: [rules/extra.yml, /abs/rules]\n"
      "allowlist:\n"
      "  regexes: ['^AKIA.*TEST$']\n"
      "  paths: [fixtures]\n"
      "  stopwords: [Dummy, sample]\n"
      "disable: [generic.password]\n"
      "min_confidence: medium\n",
      "repo/.keyhound.yml");
  ASSERT_TRUE(config.ok()) << config.error().message;
  EXPECT_EQ(config->file, "repo/.keyhound.yml");
  EXPECT_EQ(config->excludes, (std::vector<std::string>{"vendor", "docs/*.md"}));
  EXPECT_EQ(config->rule_paths, (std::vector<std::string>{"repo/rules/extra.yml", "/abs/rules"}));
  EXPECT_EQ(config->allow_regexes, (std::vector<std::string>{"^AKIA.*TEST$"}));
  EXPECT_EQ(config->allow_paths, (std::vector<std::string>{"fixtures"}));
  EXPECT_EQ(config->stopwords, (std::vector<std::string>{"Dummy", "sample"}));
  EXPECT_EQ(config->disabled_rules, (std::vector<std::string>{"generic.password"}));
  ASSERT_TRUE(config->min_confidence.has_value());
  EXPECT_EQ(*config->min_confidence, Confidence::medium);
}

TEST(Config, EmptyFileIsAnEmptyConfig) {
  auto config = parse_config("# nothing yet\n", ".keyhound.yml");
  ASSERT_TRUE(config.ok());
  EXPECT_TRUE(config->excludes.empty());
  EXPECT_FALSE(config->min_confidence.has_value());
}

TEST(Config, ErrorsNameFileLineAndKey) {
  EXPECT_EQ(error_of("exclude: [a]\nexlude: [b]\n"),
            "repo/.keyhound.yml:2:1: unknown key 'exlude' (known: exclude, rules, allowlist, disable, "
            "min_confidence, allow_foreign_comments, events_bus)");
  EXPECT_EQ(error_of("allowlist:\n  regexes: [x]\n  stopword: [y]\n"),
            "repo/.keyhound.yml:3:3: unknown key 'allowlist.stopword' (known: regexes, paths, stopwords)");
  EXPECT_EQ(error_of("exclude: vendor\n"), "repo/.keyhound.yml:1:10: exclude: expected a list of strings");
  EXPECT_EQ(error_of("disable:\n  - a.b\n  - {x: 1}\n"),
            "repo/.keyhound.yml:3:5: disable: expected a list of non-empty strings");
  EXPECT_EQ(error_of("min_confidence: hgh\n"),
            "repo/.keyhound.yml:1:17: min_confidence: expected low, medium or high, not 'hgh'");
  EXPECT_EQ(error_of("allowlist: [a]\n"),
            "repo/.keyhound.yml:1:12: allowlist: expected a mapping (regexes, paths, stopwords)");
  EXPECT_EQ(error_of("- a\n- b\n"), "repo/.keyhound.yml:1:1: expected a mapping of settings");
  EXPECT_EQ(error_of("exclude: [vendor\nrules: x\n"),
            "repo/.keyhound.yml:2:6: malformed YAML: end of sequence flow not found");
}

}  // namespace
}  // namespace keyhound
