// keyhound scan: files, directories or stdin (git history and staged changes: --git, --staged).
#include <unistd.h>

#include <fmt/format.h>

#include <algorithm>
#include <fstream>
#include <future>
#include <iostream>
#include <filesystem>
#include <map>
#include <optional>
#include <set>
#include <sstream>
#include <thread>

#include "baseline/apply.hpp"
#include "cli/common.hpp"
#include "cli/progress.hpp"
#include "cli/scan_options.hpp"
#include "filter/filter.hpp"
#include "finding/confidence.hpp"
#include "pipeline/scan.hpp"
#include "report/reporter.hpp"
#include "source/directory.hpp"
#include "source/git.hpp"
#include "util/file.hpp"
#include "verify/verify.hpp"

namespace keyhound::cli {
namespace {

Result<std::uint64_t> parse_size(const std::string& text) {
  std::size_t used = 0;
  unsigned long long value = 0;
  try {
    value = std::stoull(text, &used);
  } catch (const std::exception&) {
    return make_error("--max-file-size: '" + text + "' is not a size (e.g. 512K, 16M, 1G)");
  }
  std::string unit = text.substr(used);
  std::uint64_t scale = 1;
  if (unit == "" || unit == "B") scale = 1;
  else if (unit == "K" || unit == "KB" || unit == "KiB") scale = 1ull << 10;
  else if (unit == "M" || unit == "MB" || unit == "MiB") scale = 1ull << 20;
  else if (unit == "G" || unit == "GB" || unit == "GiB") scale = 1ull << 30;
  else return make_error("--max-file-size: unknown unit '" + unit + "' (use K, M or G)");
  return value * scale;
}

// --verify: one read-only request per secret, then live findings first (or only those).
Status verify_outcome(const ScanOptions& options, ScanOutcome& outcome) {
  VerifyOptions verify;
  verify.root = outcome.context.root.empty() ? "." : outcome.context.root;
  verify.timeout_seconds = options.verify_timeout;
  KH_TRY(read_verify_overrides(verify));
  VerifyStats stats = verify_findings(outcome.findings, outcome.matcher->rules(), verify);
  if (!options.quiet)
    std::cerr << "keyhound: verified " << stats.requests << " secrets: " << stats.live << " live, " << stats.revoked
              << " revoked, " << stats.unknown << " unknown, " << stats.error << " error\n";
  if (options.verify_only_live)
    std::erase_if(outcome.findings, [](const Finding& finding) { return finding.verification != "live"; });
  order_live_first(outcome.findings);
  return Ok{};
}

// --min-confidence wins over the config's min_confidence; medium when neither says.
Result<Confidence> min_confidence_of(const std::string& flag, const RepositoryConfig& config) {
  if (flag.empty()) return config.min_confidence.value_or(Confidence::medium);
  for (Confidence level : {Confidence::low, Confidence::medium, Confidence::high})
    if (flag == to_string(level)) return level;
  return make_error("--min-confidence: expected low, medium or high, not '" + flag + "'");
}

}  // namespace

Result<ScanOutcome> scan_with_options(const ScanOptions& options) {
  KH_TRY_ASSIGN(auto max_size, parse_size(options.max_file_size));
  if (auto flag = min_confidence_of(options.min_confidence, {}); !flag) return flag.error();
  if (options.git && options.staged) return make_error("--git and --staged cannot be combined");
  if (!options.git && (!options.since.empty() || !options.branches.empty() || !options.refs.empty()))
    return make_error("--since, --branch and --ref need --git");
  if (options.verify_only_live && !options.verify) return make_error("--verify-only-live needs --verify");
  if (options.verify_timeout < 1 || options.verify_timeout > 120)
    return make_error("--verify-timeout: give 1 to 120 seconds");
  std::vector<std::string> paths = options.paths.empty() ? std::vector<std::string>{"."} : options.paths;
  bool git = options.git || options.staged;
  if (git && paths.size() > 1) return make_error(std::string(options.git ? "--git" : "--staged") + " takes one repository");

  // The rules load on a thread of their own (about 7 ms from a warm cache) while the repository
  // is described, its config read and the source opened: a pre-commit hook waits on both.
  auto loading = std::async(std::launch::async, [&options] { return load_matcher(options.rules); });
  std::optional<RepositoryInfo> repository;
  if (git) {
    KH_TRY_ASSIGN(auto described, describe_repository(paths[0]));
    repository = std::move(described);
  }
  KH_TRY_ASSIGN(auto config, find_scan_config(options, repository ? &*repository : nullptr));
  const RepositoryConfig& repository_config = config;

  SourceOptions source_options;
  source_options.max_file_size = max_size;
  source_options.exclude_globs = options.excludes;
  for (const auto* globs : {&repository_config.excludes, &repository_config.allow_paths}) {
    auto rebased = git || paths.size() > 1 ? *globs : walker_globs(*globs, repository_config.file, paths[0]);
    source_options.exclude_globs.insert(source_options.exclude_globs.end(), rebased.begin(), rebased.end());
  }
  source_options.follow_symlinks = options.follow_symlinks;

  std::unique_ptr<Source> source;
  ReportContext context;
  if (git) {
    if (options.git) {
      GitHistoryOptions history{paths[0], options.branches, options.refs, options.since};
      source = make_git_history_source(std::move(history), source_options);
    } else {
      source = make_git_staged_source(paths[0], source_options);
    }
    context.scan_kind = options.git ? ScanKind::git : ScanKind::staged;
    context.root = repository->root;
    context.revision = repository->head;
    context.repository_uri = repository->remote_url;
  } else if (paths.size() == 1 && paths[0] == "-") {
    source = make_stream_source(STDIN_FILENO, "<stdin>", source_options);
    context.scan_kind = ScanKind::stdin_stream;
  } else {
    source = make_directory_source(paths, source_options);
    context.scan_kind = ScanKind::files;
    context.root = paths.size() == 1 ? paths[0] : ".";
  }
  Status opened = source->prepare();

  auto matcher = loading.get();
  if (!repository_config.rule_paths.empty()) {  // rules the config adds (rarely): load them all again
    RuleOptions rule_options = options.rules;
    const auto& added = repository_config.rule_paths;
    rule_options.rule_paths.insert(rule_options.rule_paths.end(), added.begin(), added.end());
    matcher = load_matcher(rule_options);
  }
  if (!matcher) return matcher.error();
  if (!opened) return opened.error();
  KH_TRY_ASSIGN(auto filter, FindingFilter::make(repository_config, (*matcher)->rules()));
  KH_TRY_ASSIGN(auto min_confidence, min_confidence_of(options.min_confidence, repository_config));

  ScanSettings settings;
  settings.threads = options.threads ? options.threads : std::max(1u, std::thread::hardware_concurrency());
  settings.fingerprint_key = options.fingerprint_key.empty() ? user_fingerprint_key() : options.fingerprint_key;
  settings.honour_foreign_allow_comments = repository_config.allow_foreign_comments;
  ScanCounters counters;
  settings.counters = &counters;
  settings.decode = !options.no_decode;
  ProgressLine progress(counters, context.scan_kind == ScanKind::git ? "blob" : "file", progress_wanted(options.quiet));
  if (!options.quiet)
    settings.on_warning = [&progress](const SourceWarning& w) {
      progress.print_above("keyhound: warning: " + w.where + ": " + w.message);
    };
  auto result = run_scan(*source, **matcher, settings);
  progress.stop();
  if (!result) return result.error();

  ScanOutcome outcome;
  outcome.matcher = std::move(*matcher);
  outcome.findings = std::move(result->findings);
  outcome.context = std::move(context);
  outcome.context.rules = &outcome.matcher->rules();
  outcome.context.stats = result->stats;
  outcome.context.allowed_by_config = filter.apply(outcome.findings);
  // Path evidence reads paths below what the user pointed at: scanning testdata/ does not make
  // every file in it a test file. Git paths are relative to the repository already.
  std::vector<std::string> roots = outcome.context.scan_kind == ScanKind::files ? paths : std::vector<std::string>{};
  assess_findings(outcome.findings, outcome.matcher->rules(), roots);
  outcome.context.min_confidence = min_confidence;
  auto below =
      std::stable_partition(outcome.findings.begin(), outcome.findings.end(),
                            [&](const Finding& finding) { return finding.confidence >= min_confidence; });
  outcome.held_back.assign(std::make_move_iterator(below), std::make_move_iterator(outcome.findings.end()));
  outcome.findings.erase(below, outcome.findings.end());
  outcome.context.below_min_confidence = outcome.held_back.size();
  if (options.verify) KH_TRY(verify_outcome(options, outcome));
  return outcome;
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

int run(const ScanOptions& options) {
  if (options.findings_exit_code == kError) return fail("--exit-code: 2 means an error; pick another code (e.g. 3)");
  auto reporter = make_reporter(options.format);
  if (!reporter) return fail("--format: unknown format '" + options.format + "' (text, json, jsonl, sarif)");
  Baseline baseline;
  if (!options.baseline.empty()) {  // read first: a bad baseline fails before a long scan
    auto read = read_baseline(options.baseline);
    if (!read) return fail(read.error().message);
    baseline = std::move(*read);
    if (baseline.fingerprint_key.empty()) return fail(rekey_needed(options.baseline));
  }
  ScanOptions keyed = options;
  keyed.fingerprint_key = baseline.fingerprint_key;
  auto outcome = scan_with_options(keyed);
  if (!outcome) return fail(outcome.error().message);
  std::vector<Finding> findings = std::move(outcome->findings);
  ReportContext& context = outcome->context;
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
  return fmt::format("{} input{} not scanned ({} unreadable, {} over a depth or path limit): the scan is incomplete",
                     stats.not_scanned, stats.not_scanned == 1 ? " was" : "s were",
                     stats.not_scanned - stats.not_scanned_limit, stats.not_scanned_limit);
}

void add_scan_options(CLI::App& scan, ScanOptions& options) {
  scan.add_option("paths", options.paths, "Files or directories to scan (default: .); - reads stdin");
  add_rule_options(scan, options.rules);
  scan.add_option("--threads", options.threads, "Worker threads (default: all cores)");
  scan.add_option("--max-file-size", options.max_file_size, "Skip larger files, with a warning (e.g. 512K, 16M)")
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
  scan.add_flag("--verify", options.verify,
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
  scan.add_option("--ref", options.refs, "With --git: scan only this revision's history (repeatable)")
      ->type_name("REV")
      ->allow_extra_args(false);
}

void add_scan_command(CLI::App& app, int& exit_code) {
  auto options = std::make_shared<ScanOptions>();
  CLI::App* scan = app.add_subcommand("scan", "Scan files, directories, stdin (-) or git history for secrets");
  add_scan_options(*scan, *options);
  scan->add_option("--format", options->format, "Output format: text, json, jsonl, sarif")->capture_default_str();
  scan->add_option("-o,--output", options->output, "Write the report to FILE (atomically) instead of stdout");
  scan->add_option("--baseline", options->baseline, "Report only findings FILE does not triage away (new, open, confirmed)")
      ->type_name("FILE");
  scan->add_flag("--show-secrets", options->show_secrets, "Print secrets in full (never the default)");
  scan->add_flag("--no-color", options->no_color, "Never color the text output");
  scan->add_option("--exit-code", options->findings_exit_code, "Exit code when there are findings (default 1; 2 means error)")
      ->check(CLI::Range(0, 255))
      ->type_name("N");
  scan->add_flag("-v,--verbose", options->verbose, "Text: each location's own confidence and reasons");
  scan->callback([options, &exit_code] { exit_code = run(*options); });
}

}  // namespace keyhound::cli
