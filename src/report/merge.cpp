// Merging reports: parse each (a json document, or jsonl lines with a shard's summary line),
// unite findings by fingerprint, write the result with nlohmann's dump, which is byte for byte
// what JsonWriter writes for a scan.
#include "report/merge.hpp"

#include <algorithm>
#include <map>
#include <nlohmann/json.hpp>
#include <sstream>
#include <tuple>

#include "util/file.hpp"

namespace keyhound {
namespace {

using Json = nlohmann::ordered_json;

struct Report {
  std::string path;
  std::string format;        // json | jsonl
  Json tool, scan, summary;  // null when the report has none (a plain jsonl report)
  std::vector<Json> findings;
};

Result<Report> read_report(const std::string& path) {
  auto text = read_whole_file(path, std::uint64_t{1} << 36);
  if (!text) return text.error();
  Report report;
  report.path = path;
  Json document = Json::parse(*text, nullptr, false);
  if (!document.is_discarded() && document.is_object() && document.contains("findings")) {
    report.format = "json";
    if (!document["findings"].is_array()) return make_error(path + ": \"findings\" is not an array");
    report.tool = document["tool"];
    report.scan = document["scan"];
    report.summary = document["summary"];
    for (auto& finding : document["findings"]) report.findings.push_back(std::move(finding));
    return report;
  }
  report.format = "jsonl";
  std::istringstream lines(*text);
  std::string line;
  for (std::size_t number = 1; std::getline(lines, line); ++number) {
    if (line.empty()) continue;
    Json value = Json::parse(line, nullptr, false);
    if (value.is_discarded() || !value.is_object())
      return make_error(path + ":" + std::to_string(number) + ": not a json or jsonl keyhound report");
    if (value.contains("summary")) {  // a shard's last line
      report.tool = value["tool"];
      report.scan = value["scan"];
      report.summary = value["summary"];
    } else {
      report.findings.push_back(std::move(value));
    }
  }
  return report;
}

std::optional<Confidence> confidence_of(const Json& value) {
  if (!value.is_string()) return std::nullopt;
  return confidence_from(value.get<std::string>());
}

// A scan's location order (pipeline/scan.cpp, location_before).
auto location_key(const Json& location) {
  const Json* commit = location.contains("commit") ? &location["commit"] : nullptr;
  return std::make_tuple(
      location.value("path", std::string()), commit ? commit->value("time", std::int64_t{0}) : 0,
      commit ? commit->value("id", std::string()) : std::string(), location.value("line", std::uint64_t{0}),
      location.value("column", std::uint64_t{0}), location.value("blob_id", std::string()));
}

bool same_place(const Json& a, const Json& b) {
  auto commit_of = [](const Json& location) {
    return location.contains("commit") ? location["commit"].value("id", std::string()) : std::string();
  };
  return a.value("path", std::string()) == b.value("path", std::string()) && commit_of(a) == commit_of(b) &&
         a.value("start_offset", std::uint64_t{0}) == b.value("start_offset", std::uint64_t{0}) &&
         a.value("blob_id", std::string()) == b.value("blob_id", std::string());
}

void zero_counts(Json& object) {
  for (auto& [key, value] : object.items()) {
    if (value.is_number_unsigned())
      value = std::uint64_t{0};
    else if (value.is_object())
      zero_counts(value);
  }
}

// Adds the counts of `from` to those of `to` (keys `to` lacks are left out).
void add_counts(Json& to, const Json& from) {
  for (const auto& [key, value] : from.items()) {
    if (!to.contains(key)) continue;
    Json& mine = to[key];
    if (value.is_number_unsigned() && mine.is_number_unsigned())
      mine = mine.get<std::uint64_t>() + value.get<std::uint64_t>();
    else if (value.is_object() && mine.is_object())
      add_counts(mine, value);
  }
}

std::string joined(const std::string& root, const std::string& path) {
  if (root.empty() || root == ".") return path;
  return root.back() == '/' ? root + path : root + "/" + path;
}

}  // namespace

Result<MergedReport> merge_reports(const std::vector<std::string>& paths, const MergeOptions& options) {
  if (paths.empty()) return make_error("merge: name at least one report");
  std::vector<Report> reports;
  for (const auto& path : paths) {
    auto report = read_report(path);
    if (!report) return report.error();
    reports.push_back(std::move(*report));
  }
  MergedReport merged;
  merged.format = options.format.empty() ? reports.front().format : options.format;
  if (merged.format != "json" && merged.format != "jsonl")
    return make_error("merge: --format: json or jsonl, not '" + merged.format + "'");

  // The scan they describe: the same root everywhere keeps paths as they are.
  Json tool, scan;
  bool same_root = true;
  for (const auto& report : reports) {
    if (merged.format == "json" && report.summary.is_null())
      return make_error(report.path +
                        ": a jsonl report without a summary line (only scan --shard writes one) "
                        "cannot make a json report; merge into jsonl");
    if (report.scan.is_null()) continue;
    if (scan.is_null()) {
      tool = report.tool;
      scan = report.scan;
    } else if (report.scan.value("root", std::string()) != scan.value("root", std::string())) {
      same_root = false;
    }
    if (report.scan.value("kind", std::string()) != scan.value("kind", std::string())) scan["kind"] = "mixed";
  }
  if (!same_root) scan["root"] = ".";

  // The minimum confidence: the option's, else the reports' (they must agree), else none.
  std::optional<Confidence> minimum = options.min_confidence;
  if (!minimum)
    for (const auto& report : reports) {
      if (report.summary.is_null()) continue;
      auto level = confidence_of(report.summary["min_confidence"]);
      if (!level) return make_error(report.path + ": the summary has no valid min_confidence");
      if (minimum && *minimum != *level)
        return make_error(
            "merge: the reports were made with different --min-confidence; choose one with --min-confidence");
      minimum = level;
    }

  std::map<std::string, Json> by_fingerprint;
  for (auto& report : reports) {
    std::string root = report.scan.is_null() ? std::string() : report.scan.value("root", std::string());
    for (auto& finding : report.findings) {
      if (!finding.contains("fingerprint") || !finding["fingerprint"].is_string() ||
          !finding.contains("locations") || !finding["locations"].is_array())
        return make_error(report.path + ": a finding without fingerprint or locations");
      if (!same_root)
        for (auto& location : finding["locations"])
          location["path"] = joined(root, location.value("path", std::string()));
      std::string fingerprint = finding["fingerprint"];
      auto [at, fresh] = by_fingerprint.try_emplace(fingerprint, finding);
      if (!fresh)
        for (auto& location : finding["locations"]) at->second["locations"].push_back(std::move(location));
    }
  }

  std::vector<Json> findings;
  std::uint64_t held_back = 0, locations = 0;
  for (auto& [fingerprint, finding] : by_fingerprint) {
    auto& list = finding["locations"];
    std::vector<Json> sorted(list.begin(), list.end());
    std::stable_sort(sorted.begin(), sorted.end(),
                     [](const Json& a, const Json& b) { return location_key(a) < location_key(b); });
    sorted.erase(std::unique(sorted.begin(), sorted.end(), same_place), sorted.end());
    // The best location's confidence and reasons, the first of them on a tie (finding/confidence.cpp).
    const Json* best = nullptr;
    for (const auto& location : sorted)
      if (!best || confidence_of(location["confidence"]) > confidence_of((*best)["confidence"]))
        best = &location;
    if (best && finding.contains("confidence")) {
      finding["confidence"] = (*best)["confidence"];
      finding["reasons"] = (*best)["reasons"];
    }
    list = Json::array();
    for (auto& location : sorted) list.push_back(std::move(location));
    auto level = confidence_of(finding["confidence"]);
    if (minimum && level && *level < *minimum) {
      ++held_back;
      continue;
    }
    locations += list.size();
    findings.push_back(std::move(finding));
  }
  std::stable_sort(findings.begin(), findings.end(), [](const Json& a, const Json& b) {
    auto x = location_key(a["locations"].front());
    auto y = location_key(b["locations"].front());
    if (x != y) return x < y;
    return a.value("rule_id", std::string()) < b.value("rule_id", std::string());
  });
  merged.findings = findings.size();

  // Summaries summed (counts in nested objects too, such as --events-bus's), in the first
  // one's key order; the slowest report's seconds.
  Json summary;
  double seconds = 0;
  for (const auto& report : reports) {
    if (report.summary.is_null()) continue;
    if (summary.is_null()) {
      summary = report.summary;
      zero_counts(summary);
    }
    add_counts(summary, report.summary);
    if (report.summary.contains("seconds") && report.summary["seconds"].is_number())
      seconds = std::max(seconds, report.summary["seconds"].get<double>());
  }
  if (!summary.is_null()) {
    summary["findings"] = std::uint64_t{findings.size()};
    summary["locations"] = locations;
    if (minimum) summary["min_confidence"] = to_string(*minimum);
    summary["below_min_confidence"] = summary.value("below_min_confidence", std::uint64_t{0}) + held_back;
    if (summary.contains("seconds")) summary["seconds"] = seconds;
    merged.not_scanned = summary.value("not_scanned", std::uint64_t{0});
  }

  auto dump = [](const Json& value, int indent) {
    return value.dump(indent, ' ', false, Json::error_handler_t::replace);
  };
  if (merged.format == "jsonl") {
    for (const auto& finding : findings) merged.text += dump(finding, -1) + "\n";
    return merged;
  }
  Json document;
  document["tool"] = tool;
  document["scan"] = scan;
  document["findings"] = Json::array();
  for (auto& finding : findings) document["findings"].push_back(std::move(finding));
  document["summary"] = summary;
  merged.text = dump(document, 2) + "\n";
  return merged;
}

}  // namespace keyhound
