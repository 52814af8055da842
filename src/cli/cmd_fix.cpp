// keyhound fix [PATH]: replaces the literal of every vaulted secret in the work tree by code that
// reads it at run time (src/fix), never touching a file that changed since the scan.
#include <fmt/format.h>

#include <filesystem>
#include <iostream>
#include <map>
#include <set>

#include "baseline/apply.hpp"
#include "baseline/baseline.hpp"
#include "cli/common.hpp"
#include "cli/scan_options.hpp"
#include "finding/finding.hpp"
#include "fix/rewrite.hpp"
#include "source/blob.hpp"
#include "util/file.hpp"

namespace keyhound::cli {
namespace {

struct FixOptions {
  std::string path = ".";
  std::string baseline;  // default PATH/.keyhound-baseline.json
  std::vector<std::string> fingerprints;
  bool dry_run = false;
};

struct FileSites {
  std::string blob_id;  // what the scan read; the file must still be exactly that
  std::vector<SecretSite> sites;
  std::vector<std::string> fingerprints;
  std::vector<const BaselineEntry*> entries;
  std::vector<BaselineLocation> locations;
};

int run(const FixOptions& options) {
  std::string baseline_path = options.baseline.empty()
                                  ? (std::filesystem::path(options.path) / ".keyhound-baseline.json").string()
                                  : options.baseline;
  auto baseline = read_baseline(baseline_path);
  if (!baseline) return fail(baseline.error().message);
  if (baseline->fingerprint_key.empty()) return fail(rekey_needed(baseline_path));

  std::set<std::string> wanted;
  for (const auto& given : options.fingerprints) {
    auto entry = find_baseline_entry(*baseline, given);
    if (!entry) return fail(baseline_path + ": " + entry.error().message);
    if ((*entry)->status != TriageStatus::vaulted)
      return fail(fmt::format("{}: fingerprint {} is {}, not vaulted: `keyhound vault --fingerprint {}` first",
                              baseline_path, (*entry)->fingerprint, to_string((*entry)->status),
                              (*entry)->fingerprint));
    wanted.insert((*entry)->fingerprint);
  }
  std::map<std::string, FileSites> by_path;
  for (const auto& [fingerprint, entry] : baseline->entries) {
    if (entry.status != TriageStatus::vaulted || entry.secret_name.empty()) continue;
    if (!wanted.empty() && !wanted.count(fingerprint)) continue;
    for (const auto& location : entry.locations) {
      if (!location.commit.empty()) continue;  // history: rotation, not fix, deals with it
      FileSites& file = by_path[location.path];
      if (!file.blob_id.empty() && file.blob_id != location.blob_id) {
        file.blob_id = "(several)";  // entries from scans of different versions: refuse below
      } else {
        file.blob_id = location.blob_id;
      }
      std::string identifier = "secret_" + fingerprint.substr(0, 8);
      file.sites.push_back({location.start_offset, location.end_offset, entry.secret_name, identifier});
      file.entries.push_back(&entry);
      file.locations.push_back(location);
    }
  }
  if (by_path.empty()) {
    std::cout << "nothing to fix: no vaulted secret in " << baseline_path << " has a work-tree location\n";
    return kClean;
  }

  bool failed = false;
  std::size_t rewritten = 0;
  for (auto& [relative, file] : by_path) {
    std::string full = (std::filesystem::path(options.path) / relative).string();
    auto bytes = read_whole_file(full);
    if (!bytes) {
      warn(relative + ": " + bytes.error().message);
      failed = true;
      continue;
    }
    std::string now = git_blob_id(*bytes);
    if (now != file.blob_id) {
      warn(fmt::format("{}: changed since the scan (blob {} recorded, {} now); nothing was changed in it: run "
                       "`keyhound baseline update` and fix again",
                       relative, file.blob_id.substr(0, 12), now.substr(0, 12)));
      failed = true;
      continue;
    }
    // Belt and braces: each range must still hold its secret.
    bool intact = true;
    for (std::size_t i = 0; i < file.sites.size(); ++i) {
      const auto& site = file.sites[i];
      intact = intact && site.end <= bytes->size() && site.start < site.end &&
               secret_hmac_of(baseline->fingerprint_key,
                              std::string_view(*bytes).substr(site.start, site.end - site.start)) ==
                   file.entries[i]->secret_hmac;
    }
    if (!intact) {
      warn(relative + ": a recorded byte range no longer holds its secret; nothing was changed in it");
      failed = true;
      continue;
    }
    std::sort(file.sites.begin(), file.sites.end(),
              [](const SecretSite& a, const SecretSite& b) { return a.start < b.start; });
    FileLanguage language = language_of_path(relative);
    auto edits = plan_rewrite(*bytes, file.sites, language);
    if (!edits) {
      warn(relative + ": " + edits.error().message);
      failed = true;
      continue;
    }
    std::string after = apply_edits(*bytes, *edits);
    if (options.dry_run) {
      std::cout << unified_diff(relative, *bytes, after);
    } else if (auto written = write_file_atomically(full, after); !written) {
      warn(written.error().message);
      failed = true;
      continue;
    } else {
      std::cout << fmt::format("fixed {} ({}, {} secret{})\n", relative, to_string(language), file.sites.size(),
                               file.sites.size() == 1 ? "" : "s");
    }
    ++rewritten;
  }
  if (!options.dry_run && rewritten)
    std::cout << "then: `keyhound baseline update`, review and commit; the old values stay in the history "
                 "until rotated (`keyhound vault --rotate`)\n";
  return failed ? kError : kClean;
}

}  // namespace

void add_fix_command(CLI::App& app, int& exit_code) {
  auto options = std::make_shared<FixOptions>();
  CLI::App* fix = app.add_subcommand("fix", "Replace vaulted secrets in the work tree by code that reads them");
  fix->add_option("path", options->path, "Work tree the baseline's paths belong to (default: .)");
  fix->add_option("--baseline", options->baseline, "Baseline file (default: PATH/.keyhound-baseline.json)");
  fix->add_option("--fingerprint", options->fingerprints, "Only this vaulted finding (repeatable; 6+ digit prefix)")
      ->type_name("FP")
      ->allow_extra_args(false);
  fix->add_flag("--dry-run", options->dry_run, "Print the change as a unified diff; write nothing");
  fix->callback([options, &exit_code] { exit_code = run(*options); });
}

}  // namespace keyhound::cli
