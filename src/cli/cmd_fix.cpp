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
#include "fix/fix.hpp"
#include "util/file.hpp"
#include "vault/wipe.hpp"

namespace keyhound::cli {
namespace {

struct FixOptions {
  std::string path = ".";
  std::string baseline;  // default PATH/.keyhound-baseline.json
  std::vector<std::string> fingerprints;
  bool dry_run = false;
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
      return fail(fmt::format(
          "{}: fingerprint {} is {}, not vaulted: `keyhound vault --fingerprint {}` first", baseline_path,
          (*entry)->fingerprint, to_string((*entry)->status), (*entry)->fingerprint));
    wanted.insert((*entry)->fingerprint);
  }
  std::vector<FileToFix> files = files_to_fix(*baseline, wanted);
  if (files.empty()) {
    std::cout << "nothing to fix: no vaulted secret in " << baseline_path << " has a work-tree location\n";
    return kClean;
  }

  bool failed = false;
  std::size_t rewritten = 0;
  for (const auto& file : files) {
    std::string full = (std::filesystem::path(options.path) / file.path).string();
    auto bytes = read_whole_file(full);
    if (!bytes) {
      warn(bytes.error().message);
      failed = true;
      continue;
    }
    auto fixed = fix_file(file, *bytes, baseline->fingerprint_key);
    wipe(*bytes);
    if (!fixed) {
      warn(fixed.error().message);
      failed = true;
      continue;
    }
    if (options.dry_run) {
      std::cout << fixed->diff;
    } else if (auto written = write_file_atomically(full, fixed->after); !written) {
      warn(written.error().message);
      failed = true;
      continue;
    } else {
      std::cout << fmt::format("fixed {} ({}, {} secret{})\n", file.path, to_string(fixed->language),
                               file.sites.size(), file.sites.size() == 1 ? "" : "s");
      // The literal is gone from this file: the baseline stops pointing there (at once, atomically,
      // so a second run does not try the rewritten file again).
      for (auto& [fingerprint, entry] : baseline->entries) {
        if (entry.status != TriageStatus::vaulted || (!wanted.empty() && !wanted.count(fingerprint)))
          continue;
        std::erase_if(entry.locations, [&](const BaselineLocation& location) {
          return location.commit.empty() && location.path == file.path;
        });
      }
      if (auto saved = write_baseline(baseline_path, *baseline); !saved) {
        warn(saved.error().message);
        return kError;
      }
    }
    ++rewritten;
  }
  if (!options.dry_run && rewritten)
    std::cout << "then: review, `keyhound baseline update`, commit; the old values stay in the history until "
                 "rotated (`keyhound vault --rotate`)\n";
  return failed ? kError : kClean;
}

}  // namespace

void add_fix_command(CLI::App& app, int& exit_code) {
  auto options = std::make_shared<FixOptions>();
  CLI::App* fix =
      app.add_subcommand("fix", "Replace vaulted secrets in the work tree by code that reads them");
  fix->add_option("path", options->path, "Work tree the baseline's paths belong to (default: .)");
  fix->add_option("--baseline", options->baseline, "Baseline file (default: PATH/.keyhound-baseline.json)");
  fix->add_option("--fingerprint", options->fingerprints,
                  "Only this vaulted finding (repeatable; 6+ digit prefix)")
      ->type_name("FP")
      ->allow_extra_args(false);
  fix->add_flag("--dry-run", options->dry_run, "Print the change as a unified diff; write nothing");
  fix->callback([options, &exit_code] { exit_code = run(*options); });
}

}  // namespace keyhound::cli
