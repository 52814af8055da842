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

TEST(RuleCache, ErrorsAreNotCached) {
  testing::TempDir cache;
  std::vector<RuleSource> broken = {{"bad.yml", "rules:\n  - id: a.b\n"}};
  EXPECT_FALSE(load_rules_cached(broken, cache.str()).ok());
  EXPECT_FALSE(load_rules_cached(broken, cache.str()).ok());
  EXPECT_TRUE(std::filesystem::is_empty(cache.path()));
}

}  // namespace
}  // namespace keyhound
