// scan_with_options without the binary: options in, findings, counts and warnings out.
#include "pipeline/scan_with_options.hpp"

#include <gtest/gtest.h>

#include "support/support.hpp"

namespace keyhound {
namespace {

const std::string kRules =
    "rules:\n  - id: acme.token\n    name: Acme token\n    pattern: '\\b(acme_[a-z0-9]{20})\\b'\n"
    "    confidence: high\n"
    "  - id: beta.token\n    name: Beta token\n    pattern: '\\b(beta_[a-z0-9]{20})\\b'\n"
    "    confidence: low\n";

struct Tree {
  testing::TempDir dir;
  ScanOptions options;
  Tree() {
    dir.write("rules/acme.yml", kRules);
    dir.write("src/app.py", "import os\nTOKEN = 'acme_q7w2k9x4m1z8r5t3y6u0'\n");
    dir.write("src/big.txt", std::string(3000, 'x') + "\n");
    options.paths = {(dir.path() / "src").string()};
    options.rules.rule_paths = {(dir.path() / "rules/acme.yml").string()};
    options.rules.no_builtin = true;
    options.rules.no_cache = true;
    options.no_config = true;
    options.threads = 2;
    options.fingerprint_key = std::string(64, 'a');
  }
};

TEST(ScanWithOptions, FindsWeighsAndCountsWithoutTheCli) {
  Tree tree;
  std::vector<std::string> warnings;
  tree.options.max_file_size = "2K";
  tree.options.on_source_warning = [&](const SourceWarning& warning) { warnings.push_back(warning.where); };
  auto outcome = scan_with_options(tree.options);
  ASSERT_TRUE(outcome) << outcome.error().message;
  ASSERT_EQ(outcome->findings.size(), 1u);
  const Finding& finding = outcome->findings[0];
  EXPECT_EQ(finding.rule_id, "acme.token");
  ASSERT_EQ(finding.locations.size(), 1u);
  EXPECT_EQ(finding.locations[0].origin.path, (tree.dir.path() / "src/app.py").string());
  EXPECT_EQ(finding.locations[0].line, 2u);
  EXPECT_EQ(outcome->kind, ScanKind::files);
  EXPECT_EQ(outcome->root, tree.options.paths[0]);
  EXPECT_EQ(outcome->stats.blobs_scanned, 1u);
  EXPECT_EQ(outcome->stats.skipped_too_large, 1u);
  EXPECT_EQ(warnings, std::vector<std::string>{(tree.dir.path() / "src/big.txt").string()});
  EXPECT_TRUE(outcome->held_back.empty());
  EXPECT_EQ(outcome->allowed_by_config, 0u);
}

TEST(ScanWithOptions, TheRepositoryConfigFiltersAndTheMinimumConfidenceHoldsBack) {
  Tree tree;
  tree.dir.write("keyhound.yml", "disable: [acme.token]\n");
  tree.options.no_config = false;
  tree.options.config = (tree.dir.path() / "keyhound.yml").string();
  auto disabled = scan_with_options(tree.options);
  ASSERT_TRUE(disabled) << disabled.error().message;
  EXPECT_TRUE(disabled->findings.empty());
  EXPECT_EQ(disabled->allowed_by_config, 1u);

  // A finding below the minimum confidence is held back, not dropped.
  Tree weighed;
  weighed.dir.write("src/other.py", "SECOND = 'beta_k3m9q2w7x4z8r1t5y6u0'\n");
  weighed.options.min_confidence = "medium";
  auto outcome = scan_with_options(weighed.options);
  ASSERT_TRUE(outcome) << outcome.error().message;
  EXPECT_EQ(outcome->min_confidence, Confidence::medium);
  ASSERT_EQ(outcome->findings.size(), 1u);
  EXPECT_EQ(outcome->findings[0].rule_id, "acme.token");
  ASSERT_EQ(outcome->held_back.size(), 1u);
  EXPECT_EQ(outcome->held_back[0].rule_id, "beta.token");
  EXPECT_EQ(outcome->held_back[0].locations[0].origin.path, (weighed.dir.path() / "src/other.py").string());
}

TEST(ScanWithOptions, ErrorsNameTheOption) {
  Tree tree;
  ScanOptions both = tree.options;
  both.git = both.staged = true;
  EXPECT_EQ(scan_with_options(both).error().message, "--git and --staged cannot be combined");
  ScanOptions size = tree.options;
  size.max_file_size = "12Q";
  EXPECT_EQ(scan_with_options(size).error().message, "--max-file-size: unknown unit 'Q' (use K, M or G)");
  ScanOptions level = tree.options;
  level.min_confidence = "hihg";
  EXPECT_EQ(scan_with_options(level).error().message,
            "--min-confidence: expected low, medium or high, not 'hihg'");
  ScanOptions since = tree.options;
  since.since = "HEAD~1";
  EXPECT_EQ(scan_with_options(since).error().message, "--since, --branch and --ref need --git");
}

}  // namespace
}  // namespace keyhound
