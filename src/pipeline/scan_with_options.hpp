// The whole scan behind `keyhound scan` and every command built on one (baseline, vault, the
// editor integration): options in, filtered and weighed findings out. Prints nothing.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "config/config.hpp"
#include "finding/finding.hpp"
#include "pipeline/rule_loading.hpp"
#include "pipeline/scan.hpp"
#include "source/git.hpp"

namespace keyhound {

// What to scan and how. Text values are the CLI's own (errors name the option: --max-file-size).
struct ScanOptions {
  std::vector<std::string> paths;  // files or directories (default .); "-" is stdin; with git: the repository
  RuleOptions rules;
  unsigned threads = 0;  // 0: all cores
  std::string max_file_size = "16M";
  std::vector<std::string> excludes;
  bool follow_symlinks = false;
  bool no_decode = false;  // scan bytes only as they are
  // Git sources: history (git), or what the index adds over HEAD (staged).
  bool git = false;
  bool staged = false;
  std::string since;
  std::vector<std::string> branches;
  std::vector<std::string> refs;
  // I/N: scan one shard of the blobs (directories and git history); `keyhound merge` joins them.
  std::string shard;
  // --memory-limit SIZE: what a history scan's graph, pack caches and mapped packs may hold
  // (git/history.hpp); empty: 512M. History scans only.
  std::string memory_limit;
  // Repository config: this file, else .keyhound.yml nearest the scan root (find_nearest_config).
  std::string config;
  bool no_config = false;
  std::string min_confidence;  // low|medium|high; empty: the config's, else medium
  // Keys fingerprints: a baseline's key; empty: the user's key (user_fingerprint_key).
  std::string fingerprint_key;
  // Optional hooks, called from any thread, one at a time: a source's warnings, other warnings
  // (the fingerprint key), and live counters (a progress line).
  std::function<void(const SourceWarning&)> on_source_warning;
  std::function<void(const std::string&)> on_warning;
  ScanCounters* counters = nullptr;
};

struct ScanOutcome {
  std::unique_ptr<Matcher> matcher;  // owns the rules the findings refer to
  std::vector<Finding> findings;     // after inline allows and the config, at or above min_confidence
  std::vector<Finding> held_back;    // below min_confidence
  ScanKind kind = ScanKind::files;
  std::string root;            // directory or repository the paths are relative to
  std::string repository_uri;  // git scans with a remote (without credentials)
  std::string revision;        // git scans: HEAD's commit
  ScanStats stats;
  std::uint64_t allowed_by_config = 0;  // findings the config's allowlists and disables dropped
  Confidence min_confidence = Confidence::medium;
  bool shard = false;             // one shard of a scan: nothing held back (merge weighs each finding whole)
  std::string config_events_bus;  // the repository config's events_bus, if any
};

// Loads the rules and the repository config, picks the source, runs the scan, applies the
// config's allowlists, weighs each finding's confidence and holds back those below the minimum.
Result<ScanOutcome> scan_with_options(const ScanOptions& options);

// The repository config for this scan: options.config, else the nearest .keyhound.yml from the
// scanned path up to its repository's root (find_nearest_config), else none.
Result<RepositoryConfig> find_scan_config(const ScanOptions& options);

// The config's exclude globs as the directory walker of `scan_root` must see them: globs with a
// slash are paths from the config file's folder.
std::vector<std::string> walker_globs(const std::vector<std::string>& globs, const std::string& config_file,
                                      const std::string& scan_root);

}  // namespace keyhound
