#include "report/json_finding.hpp"

#include <cmath>

namespace keyhound {

nlohmann::ordered_json location_to_json(const Location& location) {
  nlohmann::ordered_json out;
  out["path"] = location.origin.path;
  out["line"] = location.line;
  out["column"] = location.column;
  out["end_line"] = location.end_line;
  out["end_column"] = location.end_column;
  out["start_offset"] = location.start_offset;
  out["end_offset"] = location.end_offset;
  out["blob_id"] = location.blob_id;
  if (location.origin.from_git()) {
    const Origin& origin = location.origin;
    out["commit"] = {{"id", origin.commit},
                     {"author_name", origin.author_name},
                     {"author_email", origin.author_email},
                     {"time", origin.commit_time},
                     {"time_offset_minutes", origin.commit_time_offset},
                     {"summary", origin.summary}};
  }
  return out;
}

nlohmann::ordered_json finding_to_json(const Finding& finding, const ReportContext& context) {
  const Rule& rule = rule_of(finding, context);
  nlohmann::ordered_json out;
  out["fingerprint"] = finding.fingerprint;
  out["rule_id"] = finding.rule_id;
  out["rule_name"] = rule.name;
  out["confidence"] = to_string(rule.confidence);
  out["masked"] = finding.masked;
  out["secret_sha256"] = finding.secret_sha256;
  out["entropy"] = std::round(finding.entropy * 100) / 100;
  if (context.baseline) out["baseline_status"] = baseline_status_of(finding, context);
  if (context.show_secrets) out["secret"] = finding.secret;
  auto& locations = out["locations"] = nlohmann::ordered_json::array();
  for (const auto& location : finding.locations) locations.push_back(location_to_json(location));
  return out;
}

nlohmann::ordered_json summary_to_json(const std::vector<Finding>& findings, const ReportContext& context) {
  std::size_t locations = 0;
  for (const auto& finding : findings) locations += finding.locations.size();
  const ScanStats& stats = context.stats;
  return {{"findings", findings.size()},
          {"locations", locations},
          {"blobs_scanned", stats.blobs_scanned},
          {"bytes_scanned", stats.bytes_scanned},
          {"skipped_binary", stats.skipped_binary},
          {"skipped_too_large", stats.skipped_too_large},
          {"unreadable", stats.unreadable},
          {"warnings", stats.warnings},
          {"allowed_inline", stats.allowed_inline},
          {"suppressed_by_baseline", context.suppressed_by_baseline},
          {"allowed_by_config", context.allowed_by_config},
          {"seconds", std::round(stats.seconds * 1000) / 1000}};
}

}  // namespace keyhound
