#include "match/matcher.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "match/test_rule.hpp"
#include "rules/loader.hpp"
#include "support/support.hpp"

namespace keyhound {
namespace {

using testing::make_rule;

std::unique_ptr<Matcher> build(RuleList rules, const std::string& cache_dir = "") {
  auto matcher = Matcher::build(std::move(rules), MatcherOptions{cache_dir});
  EXPECT_TRUE(matcher.ok()) << (matcher.ok() ? "" : matcher.error().message);
  return std::move(*matcher);
}

std::vector<std::string> secrets_found(const Matcher& matcher, std::string_view text) {
  auto scratch = matcher.new_scratch();
  std::vector<Match> matches;
  matcher.scan(text, *scratch, matches);
  std::vector<std::string> out;
  for (const auto& m : matches)
    out.push_back(matcher.rules()[m.rule].id + "=" + std::string(text.substr(m.start, m.end - m.start)));
  return out;
}

TEST(Matcher, ExtractsTheSecretGroupsExactByteRange) {
  auto matcher = build({make_rule("t.key", R"(\b(TK[A-Z2-7]{18})\b)")});
  std::string text = "first line\nkey = TKQ4ZJ7XN2MB5RWKT3PC and TKW7YH3Q5NZR2XPL6VJD\n";
  auto scratch = matcher->new_scratch();
  std::vector<Match> matches;
  matcher->scan(text, *scratch, matches);
  ASSERT_EQ(matches.size(), 2u);
  EXPECT_EQ(matches[0].start, text.find("TKQ4"));
  EXPECT_EQ(matches[0].end, text.find("TKQ4") + 20);
  EXPECT_EQ(matches[1].start, text.find("TKW7"));
}

TEST(Matcher, NamedSecretGroupWinsOverGroupOne) {
  auto matcher = build({make_rule("t.named", R"((user)=(?P<secret>[a-z0-9]{12}))")});
  EXPECT_EQ(secrets_found(*matcher, "user=q7w2k9x4m1z8"), std::vector<std::string>{"t.named=q7w2k9x4m1z8"});
}

TEST(Matcher, Re2DecidesWhatHyperscanOnlySuggests) {
  // \b on the right: Hyperscan reports the end of "TK...", RE2 confirms with full semantics.
  auto matcher = build({make_rule("t.key", R"(\b(TK[A-Z2-7]{18})\b)")});
  EXPECT_TRUE(secrets_found(*matcher, "xTKQ4ZJ7XN2MB5RWKT3PC").empty());
  EXPECT_TRUE(secrets_found(*matcher, "TKQ4ZJ7XN2MB5RWKT3PCQ").empty());
}

TEST(Matcher, DropsPlaceholdersReferencesAndLowEntropy) {
  auto matcher = build({make_rule("t.assign", R"re(token\s*=\s*"([^"\s]{8,64})")re", {}, 3.0)});
  EXPECT_EQ(secrets_found(*matcher, R"(token = "Vq9#kR2!mZ7$wL4p")"),
            std::vector<std::string>{"t.assign=Vq9#kR2!mZ7$wL4p"});
  EXPECT_TRUE(secrets_found(*matcher, R"(token = "${API_TOKEN}")").empty());
  EXPECT_TRUE(secrets_found(*matcher, R"(token = "your_token_here")").empty());
  EXPECT_TRUE(secrets_found(*matcher, R"(token = "aaaaaaaaaaaa")").empty());
  EXPECT_TRUE(secrets_found(*matcher, R"(token = "abcdefgh12")").empty());
  EXPECT_TRUE(secrets_found(*matcher, R"(token = "passwordpassword")").empty());  // 3.0 bits needed
}

TEST(Matcher, GenericRuleYieldsToSpecificRuleOnTheSameBytes) {
  auto matcher = build({make_rule("t.specific", R"(\b(sk_live_[A-Za-z0-9]{24})\b)"),
                        make_rule("t.generic", R"re(api_key\s*=\s*"([^"]{8,80})")re", {"generic"})});
  EXPECT_EQ(secrets_found(*matcher, R"(api_key = "sk_live_Q7w2K9x4M1z8R5t3Y6u0P2a9")"),
            std::vector<std::string>{"t.specific=sk_live_Q7w2K9x4M1z8R5t3Y6u0P2a9"});
  EXPECT_EQ(secrets_found(*matcher, R"(api_key = "Q7w2K9x4M1z8R5t3")"),
            std::vector<std::string>{"t.generic=Q7w2K9x4M1z8R5t3"});
}

TEST(Matcher, CatchAllRuleYieldsToAGenericRuleOfAKnownShape) {
  auto matcher =
      build({make_rule("t.shape", R"re(->Password\s*=\s*'([^']{8,80})')re", {"generic"}),
             make_rule("t.catch-all", R"re(Password\s*=\s*'([^']{8,80})')re", {"generic", "catch-all"})});
  EXPECT_EQ(secrets_found(*matcher, R"($mail->Password = 'Hq3vZp8Lw2Xk5Nr7';)"),
            std::vector<std::string>{"t.shape=Hq3vZp8Lw2Xk5Nr7"});
  EXPECT_EQ(secrets_found(*matcher, R"(Password = 'Hq3vZp8Lw2Xk5Nr7';)"),
            std::vector<std::string>{"t.catch-all=Hq3vZp8Lw2Xk5Nr7"});
}

TEST(Matcher, UnboundedPatternsAndManyHitsStillGiveOneMatchEach) {
  auto matcher = build({make_rule("t.long", R"(\b(LT[A-Za-z0-9]{20,}))")});
  std::string token = "LTq8Rz3vLk2Wn9Xt4Bp7Hm1Jc6Yf0Gd5Ks2Ve8Na3TqWp";
  std::string text = "a " + token + " b " + token + "\n";
  auto found = secrets_found(*matcher, text);
  ASSERT_EQ(found.size(), 2u);
  EXPECT_EQ(found[0], "t.long=" + token);
}

// Regression: a window edge cut "glpat-...01.93cg" short and both pieces were reported.
TEST(Matcher, AMatchCutByAWindowEdgeIsNotReportedBesideTheWholeOne) {
  auto matcher = build({make_rule(
      "t.routable",
      R"re(\b(glpat-[0-9A-Za-z_-]{20,300}(?:\.[0-9a-z]{2}\.[0-9a-z]{9})?)(?:[^A-Za-z0-9_-]|$))re")});
  std::string text = "a glpat-Hq3vZp8Lw2Xk5Nr7Tb1Yc\n" + std::string(270, '#') +
                     "\nb glpat-KcC03tkLhvfZuYctLC2iLbMSQCB.01.93cgycsoi@gitlab.com\n";
  EXPECT_EQ(secrets_found(*matcher, text),
            (std::vector<std::string>{"t.routable=glpat-Hq3vZp8Lw2Xk5Nr7Tb1Yc",
                                      "t.routable=glpat-KcC03tkLhvfZuYctLC2iLbMSQCB.01.93cgycsoi"}));
}

// Hyperscan looks only for the keyword; RE2 runs the pattern around each hit, on both sides, so
// the keyword may stand before or after the secret.
TEST(Matcher, KeywordRulesFindTheirPatternAroundEachKeyword) {
  Rule before = make_rule("acme.key", R"((?i)acme[\w.-]{0,10}key\s?=\s?([a-z0-9]{16})\b)");
  before.keywords = {"acme"};
  Rule after = make_rule("zeta.key", R"(\b([0-9a-f]{12})\s*#\s*zeta token)");
  after.keywords = {"zeta"};
  auto matcher = build({before, after});
  EXPECT_EQ(secrets_found(*matcher, "x\nACME_API_KEY = q8w1e7r4t2y9u3i6\ny"),
            (std::vector<std::string>{"acme.key=q8w1e7r4t2y9u3i6"}));
  EXPECT_EQ(secrets_found(*matcher, "id 3fa92c0d1b7e # ZETA token"), (std::vector<std::string>{}));
  EXPECT_EQ(secrets_found(*matcher, "id 3fa92c0d1b7e # zeta token"),
            (std::vector<std::string>{"zeta.key=3fa92c0d1b7e"}));
  EXPECT_EQ(secrets_found(*matcher, "acme acme acme"), (std::vector<std::string>{}));
  // The same text found by scan_delta from a base that lacks it.
  auto scratch = matcher->new_scratch();
  std::string base = "header line\n";
  std::string text = base + "ACME_API_KEY = q8w1e7r4t2y9u3i6\n";
  ScanMemo memo;
  std::vector<Match> matches;
  matcher->scan(base, *scratch, matches, &memo);
  matcher->scan_delta(text, {DeltaCopy{0, 0, base.size()}}, memo, *scratch, matches);
  ASSERT_EQ(matches.size(), 1u);
  EXPECT_EQ(text.substr(matches[0].start, matches[0].end - matches[0].start), "q8w1e7r4t2y9u3i6");
}

TEST(Matcher, RejectedPatternNamesRuleFileAndReason) {
  auto result = Matcher::build({make_rule("t.bad", R"((a)\1)")}, MatcherOptions{});
  ASSERT_FALSE(result.ok());
  EXPECT_NE(result.error().message.find("test.yml:1: rule t.bad"), std::string::npos)
      << result.error().message;
}

TEST(Matcher, Re2ErrorsNameTheRule) {
  Rule unclosed = make_rule("t.unclosed", "(x");
  auto result = Matcher::build({unclosed}, MatcherOptions{});
  ASSERT_FALSE(result.ok());
  // Hyperscan or RE2, whichever speaks first, is named with the rule.
  EXPECT_EQ(result.error().message.rfind("test.yml:1: rule t.unclosed: ", 0), 0u) << result.error().message;
  auto no_group = Matcher::build({make_rule("t.nogroup", "x+y")}, MatcherOptions{});
  ASSERT_FALSE(no_group.ok());
  EXPECT_EQ(no_group.error().message,
            "test.yml:1: rule t.nogroup: the pattern needs a capture group (group 1 or one named 'secret')");
}

TEST(MatcherCache, SecondBuildLoadsFromCacheAndCorruptEntryIsRewritten) {
  testing::TempDir cache;
  RuleList rules = {make_rule("t.key", R"(\b(TK[A-Z2-7]{18})\b)")};
  EXPECT_FALSE(build(rules, cache.str())->loaded_from_cache());
  EXPECT_TRUE(build(rules, cache.str())->loaded_from_cache());

  std::filesystem::path entry = std::filesystem::directory_iterator(cache.path())->path();
  std::string bytes = testing::read_text(entry);
  bytes[bytes.size() / 2] ^= 0x5a;
  std::ofstream(entry, std::ios::binary) << bytes;
  auto rebuilt = build(rules, cache.str());
  EXPECT_FALSE(rebuilt->loaded_from_cache());
  EXPECT_EQ(secrets_found(*rebuilt, "TKQ4ZJ7XN2MB5RWKT3PC").size(), 1u);
  EXPECT_TRUE(build(rules, cache.str())->loaded_from_cache());

  // A different rule set is a different key: never served a stale database.
  RuleList changed = {make_rule("t.key", R"(\b(TQ[A-Z2-7]{18})\b)")};
  auto other = build(changed, cache.str());
  EXPECT_FALSE(other->loaded_from_cache());
  EXPECT_TRUE(secrets_found(*other, "TKQ4ZJ7XN2MB5RWKT3PC").empty());
}

}  // namespace
}  // namespace keyhound
