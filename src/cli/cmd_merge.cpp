// keyhound merge: the reports of `scan --shard I/N` runs (or of separate scans) joined into one,
// with the exit code the scan of everything would have given.
#include <iostream>

#include "cli/common.hpp"
#include "report/merge.hpp"
#include "util/file.hpp"

namespace keyhound::cli {
namespace {

struct MergeCommandOptions {
  std::vector<std::string> reports;
  std::string format;
  std::string output;
  std::string min_confidence;
  bool strict = false;
  int findings_exit_code = kFindings;
};

int run_merge(const MergeCommandOptions& options) {
  if (options.findings_exit_code == kError)
    return fail("--exit-code: 2 means an error; pick another code (e.g. 3)");
  MergeOptions merge;
  merge.format = options.format;
  if (!options.min_confidence.empty()) {
    merge.min_confidence = confidence_from(options.min_confidence);
    if (!merge.min_confidence)
      return fail("--min-confidence: expected low, medium or high, not '" + options.min_confidence + "'");
  }
  auto merged = merge_reports(options.reports, merge);
  if (!merged) return fail(merged.error().message);
  if (options.output.empty()) {
    std::cout << merged->text << std::flush;
  } else if (auto written = write_file_atomically(options.output, merged->text, Sync::no); !written) {
    return fail(written.error().message);
  }
  if (merged->not_scanned > 0) {
    std::string lost =
        std::to_string(merged->not_scanned) + " input(s) were not scanned: the scan is incomplete";
    if (options.strict) return fail(lost + " (--strict)");
    warn(lost);
  }
  return merged->findings == 0 ? kClean : options.findings_exit_code;
}

}  // namespace

void add_merge_command(CLI::App& app, int& exit_code) {
  auto options = std::make_shared<MergeCommandOptions>();
  CLI::App* merge = app.add_subcommand(
      "merge", "Join json/jsonl reports (of scan --shard I/N runs) into the report of one scan");
  merge->add_option("reports", options->reports, "Reports to join")->required();
  merge->add_option("--format", options->format,
                    "Output format: json or jsonl (default: the first report's)");
  merge->add_option("-o,--output", options->output,
                    "Write the report to FILE (atomically) instead of stdout");
  merge
      ->add_option("--min-confidence", options->min_confidence,
                   "Hold back findings below low, medium or high (default: the reports' own)")
      ->type_name("LEVEL");
  merge->add_flag("--strict", options->strict, "Exit 2 when any report's scan could not read everything");
  merge
      ->add_option("--exit-code", options->findings_exit_code,
                   "Exit code when there are findings (default 1)")
      ->check(CLI::Range(0, 255))
      ->type_name("N");
  merge->callback([options, &exit_code] { exit_code = run_merge(*options); });
}

}  // namespace keyhound::cli
