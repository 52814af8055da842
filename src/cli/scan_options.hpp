// What `keyhound scan` shares with the commands built on a scan (baseline create/update, vault
// --only-live): the scan options (pipeline/scan_with_options.hpp) with the CLI's own around
// them, and the scan with a progress line and --verify.
#pragma once

#include <string>

#include "cli/common.hpp"
#include "pipeline/scan_with_options.hpp"
#include "report/reporter.hpp"

namespace keyhound::cli {

struct ScanCommandOptions : ScanOptions {
  bool quiet = false;
  // --strict: a scan that lost coverage (unreadable inputs, limits) exits 2, whatever it found.
  bool strict = false;
  // --verify: ask each provider whether the secrets found still work (read-only calls).
  bool verify = false;
  bool verify_only_live = false;
  long verify_timeout = 10;
  // Report options (scan only).
  std::string format = "text";
  std::string output;
  bool show_secrets = false;
  bool no_color = false;
  bool verbose = false;
  std::string baseline;                // --baseline FILE: report only new, open and confirmed findings
  int findings_exit_code = kFindings;  // --exit-code N
  std::string events_bus;              // --events-bus NAME: publish new findings there (else the config's)
};

// The message for a version-1 baseline (unkeyed fingerprints), which only `baseline update` reads.
std::string rekey_needed(const std::string& baseline_path);

// The options that choose what is scanned and how (not how it is reported).
void add_scan_options(CLI::App& command, ScanCommandOptions& options);

// scan_with_options with warnings and a progress line on stderr (unless quiet), then --verify.
Result<ScanOutcome> scan_and_verify(const ScanCommandOptions& options);

// What the reporters are told of the scan (the CLI adds the baseline and display options).
ReportContext report_context_of(const ScanOutcome& outcome);

// --events-bus: publishes one event per new finding (all of them without a baseline) to `bus`,
// counting what was published and what failed in the context; warns on stderr unless quiet.
void publish_new_findings(const std::vector<Finding>& findings, ReportContext& context,
                          const std::string& bus, bool quiet);

// "N inputs were not scanned (...)": for a scan that lost coverage; empty for one that did not.
std::string coverage_loss(const ScanStats& stats);

}  // namespace keyhound::cli
