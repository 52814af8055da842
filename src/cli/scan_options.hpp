// What `keyhound scan` shares with the commands built on a scan (baseline create/update): the
// options that choose what to scan and how, and the scan itself up to its filtered findings.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "cli/common.hpp"
#include "config/config.hpp"
#include "finding/finding.hpp"
#include "report/reporter.hpp"
#include "source/git.hpp"

namespace keyhound::cli {

struct ScanOptions {
  std::vector<std::string> paths;
  RuleOptions rules;
  unsigned threads = 0;
  std::string max_file_size = "16M";
  std::vector<std::string> excludes;
  bool follow_symlinks = false;
  bool no_decode = false;  // --no-decode: scan bytes only as they are
  bool quiet = false;
  // --strict: a scan that lost coverage (unreadable inputs, limits) exits 2, whatever it found.
  bool strict = false;
  // Git sources: --git [REPO] (history), --staged [REPO] (the index over HEAD).
  bool git = false;
  bool staged = false;
  std::string since;
  std::vector<std::string> branches;
  std::vector<std::string> refs;
  // --shard I/N: scan one shard of the blobs (directories and --git); `keyhound merge` joins them.
  std::string shard;
  // Repository config: --config FILE, else .keyhound.yml at the scan root (or repository root).
  std::string config;
  bool no_config = false;
  // --verify: ask each provider whether the secrets found still work (read-only calls).
  bool verify = false;
  bool verify_only_live = false;
  long verify_timeout = 10;
  std::string min_confidence;  // --min-confidence low|medium|high; empty: the config's, else medium
  // Report options (scan only).
  std::string format = "text";
  std::string output;
  bool show_secrets = false;
  bool no_color = false;
  bool verbose = false;
  std::string baseline;  // --baseline FILE: report only new, open and confirmed findings
  // Keys fingerprints: the baseline's key when there is one; empty: the user's key.
  std::string fingerprint_key;
  int findings_exit_code = kFindings;  // --exit-code N
  std::string events_bus;  // --events-bus NAME: publish new findings there (else the config's)
};

// The message for a version-1 baseline (unkeyed fingerprints), which only `baseline update` reads.
std::string rekey_needed(const std::string& baseline_path);

// The options that choose what is scanned and how (not how it is reported).
void add_scan_options(CLI::App& command, ScanOptions& options);

struct ScanOutcome {
  std::unique_ptr<Matcher> matcher;  // owns the rules context.rules points to
  std::vector<Finding> findings;     // after inline allows, at or above the minimum confidence
  std::vector<Finding> held_back;    // below the minimum confidence
  ReportContext context;             // kind, root, stats, rules
  std::string config_events_bus;     // the config's events_bus, if any
};

// Loads the rules and the repository config, picks the source, runs the scan (with a progress
// line on a terminal), applies the config's allowlists, weighs each finding's confidence and
// holds back those below the minimum (counted in the context). Warnings go to stderr unless quiet.
Result<ScanOutcome> scan_with_options(const ScanOptions& options);

// --events-bus: publishes one event per new finding (all of them without a baseline) to `bus`,
// counting what was published and what failed in the context; warns on stderr unless quiet.
void publish_new_findings(const std::vector<Finding>& findings, ReportContext& context, const std::string& bus,
                          bool quiet);

// "N inputs were not scanned (...)": for a scan that lost coverage; empty for one that did not.
std::string coverage_loss(const ScanStats& stats);

// The repository config for this scan: --config, else the nearest .keyhound.yml from the
// scanned path up to its repository's root (find_nearest_config), else none.
Result<RepositoryConfig> find_scan_config(const ScanOptions& options, const RepositoryInfo* repository);

// The config's exclude globs as the directory walker of `scan_root` must see them: globs with a
// slash are paths from the config file's folder.
std::vector<std::string> walker_globs(const std::vector<std::string>& globs, const std::string& config_file,
                                      const std::string& scan_root);

}  // namespace keyhound::cli
