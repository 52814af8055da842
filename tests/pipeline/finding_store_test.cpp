// The finding store under --memory-limit: a history with tens of thousands of secret locations,
// scanned with a small limit (findings spilled to a temporary file and read back one at a time
// into the report) and without one, gives byte-identical json and sarif reports, while the
// limited scan's own peak RSS (VmHWM, reset first) stays under a bound the unlimited one passes.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/resource.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>

#include "pipeline/acme_token.hpp"
#include "pipeline/scan_with_options.hpp"
#include "report/reporter.hpp"
#include "rules/loader.hpp"
#include "source/directory.hpp"
#include "support/build_paths.hpp"
#include "support/peak_rss.hpp"
#include "support/support.hpp"

namespace keyhound {
namespace {

// `commits` commits, each writing two files of `per_file` lines, every line a token drawn from
// a pool of 3,000 synthetic ones made here: so most secrets have many locations, over many
// paths and commits, and some files are rewritten (new blobs at old paths).
struct DenseHistory {
  testing::TempDir dir;
  std::size_t locations = 0;

  DenseHistory(int commits, int per_file) {
    std::mt19937 random(1515);
    std::vector<std::string> pool;
    for (int i = 0; i < 3000; ++i) pool.push_back(testing::acme_token(random));
    std::string stream;
    for (int c = 0; c < commits; ++c) {
      std::string message = "commit " + std::to_string(c);
      std::string when = std::to_string(1700000000 + 60 * c) + " +0000";
      stream += "commit refs/heads/main\nauthor Alice Example <alice@example.com> " + when +
                "\ncommitter Alice Example <alice@example.com> " + when + "\ndata " +
                std::to_string(message.size()) + "\n" + message + "\n";
      for (int f = 0; f < 2; ++f) {
        std::string content;
        for (int line = 0; line < per_file; ++line)
          content += "key_" + std::to_string(line) + " = '" + pool[random() % pool.size()] + "'\n";
        std::string path =
            "dir" + std::to_string(c % 7) + "/file" + std::to_string((c * 2 + f) % 300) + ".txt";
        stream +=
            "M 100644 inline " + path + "\ndata " + std::to_string(content.size()) + "\n" + content + "\n";
      }
    }
    auto init = testing::run_command("git init -q -b main " + testing::shell_quote(dir.str()));
    EXPECT_EQ(init.exit_code, 0) << init.err;
    auto imported = testing::run_command(
        "cd " + testing::shell_quote(dir.str()) +
            " && GIT_CONFIG_NOSYSTEM=1 GIT_CONFIG_GLOBAL=/dev/null git fast-import --quiet",
        &stream);
    EXPECT_EQ(imported.exit_code, 0) << imported.err;
    dir.write("rules.yml", testing::kAcmeRule);
  }

  ScanOptions options(const std::string& memory_limit) const {
    ScanOptions options;
    options.paths = {dir.str()};
    options.git = true;
    options.memory_limit = memory_limit;
    options.rules.rule_paths = {(dir.path() / "rules.yml").string()};
    options.rules.no_builtin = true;
    options.rules.no_cache = true;
    options.no_config = true;
    options.threads = 2;
    options.fingerprint_key = std::string(64, 'f');
    options.stream_findings = true;  // as `keyhound scan` asks
    return options;
  }
};

// The context `keyhound scan` gives reporters (cli/cmd_scan.cpp), without the time taken.
ReportContext context_of(const ScanOutcome& outcome) {
  ReportContext context;
  context.rules = &outcome.matcher->rules();
  context.stats = outcome.stats;
  context.stats.seconds = 0;
  context.allowed_by_config = outcome.allowed_by_config;
  context.min_confidence = outcome.min_confidence;
  context.below_min_confidence = outcome.held_back.size() + outcome.streamed_held_back;
  context.scan_kind = outcome.kind;
  context.root = outcome.root;
  return context;
}

// Scans with `memory_limit` and writes the report in every format to files in `out`, as the
// CLI does (streamed findings straight to the file); returns how far the peak RSS grew, in MiB.
struct Scanned {
  double grown_mib = 0;
  bool spilled = false;
  std::size_t findings = 0;
};
Scanned scan_and_report(const DenseHistory& history, const std::string& memory_limit,
                        const std::filesystem::path& out) {
  std::uint64_t before = testing::reset_peak_rss();
  Scanned scanned;
  {
    auto outcome = scan_with_options(history.options(memory_limit));
    EXPECT_TRUE(outcome) << outcome.error().message;
    if (!outcome) return scanned;
    scanned.spilled = outcome->findings_spilled;
    ReportContext context = context_of(*outcome);
    for (const char* format : {"json", "sarif", "jsonl", "text"}) {
      std::ofstream file(out / (std::string("report.") + format), std::ios::binary);
      auto reporter = make_reporter(format);
      if (outcome->streamed) {
        reporter->write(*outcome->streamed, context, file);
        EXPECT_TRUE(outcome->streamed->status());
      } else {
        reporter->write(outcome->findings, context, file);
      }
    }
    if (outcome->streamed) {
      outcome->streamed->rewind();
      while (outcome->streamed->next()) ++scanned.findings;
    } else {
      scanned.findings = outcome->findings.size();
    }
  }
  scanned.grown_mib = testing::peak_growth_mib(before);
  return scanned;
}

std::string contents(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

// 800 commits of two 60-line files: 96,000 token lines, 3,000 distinct secrets. (Past 29,000
// records, 2 MB, the store under a 32M limit writes to its file.)
constexpr int kDenseCommits = 800;
constexpr int kPerFile = 60;

// In the MemoryLimit suite: ASan's shadow memory would inflate the peak (scripts/ci-hardening.sh).
TEST(MemoryLimit, SpilledFindingsGiveTheUnlimitedReportsByteForByteInLessMemory) {
  DenseHistory history(kDenseCommits, kPerFile);
  testing::TempDir limited_out, unlimited_out, spill_dir;
  const char* old_tmpdir = std::getenv("TMPDIR");
  std::string saved = old_tmpdir ? old_tmpdir : "";
  setenv("TMPDIR", spill_dir.str().c_str(), 1);
  // The limited scan first: memory the allocator keeps from it only lowers the unlimited
  // scan's measured growth, which must still be well over the bound.
  Scanned limited = scan_and_report(history, "32M", limited_out.path());
  Scanned unlimited = scan_and_report(history, "64G", unlimited_out.path());
  if (old_tmpdir)
    setenv("TMPDIR", saved.c_str(), 1);
  else
    unsetenv("TMPDIR");

  EXPECT_TRUE(limited.spilled) << "32M gives the findings 4 MB: they must have gone to the file";
  EXPECT_FALSE(unlimited.spilled);
  EXPECT_EQ(limited.findings, 3000u);
  EXPECT_EQ(unlimited.findings, 3000u);
  for (const char* format : {"json", "sarif", "jsonl", "text"}) {
    std::string name = std::string("report.") + format;
    std::string expected = contents(unlimited_out.path() / name);
    ASSERT_GT(expected.size(), 1000000u) << name;
    EXPECT_TRUE(contents(limited_out.path() / name) == expected) << name << " differs";
  }
  std::string json = contents(unlimited_out.path() / "report.json");
  EXPECT_NE(json.find("\"findings\": 3000,"), std::string::npos);
  EXPECT_NE(json.find("\"locations\": 96000,"), std::string::npos);
  // The temporary file had no name, and nothing is left behind.
  EXPECT_TRUE(std::filesystem::is_empty(spill_dir.path()));
  std::printf("peak RSS grew %.1f MiB under --memory-limit 32M (spilled), %.1f MiB without a limit\n",
              limited.grown_mib, unlimited.grown_mib);
  // The limit covers the graph, caches and findings; the program's own buffers come on top, and
  // stay under the 8 MB the MemoryLimit tests allow.
  EXPECT_LT(limited.grown_mib, 32 + 8) << "unlimited grew " << unlimited.grown_mib << " MiB";
  EXPECT_GT(unlimited.grown_mib, 64) << "the history is too small to test the bound";
}

TEST(FindingStore, AnUnwritableTempDirIsAnErrorNamingIt) {
  DenseHistory history(kDenseCommits / 2, kPerFile);
  testing::TempDir dir;
  std::string missing = (dir.path() / "no-such-dir").string();
  const char* old_tmpdir = std::getenv("TMPDIR");
  std::string saved = old_tmpdir ? old_tmpdir : "";
  setenv("TMPDIR", missing.c_str(), 1);
  auto outcome = scan_with_options(history.options("32M"));
  if (old_tmpdir)
    setenv("TMPDIR", saved.c_str(), 1);
  else
    unsetenv("TMPDIR");
  ASSERT_FALSE(outcome);
  EXPECT_EQ(outcome.error().message,
            "cannot create a temporary file in " + missing +
                " for the findings past --memory-limit's share: No such file or directory");
}

TEST(FindingStore, AFullDiskIsAnErrorNotAShortReport) {
  DenseHistory history(kDenseCommits / 2, kPerFile);
  // The file size limit stands in for a full disk: writes past 1 MB fail (EFBIG).
  testing::TempDir spill_dir;
  const char* old_tmpdir = std::getenv("TMPDIR");
  std::string saved = old_tmpdir ? old_tmpdir : "";
  setenv("TMPDIR", spill_dir.str().c_str(), 1);
  struct rlimit old_limit {};
  ASSERT_EQ(getrlimit(RLIMIT_FSIZE, &old_limit), 0);
  auto old_handler = signal(SIGXFSZ, SIG_IGN);
  struct rlimit small = old_limit;
  small.rlim_cur = 1 << 20;
  ASSERT_EQ(setrlimit(RLIMIT_FSIZE, &small), 0);
  auto outcome = scan_with_options(history.options("32M"));
  setrlimit(RLIMIT_FSIZE, &old_limit);
  signal(SIGXFSZ, old_handler);
  if (old_tmpdir)
    setenv("TMPDIR", saved.c_str(), 1);
  else
    unsetenv("TMPDIR");
  ASSERT_FALSE(outcome) << "the scan went on without its findings";
  EXPECT_EQ(outcome.error().message,
            "cannot keep the findings past --memory-limit's share in a temporary file in " + spill_dir.str() +
                ": File too large");
}

// Every field of every finding and location, one row each.
std::vector<std::string> rows(const std::vector<Finding>& findings) {
  std::vector<std::string> out;
  for (const auto& f : findings) {
    out.push_back(f.rule_id + " " + f.fingerprint + " " + f.secret_hmac + " " + f.masked + " " + f.pair +
                  " " + f.pair_field + " " + std::to_string(f.entropy) + " " +
                  std::to_string(f.locations.size()));
    for (const auto& at : f.locations)
      out.push_back("  " + at.origin.path + " " + at.origin.commit + " " + at.blob_id + " " +
                    std::to_string(at.line) + ":" + std::to_string(at.column) + "-" +
                    std::to_string(at.end_line) + ":" + std::to_string(at.end_column) + " @" +
                    std::to_string(at.start_offset) + "-" + std::to_string(at.end_offset) + " " + at.decoded +
                    " " + std::to_string(at.reasons));
  }
  return out;
}

// Files too (decoded secrets, paths of their own): run_scan with the smallest share, which
// keeps every finding in the store and its file, gives the findings of an in-memory scan.
TEST(FindingStore, TestdataThroughTheStoreGivesTheInMemoryFindings) {
  auto rules = parse_rule_sources(builtin_rule_sources());
  ASSERT_TRUE(rules) << rules.error().message;
  auto matcher = Matcher::build(std::move(*rules), MatcherOptions{KEYHOUND_TEST_CACHE_DIR});
  ASSERT_TRUE(matcher) << matcher.error().message;
  auto scan = [&](std::uint64_t finding_memory) {
    auto source = make_directory_source({testing::source_dir() + "/testdata"}, SourceOptions{});
    ScanSettings settings;
    settings.threads = 2;
    settings.fingerprint_key = std::string(64, 'd');
    settings.finding_memory = finding_memory;
    auto result = run_scan(*source, **matcher, settings);
    EXPECT_TRUE(result) << result.error().message;
    return result ? rows(result->findings) : std::vector<std::string>{};
  };
  auto expected = scan(std::uint64_t{64} << 20);
  ASSERT_GT(expected.size(), 200u);
  EXPECT_EQ(scan(1), expected);
}

}  // namespace
}  // namespace keyhound
