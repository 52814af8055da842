// keyhound scan: files, directories or stdin (git history and staged changes: --git, --staged).
#include <fmt/format.h>
#include <unistd.h>

#include <filesystem>
#include <iostream>
#include <map>
#include <set>
#include <sstream>

#include "baseline/apply.hpp"
#include "cli/common.hpp"
#include "cli/progress.hpp"
#include "cli/scan_options.hpp"
#include "report/reporter.hpp"
#include "util/file.hpp"
#include "verify/verify.hpp"

namespace keyhound::cli {
namespace {

// --verify: one read-only request per secret, then live findings first (or only those).
Status verify_outcome(const ScanCommandOptions& options, ScanOutcome& outcome) {
  VerifyOptions verify;
  verify.root = outcome.root.empty() ? "." : outcome.root;
  verify.timeout_seconds = options.verify_timeout;
  KH_TRY(read_verify_overrides(verify));
  VerifyStats stats = verify_findings(outcome.findings, outcome.matcher->rules(), verify);
  if (!options.quiet)
    std::cerr << "keyhound: verified " << stats.requests << " secrets: " << stats.live << " live, "
              << stats.revoked << " revoked, " << stats.unknown << " unknown, " << stats.error << " error\n";
  if (options.verify_only_live)
    std::erase_if(outcome.findings, [](const Finding& finding) { return finding.verification != "live"; });
  order_live_first(outcome.findings);
  return Ok{};
}

}  // namespace

Result<ScanOutcome> scan_and_verify(const ScanCommandOptions& options) {
  if (options.verify_only_live && !options.verify) return make_error("--verify-only-live needs --verify");
  if (options.verify_timeout < 1 || options.verify_timeout > 120)
    return make_error("--verify-timeout: give 1 to 120 seconds");
  ScanOptions scan = options;
  ScanCounters counters;
  scan.counters = &counters;
  ProgressLine progress(counters, options.git ? "blob" : "file", progress_wanted(options.quiet));
  if (!options.quiet) {
    scan.on_source_warning = [&progress](const SourceWarning& w) {
      progress.print_above("keyhound: warning: " + w.where + ": " + w.message);
    };
    scan.on_warning = [&progress](const std::string& message) {
      progress.print_above("keyhound: warning: " + message);
    };
  }
  auto outcome = scan_with_options(scan);
  progress.stop();
  if (outcome && options.verify) KH_TRY(verify_outcome(options, *outcome));
  return outcome;
}

ReportContext report_context_of(const ScanOutcome& outcome) {
  ReportContext context;
  context.rules = &outcome.matcher->rules();
  context.stats = outcome.stats;
  context.allowed_by_config = outcome.allowed_by_config;
  context.min_confidence = outcome.min_confidence;
  context.below_min_confidence = outcome.held_back.size();
  context.scan_kind = outcome.kind;
  context.root = outcome.root;
  context.repository_uri = outcome.repository_uri;
  context.revision = outcome.revision;
  context.shard = outcome.shard;
  return context;
}

std::string rekey_needed(const std::string& baseline_path) {
  return baseline_path +
         " is a version 1 baseline: its fingerprints are unkeyed SHA-256, which a dictionary reverses for "
         "weak passwords; run `keyhound baseline update -f " +
         baseline_path + "` (same scan options) to re-key it, keeping every triage";
}

namespace {

// Whether the work tree still holds the finding's literal at one of the paths it was seen at.
// A file scan or the index found it there; a history scan (--git) reads the checked-out files.
bool literal_in_tree(const Finding& finding, const ReportContext& context) {
  if (context.scan_kind != ScanKind::git) return true;
  std::set<std::string> paths;
  for (const auto& location : finding.locations) paths.insert(location.origin.path);
  for (const auto& path : paths) {
    if (path.empty()) continue;
    auto bytes = read_whole_file((std::filesystem::path(context.root) / path).string());
    if (!bytes) continue;
    bool found = bytes->find(finding.secret) != std::string::npos;
    std::fill(bytes->begin(), bytes->end(), '\0');
    if (found) return true;
  }
  return false;
}

int run(const ScanCommandOptions& options) {
  if (options.findings_exit_code == kError)
    return fail("--exit-code: 2 means an error; pick another code (e.g. 3)");
  if (options.events_bus.find_first_of(" \t\r\n") != std::string::npos)
    return fail("--events-bus: '" + options.events_bus + "' is not an event bus name or ARN");
  auto reporter = make_reporter(options.format);
  if (!reporter) return fail("--format: unknown format '" + options.format + "' (text, json, jsonl, sarif)");
  Baseline baseline;
  if (!options.baseline.empty()) {  // read first: a bad baseline fails before a long scan
    auto read = read_baseline(options.baseline);
    if (!read) return fail(read.error().message);
    baseline = std::move(*read);
    if (baseline.fingerprint_key.empty()) return fail(rekey_needed(options.baseline));
  }
  ScanCommandOptions keyed = options;
  keyed.fingerprint_key = baseline.fingerprint_key;
  auto outcome = scan_and_verify(keyed);
  if (!outcome) return fail(outcome.error().message);
  std::vector<Finding> findings = std::move(outcome->findings);
  ReportContext context = report_context_of(*outcome);
  std::map<std::string, std::string> baseline_states;
  if (!options.baseline.empty()) {
    auto filtered = filter_by_baseline(std::move(findings), baseline,
                                       [&context](const Finding& f) { return literal_in_tree(f, context); });
    findings = std::move(filtered.reported);
    context.suppressed_by_baseline = filtered.suppressed;
    context.baseline = &baseline;
    baseline_states = std::move(filtered.states);
    context.baseline_states = &baseline_states;
  }

  std::string events_bus = options.events_bus.empty() ? outcome->config_events_bus : options.events_bus;
  if (!events_bus.empty()) publish_new_findings(findings, context, events_bus, options.quiet);

  context.show_secrets = options.show_secrets;
  context.verbose = options.verbose;
  bool to_terminal = options.output.empty() && isatty(STDOUT_FILENO);
  context.color = to_terminal && !options.no_color && std::getenv("NO_COLOR") == nullptr;

  std::ostringstream rendered;
  reporter->write(findings, context, rendered);
  if (options.output.empty()) {
    std::cout << rendered.str() << std::flush;
  } else if (auto written = write_file_atomically(options.output, rendered.str(), Sync::no); !written) {
    return fail(written.error().message);
  }
  if (std::string lost = coverage_loss(context.stats); !lost.empty()) {
    if (options.strict) return fail(lost + " (--strict)");
    if (!options.quiet) std::cerr << "keyhound: warning: " << lost << "\n";
  }
  return findings.empty() ? kClean : options.findings_exit_code;
}

}  // namespace

std::string coverage_loss(const ScanStats& stats) {
  if (stats.not_scanned == 0) return "";
  return fmt::format(
      "{} input{} not scanned ({} unreadable, {} over a depth or path limit): the scan is incomplete",
      stats.not_scanned, stats.not_scanned == 1 ? " was" : "s were",
      stats.not_scanned - stats.not_scanned_limit, stats.not_scanned_limit);
}

void add_scan_options(CLI::App& scan, ScanCommandOptions& options) {
  scan.add_option("paths", options.paths, "Files or directories to scan (default: .); - reads stdin");
  add_rule_options(scan, options.rules);
  scan.add_option("--threads", options.threads, "Worker threads (default: all cores)");
  scan.add_option("--max-file-size", options.max_file_size,
                  "Skip larger files, with a warning (e.g. 512K, 16M)")
      ->capture_default_str();
  scan.add_option("--exclude", options.excludes, "Skip paths matching GLOB (repeatable)")
      ->type_name("GLOB")
      ->allow_extra_args(false);
  scan.add_flag("--follow-symlinks", options.follow_symlinks, "Follow symbolic links");
  scan.add_flag("--strict", options.strict, "Exit 2 when anything could not be scanned (recommended in CI)");
  scan.add_flag("--no-decode", options.no_decode,
                "Do not look for secrets inside base64, percent-encoded or escaped strings");
  scan.add_option("--config", options.config, "Repository config (default: .keyhound.yml at the scan root)")
      ->type_name("FILE");
  scan.add_flag("--no-config", options.no_config, "Ignore .keyhound.yml");
  scan.add_flag(
      "--verify", options.verify,
      "Ask each provider whether the secrets found still work (one read-only HTTPS call per secret)");
  scan.add_flag("--verify-only-live", options.verify_only_live, "With --verify: report only live secrets");
  scan.add_option("--verify-timeout", options.verify_timeout, "With --verify: seconds per provider call")
      ->capture_default_str();
  scan.add_option("--min-confidence", options.min_confidence,
                  "Report findings at this confidence or above: low, medium (default) or high; overrides "
                  "the config's min_confidence")
      ->type_name("LEVEL");
  scan.add_flag("-q,--quiet", options.quiet, "No warnings or progress on stderr");
  scan.add_flag("--git", options.git, "Scan every blob in the history of REPO (the path; default .)");
  scan.add_flag("--staged", options.staged, "Scan what the index adds over HEAD (pre-commit)");
  scan.add_option("--since", options.since, "With --git: only what commits after REV introduced")
      ->type_name("REV");
  scan.add_option("--branch", options.branches, "With --git: scan only this branch (repeatable)")
      ->type_name("NAME")
      ->allow_extra_args(false);
  scan.add_option(
          "--shard", options.shard,
          "Scan shard I of N (0 <= I < N) of the blobs, by blob id; join the reports with `keyhound merge`")
      ->type_name("I/N");
  scan.add_option(
          "--memory-limit", options.memory_limit,
          "With --git: memory for the history's tree graph, pack caches and mapped packs (default 512M; "
          "past it trees are read again instead)")
      ->type_name("SIZE");
  scan.add_option("--ref", options.refs, "With --git: scan only this revision's history (repeatable)")
      ->type_name("REV")
      ->allow_extra_args(false);
}

void add_scan_command(CLI::App& app, int& exit_code) {
  auto options = std::make_shared<ScanCommandOptions>();
  CLI::App* scan =
      app.add_subcommand("scan", "Scan files, directories, stdin (-) or git history for secrets");
  add_scan_options(*scan, *options);
  scan->add_option("--format", options->format, "Output format: text, json, jsonl, sarif")
      ->capture_default_str();
  scan->add_option("-o,--output", options->output, "Write the report to FILE (atomically) instead of stdout");
  scan->add_option("--baseline", options->baseline,
                   "Report only findings FILE does not triage away (new, open, confirmed)")
      ->type_name("FILE");
  scan->add_flag("--show-secrets", options->show_secrets, "Print secrets in full (never the default)");
  scan->add_flag("--no-color", options->no_color, "Never color the text output");
  scan->add_option("--exit-code", options->findings_exit_code,
                   "Exit code when there are findings (default 1; 2 means error)")
      ->check(CLI::Range(0, 255))
      ->type_name("N");
  scan->add_option(
          "--events-bus", options->events_bus,
          "Publish each new finding to this EventBridge bus (name or ARN; PutEvents; docs/alerts.md)")
      ->type_name("NAME");
  scan->add_flag("-v,--verbose", options->verbose, "Text: each location's own confidence and reasons");
  scan->callback([options, &exit_code] { exit_code = run(*options); });
}

}  // namespace keyhound::cli
