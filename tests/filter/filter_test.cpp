// The repository config applied to findings.
#include "filter/filter.hpp"

#include <gtest/gtest.h>

namespace keyhound {
namespace {

RuleList rules() {
  Rule key;
  key.id = "aws.access-key-id";
  key.confidence = Confidence::high;
  Rule generic;
  generic.id = "generic.password";
  generic.confidence = Confidence::low;
  return {key, generic};
}

Finding finding(const std::string& rule, const std::string& secret, std::vector<std::string> paths) {
  Finding out;
  out.rule_id = rule;
  out.secret = secret;
  out.fingerprint = secret.substr(0, 4);
  for (const auto& path : paths) {
    Location location;
    location.origin.path = path;
    out.locations.push_back(location);
  }
  return out;
}

std::vector<std::string> secrets_of(const std::vector<Finding>& findings) {
  std::vector<std::string> out;
  for (const auto& f : findings) out.push_back(f.secret);
  return out;
}

TEST(FindingFilter, DropsWhatTheConfigAllows) {
  RepositoryConfig config;
  config.file = ".keyhound.yml";
  config.allow_regexes = {"^AKIATEST"};
  config.stopwords = {"DUMMY"};
  config.allow_paths = {"fixtures"};
  config.excludes = {"*.lock"};
  auto filter = FindingFilter::make(config, rules());
  ASSERT_TRUE(filter.ok()) << filter.error().message;
  std::vector<Finding> findings = {
      finding("aws.access-key-id", "AKIATESTQWERTYUIOPAS", {"a.env"}),  // regex
      finding("aws.access-key-id", "AKIAQWERdummyUIOPASD", {"b.env"}),  // stopword, any case
      finding("aws.access-key-id", "AKIAZXCVBNMASDFGHJKL",
              {"fixtures/x.env", "deps.lock"}),  // every path allowed
      finding("aws.access-key-id", "AKIAPOIUYTREWQLKJHGF", {"fixtures/y.env", "src/y.env"}),  // one path kept
      finding("aws.access-key-id", "AKIAMNBVCXZLKJHGFDSA", {"./d.env"}),                      // kept
  };
  EXPECT_EQ(filter->apply(findings), 3u);
  EXPECT_EQ(secrets_of(findings), (std::vector<std::string>{"AKIAPOIUYTREWQLKJHGF", "AKIAMNBVCXZLKJHGFDSA"}));
  ASSERT_EQ(findings[0].locations.size(), 1u);
  EXPECT_EQ(findings[0].locations[0].origin.path, "src/y.env");
}

TEST(FindingFilter, DisablesRulesById) {
  RepositoryConfig config;
  config.disabled_rules = {"generic.password"};
  auto filter = FindingFilter::make(config, rules());
  ASSERT_TRUE(filter.ok());
  std::vector<Finding> findings = {finding("generic.password", "hunter2hunter2", {"c.env"}),
                                   finding("aws.access-key-id", "AKIAMNBVCXZLKJHGFDSA", {"d.env"})};
  EXPECT_EQ(filter->apply(findings), 1u);
  EXPECT_EQ(secrets_of(findings), (std::vector<std::string>{"AKIAMNBVCXZLKJHGFDSA"}));
}

TEST(FindingFilter, UnknownRuleIdAndBadRegexAreErrors) {
  RepositoryConfig config;
  config.file = "x/.keyhound.yml";
  config.disabled_rules = {"aws.acess-key-id"};
  auto unknown = FindingFilter::make(config, rules());
  ASSERT_FALSE(unknown.ok());
  EXPECT_EQ(unknown.error().message,
            "x/.keyhound.yml: disable: unknown rule id 'aws.acess-key-id' (see `keyhound rules list`)");
  config.disabled_rules.clear();
  config.allow_regexes = {"ok", "(unclosed"};
  auto bad = FindingFilter::make(config, rules());
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().message, "x/.keyhound.yml: allowlist.regexes[1]: missing ): (unclosed");
}

TEST(FindingFilter, EmptyConfigKeepsEverything) {
  auto filter = FindingFilter::make(RepositoryConfig{}, rules());
  ASSERT_TRUE(filter.ok());
  EXPECT_TRUE(filter->empty());
  std::vector<Finding> findings = {finding("generic.password", "hunter2hunter2", {"c.env"})};
  EXPECT_EQ(filter->apply(findings), 0u);
  EXPECT_EQ(findings.size(), 1u);
}

}  // namespace
}  // namespace keyhound
