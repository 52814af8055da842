// scan_with_options: from the options to the findings a report shows (the CLI's scan and the
// commands built on it share it, and it prints nothing).
#include "pipeline/scan_with_options.hpp"

#include <unistd.h>

#include <algorithm>
#include <future>
#include <optional>
#include <thread>

#include "filter/filter.hpp"
#include "finding/confidence.hpp"
#include "source/directory.hpp"
#include "util/shard.hpp"
#include "util/size.hpp"

namespace keyhound {
namespace {

// --min-confidence wins over the config's min_confidence; medium when neither says.
Result<Confidence> min_confidence_of(const std::string& flag, const RepositoryConfig& config) {
  if (flag.empty()) return config.min_confidence.value_or(Confidence::medium);
  if (auto level = confidence_from(flag)) return *level;
  return make_error("--min-confidence: expected low, medium or high, not '" + flag + "'");
}

}  // namespace

Result<ScanOutcome> scan_with_options(const ScanOptions& options) {
  KH_TRY_ASSIGN(auto max_size, parse_size(options.max_file_size));
  KH_TRY(min_confidence_of(options.min_confidence, {}));
  if (options.git && options.staged) return make_error("--git and --staged cannot be combined");
  if (!options.git && (!options.since.empty() || !options.branches.empty() || !options.refs.empty()))
    return make_error("--since, --branch and --ref need --git");
  std::uint64_t memory_limit = HistoryScope::kDefaultMemoryLimit;
  if (!options.memory_limit.empty()) {
    if (!options.git) return make_error("--memory-limit applies to history scans (--git)");
    KH_TRY_ASSIGN(memory_limit, parse_size(options.memory_limit, "--memory-limit"));
    if (memory_limit < HistoryScope::kMinMemoryLimit)
      return make_error("--memory-limit: " + options.memory_limit +
                        " is too small for a history scan (at least " +
                        std::to_string(HistoryScope::kMinMemoryLimit >> 20) + "M)");
  }
  std::vector<std::string> paths = options.paths.empty() ? std::vector<std::string>{"."} : options.paths;
  bool git = options.git || options.staged;
  if (git && paths.size() > 1)
    return make_error(std::string(options.git ? "--git" : "--staged") + " takes one repository");

  // The rules load on a thread of their own (about 7 ms from a warm cache) while the repository
  // is described, its config read and the source opened: a pre-commit hook waits on both.
  auto loading = std::async(std::launch::async,
                            [&options] { return load_matcher(options.rules, RuleExamples::left_out); });
  std::optional<RepositoryInfo> repository;
  if (git) {
    KH_TRY_ASSIGN(auto described, describe_repository(paths[0]));
    repository = std::move(described);
  }
  KH_TRY_ASSIGN(const RepositoryConfig repository_config, find_scan_config(options));

  SourceOptions source_options;
  source_options.max_file_size = max_size;
  source_options.exclude_globs = options.excludes;
  for (const auto* globs : {&repository_config.excludes, &repository_config.allow_paths}) {
    auto rebased = git || paths.size() > 1 ? *globs : walker_globs(*globs, repository_config.file, paths[0]);
    source_options.exclude_globs.insert(source_options.exclude_globs.end(), rebased.begin(), rebased.end());
  }
  source_options.follow_symlinks = options.follow_symlinks;
  if (!options.shard.empty()) {
    if (options.staged || (paths.size() == 1 && paths[0] == "-"))
      return make_error("--shard takes directories or --git");
    KH_TRY_ASSIGN(source_options.shard, parse_shard(options.shard));
  }

  ScanOutcome outcome;
  std::unique_ptr<Source> source;
  if (git) {
    if (options.git) {
      GitHistoryOptions history{paths[0],      options.branches,     options.refs,
                                options.since, source_options.shard, memory_limit};
      source = make_git_history_source(std::move(history), source_options);
    } else {
      source = make_git_staged_source(paths[0], source_options);
    }
    outcome.kind = options.git ? ScanKind::git : ScanKind::staged;
    outcome.root = repository->root;
    outcome.revision = repository->head;
    outcome.repository_uri = repository->remote_url;
  } else if (paths.size() == 1 && paths[0] == "-") {
    source = make_stream_source(STDIN_FILENO, "<stdin>", source_options);
    outcome.kind = ScanKind::stdin_stream;
  } else {
    source = make_directory_source(paths, source_options);
    outcome.kind = ScanKind::files;
    outcome.root = paths.size() == 1 ? paths[0] : ".";
  }
  Status opened = source->prepare();

  auto matcher = loading.get();
  if (!repository_config.rule_paths.empty()) {  // rules the config adds (rarely): load them all again
    RuleOptions rule_options = options.rules;
    const auto& added = repository_config.rule_paths;
    rule_options.rule_paths.insert(rule_options.rule_paths.end(), added.begin(), added.end());
    matcher = load_matcher(rule_options, RuleExamples::left_out);
  }
  if (!matcher) return matcher.error();
  KH_TRY(opened);
  outcome.matcher = std::move(*matcher);
  const RuleList& rules = outcome.matcher->rules();
  KH_TRY_ASSIGN(auto filter, FindingFilter::make(repository_config, rules));
  KH_TRY_ASSIGN(outcome.min_confidence, min_confidence_of(options.min_confidence, repository_config));

  ScanSettings settings;
  settings.threads = options.threads ? options.threads : std::max(1u, std::thread::hardware_concurrency());
  settings.fingerprint_key =
      options.fingerprint_key.empty() ? user_fingerprint_key(options.on_warning) : options.fingerprint_key;
  settings.honour_foreign_allow_comments = repository_config.allow_foreign_comments;
  settings.counters = options.counters;
  settings.decode = !options.no_decode;
  settings.on_warning = options.on_source_warning;
  KH_TRY_ASSIGN(auto result, run_scan(*source, *outcome.matcher, settings));

  outcome.findings = std::move(result.findings);
  outcome.stats = result.stats;
  outcome.allowed_by_config = filter.apply(outcome.findings);
  // Path evidence reads paths below what the user pointed at: scanning testdata/ does not make
  // every file in it a test file. Git paths are relative to the repository already.
  std::vector<std::string> roots = outcome.kind == ScanKind::files ? paths : std::vector<std::string>{};
  assess_findings(outcome.findings, rules, roots);
  // A shard holds back nothing: a secret's other locations may be in other shards, and `merge`
  // weighs the finding with all of them.
  outcome.shard = !options.shard.empty();
  Confidence held_below = outcome.shard ? Confidence::low : outcome.min_confidence;
  auto below =
      std::stable_partition(outcome.findings.begin(), outcome.findings.end(),
                            [&](const Finding& finding) { return finding.confidence >= held_below; });
  outcome.held_back.assign(std::make_move_iterator(below), std::make_move_iterator(outcome.findings.end()));
  outcome.findings.erase(below, outcome.findings.end());
  outcome.config_events_bus = repository_config.events_bus;
  return outcome;
}

}  // namespace keyhound
