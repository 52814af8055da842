// keyhound baseline create | update | set | list: the triage file a team commits.
#include <fmt/format.h>

#include <filesystem>
#include <iostream>

#include "baseline/apply.hpp"
#include "cli/common.hpp"
#include "cli/scan_options.hpp"
#include "util/file.hpp"

namespace keyhound::cli {
namespace {

constexpr const char* kDefaultBaseline = ".keyhound-baseline.json";

struct BaselineOptions {
  ScanCommandOptions scan;
  std::string file = kDefaultBaseline;
  bool force = false;  // create: replace an existing file
  bool prune = false;  // update: drop entries the scan no longer finds
  std::string fingerprint;
  std::string status;
  std::string note;
  bool note_given = false;
  std::string arn;  // set ... vaulted: where the secret went
};

std::string count_by_status(const Baseline& baseline) {
  std::map<std::string, std::size_t> counts;
  for (const auto& [fingerprint, entry] : baseline.entries) ++counts[to_string(entry.status)];
  std::string out;
  for (const auto& [status, count] : counts)
    out += fmt::format("{}{} {}", out.empty() ? "" : ", ", count, status);
  return out.empty() ? "empty" : out;
}

// Findings below --min-confidence are not added: say how many, so nothing is left out silently.
std::string held_back_note(std::size_t count, Confidence min_confidence) {
  if (count == 0) return "";
  return fmt::format("; {} below {} confidence not added (--min-confidence low adds them)", count,
                     to_string(min_confidence));
}

int run_create(const BaselineOptions& options) {
  if (!options.force && std::filesystem::exists(options.file))
    return fail(options.file +
                " exists: use `keyhound baseline update` to refresh it (or --force to start over)");
  Baseline baseline;
  baseline.fingerprint_key = new_fingerprint_key();
  if (baseline.fingerprint_key.empty())
    return fail("cannot draw a random fingerprint key (OpenSSL RAND_bytes)");
  ScanCommandOptions scan = options.scan;
  scan.fingerprint_key = baseline.fingerprint_key;
  auto outcome = scan_and_verify(scan);
  if (!outcome) return fail(outcome.error().message);
  update_baseline(baseline, outcome->findings, false);
  if (auto written = write_baseline(options.file, baseline); !written) return fail(written.error().message);
  std::cout << fmt::format("created {}: {} entries ({}){}\n", options.file, baseline.entries.size(),
                           count_by_status(baseline),
                           held_back_note(outcome->held_back.size(), outcome->min_confidence));
  return kClean;
}

int run_update(const BaselineOptions& options) {
  auto baseline = read_baseline(options.file);
  if (!baseline) return fail(baseline.error().message);
  bool rekeyed = baseline->fingerprint_key.empty();  // version 1: re-key it now
  if (rekeyed) baseline->fingerprint_key = new_fingerprint_key();
  if (baseline->fingerprint_key.empty())
    return fail("cannot draw a random fingerprint key (OpenSSL RAND_bytes)");
  ScanCommandOptions scan = options.scan;
  scan.fingerprint_key = baseline->fingerprint_key;
  auto outcome = scan_and_verify(scan);
  if (!outcome) return fail(outcome.error().message);
  // Pruning after a scan that did not see everything would drop entries (and the triage notes
  // on them) only because their files were not read.
  if (std::string lost = coverage_loss(outcome->stats); !lost.empty() && options.prune)
    return fail(lost + "; refusing to --prune " + options.file + " (nothing was written)");
  // An entry whose finding is now below --min-confidence is still found: refreshed, never pruned.
  std::size_t not_added = 0;
  for (auto& finding : outcome->held_back) {
    if (baseline->entries.count(finding.fingerprint))
      outcome->findings.push_back(std::move(finding));
    else
      ++not_added;
  }
  BaselineChanges changes = update_baseline(*baseline, outcome->findings, options.prune);
  if (auto written = write_baseline(options.file, *baseline); !written) return fail(written.error().message);
  std::string unseen = options.prune
                           ? fmt::format("{} not found any more, {} pruned", changes.unseen, changes.pruned)
                           : fmt::format("{} not found any more (kept; --prune drops them)", changes.unseen);
  if (rekeyed) std::cout << fmt::format("re-keyed {}: version 1 -> 2 (keyed fingerprints)\n", options.file);
  std::cout << fmt::format("updated {}: {} new (open), {} refreshed, {}; now {} entries ({}){}\n",
                           options.file, changes.added, changes.refreshed, unseen, baseline->entries.size(),
                           count_by_status(*baseline), held_back_note(not_added, outcome->min_confidence));
  return kClean;
}

int run_set(const BaselineOptions& options) {
  auto status = parse_triage_status(options.status);
  if (!status)
    return fail(
        fmt::format("unknown status '{}' (open, false_positive, accepted_risk, confirmed, vaulted, rotated)",
                    options.status));
  if (!options.arn.empty() && *status != TriageStatus::vaulted) return fail("--arn goes with status vaulted");
  if (!options.arn.empty() && options.arn.rfind("arn:", 0) != 0)
    return fail("--arn: '" + options.arn +
                "' is not an ARN (arn:aws:secretsmanager:REGION:ACCOUNT:secret:NAME)");
  auto baseline = read_baseline(options.file);
  if (!baseline) return fail(baseline.error().message);
  auto entry = find_baseline_entry(*baseline, options.fingerprint);
  if (!entry) return fail(options.file + ": " + entry.error().message);
  BaselineEntry& target = **entry;
  if (*status == TriageStatus::vaulted && options.arn.empty() && target.secret_arn.empty())
    return fail(
        fmt::format("{}: status vaulted needs --arn ARN (the secret's ARN in Secrets Manager); "
                    "`keyhound vault --fingerprint {}` stores it and records both",
                    target.fingerprint, target.fingerprint));
  if (!options.arn.empty()) target.secret_arn = options.arn;
  TriageStatus before = target.status;
  target.status = *status;
  if (options.note_given) target.note = options.note;
  if (auto written = write_baseline(options.file, *baseline); !written) return fail(written.error().message);
  std::cout << fmt::format("{} ({}): {} -> {}\n", target.fingerprint, target.rule_id, to_string(before),
                           to_string(*status));
  return kClean;
}

// Whether a work-tree file still holds the entry's secret at a recorded byte range (checked by
// its keyed HMAC; the secret itself is never known here).
bool still_in_tree(const BaselineEntry& entry, const std::string& key, const std::string& root) {
  if (key.empty() || entry.secret_hmac.empty()) return false;
  for (const auto& location : entry.locations) {
    if (location.end_offset <= location.start_offset) continue;
    std::filesystem::path path = std::filesystem::path(root) / location.path;
    auto bytes = read_whole_file(path.string());
    if (!bytes) continue;
    bool same = location.end_offset <= bytes->size() &&
                secret_hmac_of(key, std::string_view(*bytes).substr(
                                        location.start_offset,
                                        location.end_offset - location.start_offset)) == entry.secret_hmac;
    std::fill(bytes->begin(), bytes->end(), '\0');
    if (same) return true;
  }
  return false;
}

// A vaulted secret is done only once the literal is gone and the value rotated.
std::string listed_state(const BaselineEntry& entry, const std::string& key, const std::string& root) {
  if (entry.status != TriageStatus::vaulted) return to_string(entry.status);
  return still_in_tree(entry, key, root) ? kVaultedStillInCode : kNeedsRotation;
}

int run_list(const BaselineOptions& options) {
  auto baseline = read_baseline(options.file);
  if (!baseline) return fail(baseline.error().message);
  std::string root = std::filesystem::path(options.file).parent_path().string();
  if (root.empty()) root = ".";
  for (const auto& [fingerprint, entry] : baseline->entries) {
    std::string where = entry.locations.empty() ? std::string("-")
                                                : fmt::format("{}:{}", entry.locations.front().path,
                                                              entry.locations.front().line);
    if (entry.locations.size() > 1) where += fmt::format(" (+{})", entry.locations.size() - 1);
    std::cout << fmt::format("{}  {:<21} {:<32} {:<14} {}{}\n", fingerprint,
                             listed_state(entry, baseline->fingerprint_key, root), entry.rule_id,
                             entry.masked, where, entry.note.empty() ? "" : "  # " + entry.note);
  }
  std::cout << fmt::format("{} entries ({})\n", baseline->entries.size(), count_by_status(*baseline));
  return kClean;
}

void add_file_option(CLI::App& command, BaselineOptions& options) {
  command.add_option("-f,--file", options.file, "The baseline file")
      ->type_name("FILE")
      ->capture_default_str();
}

}  // namespace

void add_baseline_command(CLI::App& app, int& exit_code) {
  auto options = std::make_shared<BaselineOptions>();
  CLI::App* baseline =
      app.add_subcommand("baseline", "Create, update and triage the baseline (.keyhound-baseline.json)");
  baseline->require_subcommand(1);

  CLI::App* create =
      baseline->add_subcommand("create", "Scan (same options as scan) and write every finding as open");
  add_scan_options(*create, options->scan);
  add_file_option(*create, *options);
  create->add_flag("--force", options->force, "Replace an existing baseline");
  create->callback([options, &exit_code] { exit_code = run_create(*options); });

  CLI::App* update = baseline->add_subcommand(
      "update",
      "Scan (same options as scan): add new findings as open, keep statuses and notes, refresh locations");
  add_scan_options(*update, options->scan);
  add_file_option(*update, *options);
  update->add_flag("--prune", options->prune, "Drop entries the scan no longer finds (vaulted ones stay)");
  update->callback([options, &exit_code] { exit_code = run_update(*options); });

  CLI::App* set = baseline->add_subcommand("set", "Triage one finding: set its status (and note)");
  set->add_option("fingerprint", options->fingerprint,
                  "The finding's fingerprint (or a unique prefix of 6+ digits)")
      ->required();
  set->add_option("status", options->status,
                  "open, false_positive, accepted_risk, confirmed, vaulted (needs --arn) or rotated")
      ->required();
  set->add_option("--arn", options->arn, "With vaulted: the secret's ARN in Secrets Manager")
      ->type_name("ARN");
  set->add_option("--note", options->note, "Why (kept in the file for reviewers)")
      ->each([options](const std::string&) { options->note_given = true; });
  add_file_option(*set, *options);
  set->callback([options, &exit_code] { exit_code = run_set(*options); });

  CLI::App* list =
      baseline->add_subcommand("list", "Show every entry: fingerprint, status, rule, masked value, place");
  add_file_option(*list, *options);
  list->callback([options, &exit_code] { exit_code = run_list(*options); });
}

}  // namespace keyhound::cli
