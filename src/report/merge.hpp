// `keyhound merge`: json or jsonl reports of shards (scan --shard I/N), or of separate scans,
// joined into the report one scan of everything would have written.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "rules/rule.hpp"
#include "util/result.hpp"

namespace keyhound {

struct MergeOptions {
  std::string format;                        // json | jsonl; empty: the first report's
  std::optional<Confidence> min_confidence;  // empty: the reports' own (shards hold back nothing)
};

struct MergedReport {
  std::string text;
  std::string format;
  std::uint64_t findings = 0;
  std::uint64_t not_scanned = 0;  // summed from the summaries (jsonl without one: 0)
};

// Findings are united by fingerprint; their locations merged, deduplicated and ordered as a
// scan orders them; each finding's confidence and reasons are its best location's again, and
// findings below the minimum confidence are held back (and counted). Summaries are summed,
// except `seconds` (the slowest report's: shards run side by side) and `min_confidence`.
// Reports of different roots get their root in front of each path. Errors name the file.
Result<MergedReport> merge_reports(const std::vector<std::string>& paths, const MergeOptions& options);

}  // namespace keyhound
