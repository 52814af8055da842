#include "rules/rule_cache.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "support/support.hpp"

namespace keyhound {
namespace {

const std::vector<RuleSource> kSources = {{"acme.yml", R"(rules:
  - id: acme.token
    name: Acme token
    pattern: '\b(acme_[a-z0-9]{20})\b'
    confidence: low
    min_entropy: 2.5
    tags: [saas]
    examples: ['acme_q7w2k9x4m1z8r5t3y6u0']
)"}};

TEST(RuleCache, ServesTheSameRulesFromCacheAndReparsesACorruptEntry) {
  testing::TempDir cache;
  bool from_cache = true;
  auto parsed = load_rules_cached(kSources, cache.str(), &from_cache);
  ASSERT_TRUE(parsed.ok());
  EXPECT_FALSE(from_cache);
  auto entries = std::distance(std::filesystem::directory_iterator(cache.path()), {});
  EXPECT_EQ(entries, 1);

  // Served from the cache, and said so (the old test could not tell a cache hit from a parse).
  auto cached = load_rules_cached(kSources, cache.str(), &from_cache);
  ASSERT_TRUE(cached.ok());
  EXPECT_TRUE(from_cache);
  ASSERT_EQ(cached->size(), 1u);
  const Rule& rule = cached->front();
  EXPECT_EQ(rule.id, "acme.token");
  EXPECT_EQ(rule.pattern, R"(\b(acme_[a-z0-9]{20})\b)");
  EXPECT_EQ(rule.confidence, Confidence::low);
  EXPECT_DOUBLE_EQ(rule.min_entropy, 2.5);
  EXPECT_EQ(rule.tags, std::vector<std::string>{"saas"});
  EXPECT_EQ(rule.examples.size(), 1u);
  EXPECT_EQ(rule.file, "acme.yml");
  EXPECT_EQ(rule.line, 2);

  auto entry = std::filesystem::directory_iterator(cache.path())->path();
  std::ofstream(entry, std::ios::binary | std::ios::trunc) << "keyhound-rules-1\ngarbage";
  auto reparsed = load_rules_cached(kSources, cache.str(), &from_cache);
  ASSERT_TRUE(reparsed.ok());
  EXPECT_FALSE(from_cache) << "a corrupt entry was served";
  EXPECT_EQ(reparsed->front().id, "acme.token");

  // Changed text is a different entry, never the old rules.
  auto changed = kSources;
  changed[0].text.replace(changed[0].text.find("acme.token"), 10, "acme.other");
  auto other = load_rules_cached(changed, cache.str(), &from_cache);
  ASSERT_TRUE(other.ok());
  EXPECT_FALSE(from_cache);
  EXPECT_EQ(other->front().id, "acme.other");
}

// The built-in set is keyed by the build's digest of the embedded files: served from the cache
// the second time, the same rules as a parse, and a user's file beside it is a different entry.
TEST(RuleCache, BuiltInRulesAreKeyedByTheEmbeddedDigest) {
  testing::TempDir cache;
  bool from_cache = true;
  auto parsed = load_rules_cached(true, {}, cache.str(), &from_cache);
  ASSERT_TRUE(parsed.ok());
  EXPECT_FALSE(from_cache);
  auto cached = load_rules_cached(true, {}, cache.str(), &from_cache);
  ASSERT_TRUE(cached.ok());
  EXPECT_TRUE(from_cache);
  auto direct = parse_rule_sources(builtin_rule_sources());
  ASSERT_TRUE(direct.ok());
  ASSERT_EQ(cached->size(), direct->size());
  for (std::size_t i = 0; i < direct->size(); ++i) {
    EXPECT_EQ((*cached)[i].id, (*direct)[i].id);
    EXPECT_EQ((*cached)[i].pattern, (*direct)[i].pattern);
    EXPECT_TRUE((*cached)[i].embedded);
  }

  auto with_user = load_rules_cached(true, kSources, cache.str(), &from_cache);
  ASSERT_TRUE(with_user.ok());
  EXPECT_FALSE(from_cache);
  ASSERT_EQ(with_user->size(), direct->size() + 1);
  EXPECT_EQ(with_user->back().id, "acme.token");
  EXPECT_FALSE(with_user->back().embedded);

  auto user_only = load_rules_cached(false, kSources, cache.str(), &from_cache);
  ASSERT_TRUE(user_only.ok());
  EXPECT_FALSE(from_cache) << "the user's rules alone were served the entry that holds the built-in ones";
  EXPECT_EQ(user_only->size(), 1u);
}

// A scan's rules come without examples, whether parsed or served from the cache; every other
// field is the same, and the entry still holds the examples for `rules check`.
TEST(RuleCache, ExamplesAreLeftOutForAScanOnlyAndFromBothPaths) {
  testing::TempDir cache;
  bool from_cache = true;
  auto parsed = load_rules_cached(false, kSources, cache.str(), &from_cache, RuleExamples::left_out);
  ASSERT_TRUE(parsed.ok());
  EXPECT_FALSE(from_cache);
  auto cached = load_rules_cached(false, kSources, cache.str(), &from_cache, RuleExamples::left_out);
  ASSERT_TRUE(cached.ok());
  EXPECT_TRUE(from_cache);
  auto full = load_rules_cached(false, kSources, cache.str(), &from_cache);
  ASSERT_TRUE(full.ok());
  EXPECT_TRUE(from_cache);
  ASSERT_EQ(full->size(), 1u);
  EXPECT_EQ(full->front().examples, std::vector<std::string>{"acme_q7w2k9x4m1z8r5t3y6u0"});
  for (const RuleList* list : {&*parsed, &*cached}) {
    ASSERT_EQ(list->size(), 1u);
    const Rule& rule = list->front();
    EXPECT_TRUE(rule.examples.empty());
    EXPECT_TRUE(rule.negative_examples.empty());
    EXPECT_EQ(rule.id, "acme.token");
    EXPECT_EQ(rule.pattern, full->front().pattern);
    EXPECT_EQ(rule.tags, full->front().tags);
    EXPECT_EQ(rule.min_entropy, 2.5);
    EXPECT_EQ(rule.line, full->front().line);
  }
}

TEST(RuleCache, ErrorsAreNotCached) {
  testing::TempDir cache;
  std::vector<RuleSource> broken = {{"bad.yml", "rules:\n  - id: a.b\n"}};
  EXPECT_FALSE(load_rules_cached(broken, cache.str()).ok());
  EXPECT_FALSE(load_rules_cached(broken, cache.str()).ok());
  EXPECT_TRUE(std::filesystem::is_empty(cache.path()));
}

}  // namespace
}  // namespace keyhound
