// Reporters turn findings into one output format each (text, json, jsonl, sarif).
#pragma once

#include <map>
#include <memory>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

#include "baseline/baseline.hpp"
#include "finding/finding.hpp"
#include "pipeline/scan.hpp"
#include "rules/rule.hpp"

namespace keyhound {

struct ReportContext {
  const RuleList* rules = nullptr;  // every rule of the scan, for names and metadata
  ScanStats stats;
  std::uint64_t suppressed_by_baseline = 0;
  const Baseline* baseline = nullptr;  // with --baseline: reports say which findings are new
  // With --baseline: vaulted secrets still found (vaulted-still-in-code, needs-rotation).
  const std::map<std::string, std::string>* baseline_states = nullptr;
  std::uint64_t allowed_by_config = 0;          // findings dropped by .keyhound.yml (allowlist, disable)
  Confidence min_confidence = Confidence::low;  // --min-confidence (or the config's)
  std::uint64_t below_min_confidence = 0;       // findings it held back
  ScanKind scan_kind = ScanKind::files;
  std::string root;            // directory or repository the paths are relative to
  std::string repository_uri;  // for git scans with a remote, else empty
  std::string revision;        // for git scans: HEAD's commit, else empty
  std::string branch;          // for git scans: HEAD's branch when known, else empty
  // --shard: findings below min_confidence are kept (merge holds them back), and a jsonl
  // report ends with a line holding the tool, scan and summary objects, for `keyhound merge`.
  bool shard = false;
  // With --events-bus: where new findings were published, how many made it and how many did not.
  std::string events_bus;
  std::uint64_t events_published = 0;
  std::uint64_t events_failed = 0;
  bool show_secrets = false;
  bool color = false;
  bool verbose = false;  // text: each location's own confidence and reasons
};

class Reporter {
 public:
  virtual ~Reporter() = default;
  virtual void write(const std::vector<Finding>& findings, const ReportContext& context,
                     std::ostream& out) = 0;
};

// nullptr for an unknown format.
std::unique_ptr<Reporter> make_reporter(std::string_view format);

// The rule a finding was made by (findings always come from rules in the context).
const Rule& rule_of(const Finding& finding, const ReportContext& context);

// With a baseline: "new", or the finding's triage status in it ("open", "confirmed"); else "".
std::string baseline_status_of(const Finding& finding, const ReportContext& context);

}  // namespace keyhound
