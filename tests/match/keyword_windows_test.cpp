// A keyword rule's RE2 window is sized from its pattern's width: an unbounded pattern makes the
// matcher search 16 KB on each side of every keyword hit (it cost 0.45 s of RE2 per 327 MB).
#include <gtest/gtest.h>

#include <set>
#include <string>

#include "match/database.hpp"
#include "rules/loader.hpp"

namespace keyhound {
namespace {

// Multi-line blocks whose length has no bound by nature.
const std::set<std::string> kUnboundedByDesign = {
    "private-key.rsa",     "private-key.ec",    "private-key.dsa",
    "private-key.openssh", "private-key.pkcs8", "private-key.pkcs8-encrypted",
    "private-key.ssh2",    "private-key.putty", "pkcs12.keystore-base64"};

TEST(KeywordWindows, BuiltInKeywordRulesHaveBoundedPatterns) {
  auto rules = parse_rule_sources(builtin_rule_sources());
  ASSERT_TRUE(rules.ok());
  auto database = compile_database(*rules, "");
  ASSERT_TRUE(database.ok()) << database.error().message;
  std::set<std::string> unbounded;
  for (std::size_t i = 0; i < rules->size(); ++i) {
    const Rule& rule = (*rules)[i];
    if (rule.searched_around_hits() && database->match_widths[i].max == PatternWidth::kUnbounded)
      unbounded.insert(rule.id);
  }
  for (const auto& id : kUnboundedByDesign) unbounded.erase(id);
  EXPECT_TRUE(unbounded.empty())
      << "keyword rules with an unbounded pattern (write [ \\t]{1,32}, not [ \\t]+): "
      << ::testing::PrintToString(unbounded);
}

}  // namespace
}  // namespace keyhound
