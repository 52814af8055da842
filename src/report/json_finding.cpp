#include "report/json_finding.hpp"

#include <cmath>

#include "finding/confidence.hpp"

namespace keyhound {
namespace {

void write_reasons(JsonWriter& out, Reasons reasons) {
  out.key("reasons");
  out.begin_array();
  for (const auto& name : reason_names(reasons)) out.value(name);
  out.end_array();
}

}  // namespace

void write_location(JsonWriter& out, const Location& location) {
  out.begin_object();
  out.member("path", location.origin.path);
  out.member("line", location.line);
  out.member("column", location.column);
  out.member("end_line", location.end_line);
  out.member("end_column", location.end_column);
  out.member("start_offset", location.start_offset);
  out.member("end_offset", location.end_offset);
  out.member("blob_id", location.blob_id);
  if (!location.decoded.empty()) out.member("decoded", location.decoded);
  out.member("confidence", to_string(location.confidence));
  write_reasons(out, location.reasons);
  if (location.origin.from_git()) {
    const Origin& origin = location.origin;
    out.key("commit");
    out.begin_object();
    out.member("id", origin.commit);
    out.member("author_name", origin.author_name);
    out.member("author_email", origin.author_email);
    out.member("time", origin.commit_time);
    out.member("time_offset_minutes", origin.commit_time_offset);
    out.member("summary", origin.summary);
    out.end_object();
  }
  out.end_object();
}

void write_finding(JsonWriter& out, const Finding& finding, const ReportContext& context) {
  const Rule& rule = rule_of(finding, context);
  out.begin_object();
  out.member("fingerprint", finding.fingerprint);
  out.member("rule_id", finding.rule_id);
  out.member("rule_name", rule.name);
  out.member("confidence", to_string(finding.confidence));
  out.member("rule_confidence", to_string(finding.rule_confidence));
  write_reasons(out, finding.reasons);
  out.member("masked", finding.masked);
  out.member("entropy", std::round(finding.entropy * 100) / 100);
  if (context.baseline) out.member("baseline_status", baseline_status_of(finding, context));
  if (!finding.verification.empty()) {  // --verify
    out.member("verification", finding.verification);
    out.member("verified_identity", finding.verified_identity);
    out.member("verification_detail", finding.verification_detail);
  }
  if (context.show_secrets) out.member("secret", finding.secret);
  out.key("locations");
  out.begin_array();
  for (const auto& location : finding.locations) write_location(out, location);
  out.end_array();
  out.end_object();
}

void write_summary(JsonWriter& out, std::uint64_t findings, std::uint64_t locations,
                   const ReportContext& context) {
  const ScanStats& stats = context.stats;
  out.begin_object();
  out.member("findings", findings);
  out.member("locations", locations);
  out.member("blobs_scanned", stats.blobs_scanned);
  out.member("bytes_scanned", stats.bytes_scanned);
  out.member("skipped_binary", stats.skipped_binary);
  out.member("skipped_too_large", stats.skipped_too_large);
  out.member("unreadable", stats.unreadable);
  out.member("warnings", stats.warnings);
  // Coverage lost (unreadable inputs, limits): 0 is the only clean answer.
  out.member("not_scanned", stats.not_scanned);
  out.member("not_scanned_unreadable", stats.not_scanned - stats.not_scanned_limit);
  out.member("not_scanned_limit", stats.not_scanned_limit);
  out.member("allowed_inline", stats.allowed_inline);
  out.member("suppressed_by_baseline", context.suppressed_by_baseline);
  out.member("allowed_by_config", context.allowed_by_config);
  out.member("min_confidence", to_string(context.min_confidence));
  out.member("below_min_confidence", context.below_min_confidence);
  if (!context.events_bus.empty()) {
    out.key("events");
    out.begin_object();
    out.member("bus", context.events_bus);
    out.member("published", context.events_published);
    out.member("failed", context.events_failed);
    out.end_object();
  }
  out.member("seconds", std::round(stats.seconds * 1000) / 1000);
  out.end_object();
}

}  // namespace keyhound
