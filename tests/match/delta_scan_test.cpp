// Matcher::scan_delta must find exactly what a whole scan finds. Random deltas of text full of
// synthetic secrets (testdata's positive files) are checked against scan(), with every built-in
// rule: edits next to secrets, inside them, at the edges, stretches moved around, long chains.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>

#include "match/matcher.hpp"
#include "rules/loader.hpp"
#include "support/build_paths.hpp"
#include "support/support.hpp"

namespace keyhound {
namespace {

using namespace testing;

std::string testdata_text() {
  std::string all;
  std::vector<std::filesystem::path> files;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(source_dir() + "/testdata"))
    if (entry.is_regular_file() && entry.file_size() < 200000) files.push_back(entry.path());
  std::sort(files.begin(), files.end());
  for (const auto& file : files) {
    std::ifstream in(file, std::ios::binary);
    std::stringstream text;
    text << in.rdbuf();
    all += text.str();
  }
  return all;
}

std::unique_ptr<Matcher> builtin_matcher() {
  auto rules = parse_rule_sources(builtin_rule_sources());
  EXPECT_TRUE(rules.ok());
  auto matcher = Matcher::build(std::move(*rules), MatcherOptions{KEYHOUND_TEST_CACHE_DIR});
  EXPECT_TRUE(matcher.ok()) << (matcher.ok() ? "" : matcher.error().message);
  return std::move(*matcher);
}

// A delta: the target and the stretches it copied from the base, as a pack reader reports them.
struct Delta {
  std::string target;
  std::vector<DeltaCopy> copies;
};

class DeltaMaker {
 public:
  DeltaMaker(const std::string& material, unsigned seed) : material_(material), random_(seed) {}

  std::size_t pick(std::size_t below) {
    return below == 0 ? 0 : std::uniform_int_distribution<std::size_t>(0, below - 1)(random_);
  }

  std::string slice(std::size_t max_length) {
    std::size_t length = 1 + pick(max_length);
    std::size_t at = pick(material_.size() - std::min(length, material_.size()));
    return material_.substr(at, length);
  }

  Delta make(const std::string& base) {
    Delta delta;
    std::size_t at = 0;
    while (at < base.size() || pick(4) == 0) {
      switch (pick(8)) {
        case 0:
        case 1:
        case 2:
        case 3: {  // keep a stretch
          std::size_t length = std::min(base.size() - at, 1 + pick(pick(2) ? 3000 : 40));
          copy(delta, at, length);
          at += length;
          break;
        }
        case 4:
          at += std::min(base.size() - at, 1 + pick(60));
          break;   // delete
        case 5: {  // insert a few bytes: letters, digits, quotes, a line break, or the marker
          static const std::string kBytes = "aZ09_-=:\"' \n\t/+.";
          std::size_t count = 1 + pick(3);
          for (std::size_t i = 0; i < count; ++i) delta.target += kBytes[pick(kBytes.size())];
          break;
        }
        case 6:
          delta.target += slice(300);
          break;   // insert text that may hold secrets
        case 7: {  // bring in a stretch from elsewhere in the base (a seam)
          if (base.empty()) break;
          std::size_t from = pick(base.size());
          copy(delta, from, std::min(base.size() - from, 1 + pick(800)));
          break;
        }
      }
      if (delta.target.size() > 200000) break;
    }
    return delta;
  }

 private:
  void copy(Delta& delta, std::size_t from, std::size_t length) {
    if (length == 0) return;
    auto& copies = delta.copies;
    std::size_t target = delta.target.size();
    // Adjacent copies that continue each other are merged, as the pack reader does; sometimes
    // not, to check that a needless seam does no harm either.
    if (!copies.empty() && copies.back().target + copies.back().length == target &&
        copies.back().base + copies.back().length == from && pick(4) != 0)
      copies.back().length += length;
    else
      copies.push_back({target, from, length});
    delta.target.append(base_->substr(from, length));
  }

 public:
  const std::string* base_ = nullptr;

 private:
  const std::string& material_;
  std::mt19937_64 random_;
};

std::string describe(const Matcher& matcher, const std::vector<Match>& matches) {
  std::string out;
  for (const auto& m : matches)
    out += matcher.rules()[m.rule].id + "@" + std::to_string(m.start) + "-" + std::to_string(m.end) + " ";
  return out;
}

std::string describe(const ScanMemo& memo) {
  std::string out = "size " + std::to_string(memo.size) + ":";
  for (const auto& hit : memo.hits) out += " " + std::to_string(hit.rule) + "@" + std::to_string(hit.end);
  return out;
}

TEST(DeltaScan, FindsExactlyWhatAWholeScanFinds) {
  auto matcher = builtin_matcher();
  ASSERT_TRUE(matcher);
  const std::string material = testdata_text();
  ASSERT_GT(material.size(), 50000u);
  auto scratch = matcher->new_scratch();
  std::size_t total_matches = 0, deltas_with_matches = 0;
  for (unsigned seed = 1; seed <= 24; ++seed) {
    DeltaMaker maker(material, seed);
    std::string base = maker.slice(seed % 4 == 0 ? 40000 : 10000);
    ScanMemo base_memo;
    std::vector<Match> matches;
    matcher->scan(base, *scratch, matches, &base_memo);
    for (int step = 0; step < 12; ++step) {  // a chain: each target is the next base
      maker.base_ = &base;
      Delta delta = maker.make(base);
      SCOPED_TRACE("seed " + std::to_string(seed) + " step " + std::to_string(step));
      std::vector<Match> whole, by_delta;
      ScanMemo whole_memo, delta_memo;
      matcher->scan(delta.target, *scratch, whole, &whole_memo);
      matcher->scan_delta(delta.target, delta.copies, base_memo, *scratch, by_delta, &delta_memo);
      ASSERT_EQ(describe(*matcher, by_delta), describe(*matcher, whole));
      ASSERT_EQ(describe(delta_memo), describe(whole_memo));
      total_matches += whole.size();
      deltas_with_matches += whole.empty() ? 0 : 1;
      base = std::move(delta.target);
      base_memo = std::move(delta_memo);
    }
  }
  // The material is full of secrets: most deltas hold some, so the comparison means something.
  EXPECT_GT(deltas_with_matches, 200u);
  EXPECT_GT(total_matches, 2000u);
}

TEST(DeltaScan, CopiesThatDoNotFitFallBackToAWholeScan) {
  auto matcher = builtin_matcher();
  ASSERT_TRUE(matcher);
  auto scratch = matcher->new_scratch();
  std::string base = "key = AKIA" + std::string("QWERTYUIOPASDFGH") + "\n";
  ScanMemo memo;
  std::vector<Match> matches;
  matcher->scan(base, *scratch, matches, &memo);
  ASSERT_EQ(describe(*matcher, matches), "aws.access-key-id@6-26 ");
  std::string target = "x" + base;
  // Claims a copy beyond the base's end: ignored, the whole target is scanned.
  matcher->scan_delta(target, {{1, 0, base.size() + 5}}, memo, *scratch, matches);
  EXPECT_EQ(describe(*matcher, matches), "aws.access-key-id@7-27 ");
  matcher->scan_delta(target, {{1, 0, base.size()}}, memo, *scratch, matches);
  EXPECT_EQ(describe(*matcher, matches), "aws.access-key-id@7-27 ");
}

}  // namespace
}  // namespace keyhound
