// --memory-limit on a history whose tree graph outweighs a small budget: the scan's own peak
// RSS (read from /proc/self/status, after resetting it) keeps to the limit where an unlimited
// scan of the same history does not, and the second pass it takes instead of memory gives
// exactly the findings and locations of the unlimited scan.
#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>
#include <random>

#include "pipeline/acme_token.hpp"
#include "pipeline/scan_with_options.hpp"
#include "support/peak_rss.hpp"
#include "support/support.hpp"

namespace keyhound {
namespace {

using testing::kAcmeRule;

// One wide directory of `files` files; each later commit changes one of them, so every commit
// has a new version of the whole directory's tree (`files` entries), and now and then plants a
// synthetic token made here. Built with git fast-import: seconds, not minutes of `git commit`.
struct WideHistory {
  testing::TempDir dir;
  std::size_t planted = 0;

  WideHistory(int files, int commits) {
    std::mt19937 random(15);
    auto token = [&] { return testing::acme_token(random); };
    auto file = [](int f) { return "wide/file" + std::to_string(f) + ".txt"; };
    std::string stream;
    auto put = [&](const std::string& path, const std::string& content) {
      stream +=
          "M 100644 inline " + path + "\ndata " + std::to_string(content.size()) + "\n" + content + "\n";
    };
    for (int c = 0; c < commits; ++c) {
      std::string message = "change " + std::to_string(c);
      std::string when = std::to_string(1700000000 + 60 * c) + " +0000";
      stream += "commit refs/heads/main\nauthor Alice Example <alice@example.com> " + when +
                "\ncommitter Alice Example <alice@example.com> " + when + "\ndata " +
                std::to_string(message.size()) + "\n" + message + "\n";
      if (c == 0) {
        for (int f = 0; f < files; ++f) put(file(f), "first version of " + std::to_string(f) + "\n");
        continue;
      }
      std::string content = "version " + std::to_string(c) + "\n";
      if (c % 97 == 0) {
        content += "TOKEN = '" + token() + "'\n";
        ++planted;
      }
      put(file(static_cast<int>(random() % files)), content);
    }
    auto init = testing::run_command("git init -q -b main " + testing::shell_quote(dir.str()));
    EXPECT_EQ(init.exit_code, 0) << init.err;
    auto imported = testing::run_command(
        "cd " + testing::shell_quote(dir.str()) +
            " && GIT_CONFIG_NOSYSTEM=1 GIT_CONFIG_GLOBAL=/dev/null git fast-import --quiet",
        &stream);
    EXPECT_EQ(imported.exit_code, 0) << imported.err;
  }

  ScanOptions options(const std::string& memory_limit) const {
    ScanOptions options;
    dir.write("rules.yml", kAcmeRule);
    options.paths = {dir.str()};
    options.git = true;
    options.memory_limit = memory_limit;
    options.rules.rule_paths = {(dir.path() / "rules.yml").string()};
    options.rules.no_builtin = true;
    options.rules.no_cache = true;
    options.no_config = true;
    options.threads = 2;
    options.fingerprint_key = std::string(64, 'm');
    return options;
  }
};

// Every field a report shows of each location, one row per location.
std::vector<std::string> rows(const ScanOutcome& outcome) {
  std::vector<std::string> out;
  for (const auto& finding : outcome.findings)
    for (const auto& at : finding.locations)
      out.push_back(finding.rule_id + " " + finding.fingerprint + " " + at.origin.path + " " +
                    at.origin.commit + " " + std::to_string(at.origin.commit_time) + " " + at.origin.summary +
                    " " + std::to_string(at.line) + ":" + std::to_string(at.column) + "-" +
                    std::to_string(at.end_line) + ":" + std::to_string(at.end_column) + " @" +
                    std::to_string(at.start_offset) + "-" + std::to_string(at.end_offset) + " " + at.blob_id);
  return out;
}

// How far a scan with `memory_limit` raises this process's peak RSS over what it holds before
// (the peak is reset first: writing 5 to clear_refs), in MiB, and what it found.
struct Measured {
  double grown_mib = 0;
  ScanOutcome outcome;
};
Measured scan_measured(const WideHistory& history, const std::string& memory_limit) {
  std::uint64_t before = testing::reset_peak_rss();
  auto outcome = scan_with_options(history.options(memory_limit));
  EXPECT_TRUE(outcome) << outcome.error().message;
  Measured measured;
  measured.grown_mib = testing::peak_growth_mib(before);
  if (outcome) measured.outcome = std::move(*outcome);
  return measured;
}

// 1,500 commits of a 4,000-file directory: six million tree entries, about 70 MB of graph
// (with the offsets kept while it loads) against the 16 MB a 32M limit gives it.
constexpr int kFiles = 4000;
constexpr int kCommits = 1500;

TEST(MemoryLimit, PeakMemoryOfAHistoryScanKeepsToTheLimit) {
  WideHistory history(kFiles, kCommits);
  // The limited scan first: memory the allocator keeps from it only lowers the unlimited
  // scan's measured growth, which must still be well over the limit.
  Measured limited = scan_measured(history, "32M");
  Measured unlimited = scan_measured(history, "64G");
  ASSERT_EQ(limited.outcome.findings.size(), history.planted);
  ASSERT_EQ(unlimited.outcome.findings.size(), history.planted);
  // The limit covers the history's structures; the matcher, the scan's buffers and two worker
  // threads come on top (a few MB).
  std::printf("peak RSS grew %.1f MiB under --memory-limit 32M, %.1f MiB without a limit\n",
              limited.grown_mib, unlimited.grown_mib);
  EXPECT_LT(limited.grown_mib, 32 + 8) << "unlimited grew " << unlimited.grown_mib << " MiB";
  EXPECT_GT(unlimited.grown_mib, 32 + 16) << "the history is too small to test the limit";
}

TEST(MemoryLimit, SecondPassGivesTheFindingsAndLocationsOfAnUnlimitedScan) {
  WideHistory history(kFiles, kCommits);
  auto unlimited = scan_with_options(history.options(""));
  ASSERT_TRUE(unlimited) << unlimited.error().message;
  auto limited = scan_with_options(history.options("32M"));
  ASSERT_TRUE(limited) << limited.error().message;
  auto expected = rows(*unlimited);
  ASSERT_EQ(unlimited->findings.size(), history.planted);
  ASSERT_GE(expected.size(), history.planted);
  EXPECT_EQ(rows(*limited), expected);
  EXPECT_EQ(limited->stats.blobs_scanned, unlimited->stats.blobs_scanned);
  EXPECT_EQ(limited->stats.warnings, 0u);
}

TEST(MemoryLimit, BadOrTooSmallLimitsAreErrorsNamingTheOption) {
  testing::TempDir dir;
  ScanOptions options;
  options.paths = {dir.str()};
  options.git = true;
  options.no_config = true;
  for (auto [value, message] : std::vector<std::pair<std::string, std::string>>{
           {"lots", "--memory-limit: 'lots' is not a size (e.g. 512K, 16M, 1G)"},
           {"512Q", "--memory-limit: unknown unit 'Q' (use K, M or G)"},
           {"8M", "--memory-limit: 8M is too small for a history scan (at least 32M)"},
           {"99999999999G", "--memory-limit: '99999999999G' is too large"}}) {
    options.memory_limit = value;
    auto outcome = scan_with_options(options);
    ASSERT_FALSE(outcome) << value;
    EXPECT_EQ(outcome.error().message, message);
  }
  options.git = false;
  options.memory_limit = "64M";
  auto outcome = scan_with_options(options);
  ASSERT_FALSE(outcome);
  EXPECT_EQ(outcome.error().message, "--memory-limit applies to history scans (--git)");
}

}  // namespace
}  // namespace keyhound
