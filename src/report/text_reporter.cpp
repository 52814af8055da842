// text: for a person at a terminal, one block per finding (high confidence first, with the
// reasons behind each level) and a summary line.
#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <ctime>

#include "finding/confidence.hpp"
#include "report/reporter.hpp"
#include "util/time_format.hpp"

namespace keyhound {
namespace {

struct Palette {
  const char* bold = "";
  const char* red = "";
  const char* yellow = "";
  const char* dim = "";
  const char* cyan = "";
  const char* reset = "";
};

Palette palette_for(bool color) {
  if (!color) return {};
  return {"\033[1m", "\033[1;31m", "\033[33m", "\033[2m", "\033[36m", "\033[0m"};
}

std::string human_bytes(std::uint64_t bytes) {
  const char* units[] = {"B", "KB", "MB", "GB", "TB"};
  double value = static_cast<double>(bytes);
  int unit = 0;
  while (value >= 1000 && unit < 4) {
    value /= 1000;
    ++unit;
  }
  return unit == 0 ? fmt::format("{} B", bytes) : fmt::format("{:.1f} {}", value, units[unit]);
}

std::string plural(std::uint64_t count, const char* word) {
  return fmt::format("{} {}{}", count, word, count == 1 ? "" : "s");
}

// Control characters in a path or commit message must not drive the terminal.
std::string printable(std::string_view text) {
  std::string out;
  for (unsigned char c : text) {
    if (c < 0x20 || c == 0x7f)
      out += fmt::format("\\x{:02x}", c);
    else
      out.push_back(static_cast<char>(c));
  }
  return out;
}

// The commit's date in its author's time zone, as git log --date=short shows it.
std::string commit_date(std::int64_t seconds, int offset_minutes) {
  return format_utc(seconds + std::int64_t{offset_minutes} * 60, "%Y-%m-%d");
}

std::string joined(const std::vector<std::string>& names) {
  std::string out;
  for (const auto& name : names) out += (out.empty() ? "" : ", ") + name;
  return out;
}

class TextReporter : public Reporter {
 public:
  void write(const std::vector<Finding>& findings, const ReportContext& context, std::ostream& out) override {
    Palette p = palette_for(context.color);
    std::vector<const Finding*> ordered;
    for (const auto& finding : findings) ordered.push_back(&finding);
    std::stable_sort(ordered.begin(), ordered.end(),
                     [](const Finding* a, const Finding* b) { return a->confidence > b->confidence; });
    for (std::size_t i = 0; i < ordered.size(); ++i) {
      const Finding& finding = *ordered[i];
      if (i == 0 || ordered[i - 1]->confidence != finding.confidence) {
        auto in_group =
            static_cast<std::uint64_t>(std::count_if(ordered.begin(), ordered.end(), [&](const Finding* f) {
              return f->confidence == finding.confidence;
            }));
        out << fmt::format("{}== {} confidence: {} =={}\n\n", p.bold, to_string(finding.confidence),
                           plural(in_group, "finding"), p.reset);
      }
      const Rule& rule = rule_of(finding, context);
      const char* level = finding.confidence == Confidence::high ? p.red : p.yellow;
      std::string triage = baseline_status_of(finding, context);
      if (!triage.empty()) triage = triage == "new" ? " [new]" : " [baseline: " + triage + "]";
      std::string verified;  // --verify: live ones come first within their group and say so
      if (finding.verification == "live") verified = fmt::format("{}LIVE{} ", p.red, p.reset);
      std::string rule_level = finding.rule_confidence == finding.confidence
                                   ? ""
                                   : fmt::format(", rule: {}", to_string(finding.rule_confidence));
      out << fmt::format("{}{}{}{} {}({}, {} confidence{}){}{}\n", verified, level, rule.name, p.reset, p.dim,
                         rule.id, to_string(finding.confidence), rule_level, p.reset, triage);
      if (!finding.verification.empty())
        out << fmt::format(
            "  verified     {}{}{}\n", finding.verification,
            finding.verified_identity.empty() ? "" : " as " + printable(finding.verified_identity),
            finding.verification_detail.empty() ? "" : " (" + printable(finding.verification_detail) + ")");
      out << fmt::format("  secret       {}{}{}\n", p.bold,
                         printable(context.show_secrets ? finding.secret : finding.masked), p.reset);
      out << fmt::format("  fingerprint  {}\n", finding.fingerprint);
      if (finding.reasons) out << fmt::format("  reasons      {}\n", joined(reason_names(finding.reasons)));
      for (const auto& location : finding.locations) {
        out << fmt::format("  {}{}:{}:{}{}", p.cyan, printable(location.origin.path), location.line,
                           location.column, p.reset);
        if (!location.decoded.empty()) out << fmt::format(" ({})", location.decoded);
        if (location.origin.from_git()) {
          const Origin& o = location.origin;
          out << fmt::format("  {}{} {} {} <{}> {}{}", p.dim, o.commit.substr(0, 12),
                             commit_date(o.commit_time, o.commit_time_offset), printable(o.author_name),
                             printable(o.author_email), printable(o.summary), p.reset);
        }
        if (context.verbose)
          out << fmt::format("  {}[{}{}{}]{}", p.dim, to_string(location.confidence),
                             location.reasons ? ": " : "", joined(reason_names(location.reasons)), p.reset);
        out << '\n';
      }
      out << '\n';
    }
    const ScanStats& s = context.stats;
    std::string summary =
        fmt::format("{} in {} ({})", plural(findings.size(), "finding"),
                    plural(s.blobs_scanned, context.scan_kind == ScanKind::git ? "blob" : "file"),
                    human_bytes(s.bytes_scanned));
    if (context.below_min_confidence)
      summary += fmt::format(", {} below {} confidence (--min-confidence low shows them)",
                             context.below_min_confidence, to_string(context.min_confidence));
    if (context.suppressed_by_baseline)
      summary += fmt::format(", {} suppressed by baseline", context.suppressed_by_baseline);
    if (s.allowed_inline) summary += fmt::format(", {} allowed inline", s.allowed_inline);
    if (context.allowed_by_config)
      summary += fmt::format(", {} allowed by config", context.allowed_by_config);
    summary += fmt::format(", {}", plural(s.warnings, "warning"));
    if (s.skipped_binary) summary += fmt::format(", {} binary skipped", s.skipped_binary);
    if (s.not_scanned)
      summary += fmt::format(", {}{} NOT SCANNED ({} unreadable, {} over limits){}", p.red, s.not_scanned,
                             s.not_scanned - s.not_scanned_limit, s.not_scanned_limit, p.reset);
    if (!context.events_bus.empty()) {
      summary += fmt::format(", {} published to {}", plural(context.events_published, "event"),
                             printable(context.events_bus));
      if (context.events_failed)
        summary +=
            fmt::format(", {}{} NOT published{}", p.red, plural(context.events_failed, "event"), p.reset);
    }
    summary += fmt::format(", {:.2f} s", s.seconds);
    out << (findings.empty() ? "" : p.bold) << summary << (findings.empty() ? "" : p.reset) << '\n';
  }
};

}  // namespace

std::unique_ptr<Reporter> make_text_reporter() {
  return std::make_unique<TextReporter>();
}

}  // namespace keyhound
