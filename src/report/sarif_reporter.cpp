// SARIF 2.1.0 for code-scanning services (GitHub code scanning, Azure DevOps, the SARIF SDK).
// It never carries a raw secret, even with --show-secrets: SARIF files are uploaded to services.
#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <ctime>
#include <filesystem>
#include <map>
#include <nlohmann/json.hpp>

#include "finding/confidence.hpp"
#include "report/json_finding.hpp"
#include "report/sarif_text.hpp"
#include "util/time_format.hpp"

namespace keyhound {
namespace {

using Json = nlohmann::ordered_json;

constexpr const char* kSchema = "https://json.schemastore.org/sarif-2.1.0.json";
constexpr const char* kInformationUri = "https://github.com/keyhound/keyhound";
constexpr const char* kSourceRoot = "%SRCROOT%";

const char* level_of(Confidence confidence) {
  return confidence == Confidence::high ? "error" : "warning";
}

// GitHub sorts alerts by this 0.0-10.0 score; a hardcoded credential is at least "medium".
const char* security_severity_of(Confidence confidence) {
  switch (confidence) {
    case Confidence::high:
      return "9.0";
    case Confidence::medium:
      return "7.0";
    case Confidence::low:
      return "4.0";
  }
  return "7.0";
}

Json rule_descriptor(const Rule& rule) {
  Json out;
  out["id"] = rule.id;
  out["name"] = sarif_rule_name(rule.name, rule.id);
  out["shortDescription"] = {{"text", sarif_sentence(rule.name)}};
  out["fullDescription"] = {
      {"text", sarif_sentence(rule.description.empty() ? rule.name : rule.description)}};
  out["defaultConfiguration"] = {{"level", level_of(rule.confidence)}};
  if (!rule.references.empty()) out["helpUri"] = rule.references.front();
  out["help"] = {{"text", sarif_help_text(rule)}, {"markdown", sarif_help_markdown(rule)}};
  Json tags = Json::array({"security", "secret"});
  for (const auto& tag : rule.tags)
    if (tag != "security" && tag != "secret") tags.push_back(tag);
  out["properties"] = {{"tags", tags},
                       {"precision", to_string(rule.confidence)},
                       {"problem.severity", rule.confidence == Confidence::low ? "warning" : "error"},
                       {"security-severity", security_severity_of(rule.confidence)}};
  return out;
}

std::string iso8601(std::int64_t seconds, int offset_minutes) {
  std::string buffer = format_utc(seconds + std::int64_t{offset_minutes} * 60, "%Y-%m-%dT%H:%M:%S");
  if (offset_minutes == 0) return std::string(buffer) + "Z";
  int magnitude = std::abs(offset_minutes);
  return fmt::format("{}{}{:02}:{:02}", buffer, offset_minutes < 0 ? '-' : '+', magnitude / 60,
                     magnitude % 60);
}

// Where relative paths start: the repository for git scans, the working directory otherwise
// (file paths are reported as the user typed them, relative to where keyhound ran).
std::filesystem::path source_root(const ReportContext& context) {
  std::error_code ec;
  std::filesystem::path root = is_git(context.scan_kind) && !context.root.empty()
                                   ? std::filesystem::absolute(context.root, ec)
                                   : std::filesystem::current_path(ec);
  return root.lexically_normal();
}

Json artifact_location(const std::string& path, const std::filesystem::path& root) {
  std::filesystem::path p(path);
  if (p.is_absolute()) {
    std::filesystem::path relative = p.lexically_normal().lexically_relative(root);
    if (relative.empty() || *relative.begin() == "..")
      return {{"uri", file_uri(p.lexically_normal().string(), false)}};
    p = relative;
  }
  return {{"uri", percent_encode_path(p.lexically_normal().generic_string())}, {"uriBaseId", kSourceRoot}};
}

Json result_of(const Finding& finding, const Location& location, const Rule& rule, std::size_t rule_index,
               const ReportContext& context, const std::filesystem::path& root) {
  Json out;
  out["ruleId"] = rule.id;
  out["ruleIndex"] = rule_index;
  out["level"] = level_of(location.confidence);
  out["message"] = {{"text", fmt::format("{} '{}' is hardcoded here (fingerprint {}).", rule.name,
                                         finding.masked, finding.fingerprint)}};
  Json region;
  region["startLine"] = location.line;
  region["startColumn"] = location.column;
  region["endLine"] = location.end_line;
  region["endColumn"] = location.end_column;
  region["snippet"] = {{"text", finding.masked}};
  out["locations"] = Json::array(
      {{{"physicalLocation",
         {{"artifactLocation", artifact_location(location.origin.path, root)}, {"region", region}}}}});
  out["partialFingerprints"] = {{"keyhound/v1", finding.fingerprint}};
  // With --baseline: new findings are "new"; those still triaged open or confirmed, "unchanged".
  if (std::string triage = baseline_status_of(finding, context); !triage.empty())
    out["baselineState"] = triage == "new" ? "new" : "unchanged";
  Json properties;
  properties["fingerprint"] = finding.fingerprint;
  properties["confidence"] = to_string(location.confidence);
  properties["ruleConfidence"] = to_string(rule.confidence);
  properties["reasons"] = reason_names(location.reasons);
  if (!location.decoded.empty()) properties["decoded"] = location.decoded;  // the region is encoded
  if (location.origin.from_git()) {
    const Origin& o = location.origin;
    properties["commit"] = o.commit;
    properties["author"] =
        o.author_email.empty() ? o.author_name : fmt::format("{} <{}>", o.author_name, o.author_email);
    properties["date"] = iso8601(o.commit_time, o.commit_time_offset);
    properties["summary"] = o.summary;
  }
  if (!finding.verification.empty()) {  // --verify: a live secret is an incident
    properties["verification"] = finding.verification;
    if (!finding.verified_identity.empty()) properties["verifiedIdentity"] = finding.verified_identity;
    if (finding.verification == "live") out["level"] = "error";
  }
  out["properties"] = properties;
  return out;
}

class SarifReporter : public Reporter {
 public:
  void write(const std::vector<Finding>& findings, const ReportContext& context, std::ostream& out) override {
    // Only the rules that fired, sorted by id so the file is stable from run to run.
    std::map<std::string, const Rule*> fired;
    for (const auto& finding : findings) fired.emplace(finding.rule_id, &rule_of(finding, context));
    std::map<std::string, std::size_t> rule_index;
    Json rules = Json::array();
    for (const auto& [id, rule] : fired) {
      rule_index[id] = rules.size();
      rules.push_back(rule_descriptor(*rule));
    }

    std::filesystem::path root = source_root(context);
    Json results = Json::array();
    for (const auto& finding : findings) {
      const Rule& rule = *fired.at(finding.rule_id);
      for (const auto& location : finding.locations)
        results.push_back(result_of(finding, location, rule, rule_index.at(finding.rule_id), context, root));
    }

    Json driver;
    driver["name"] = "keyhound";
    driver["version"] = KEYHOUND_VERSION;
    driver["semanticVersion"] = KEYHOUND_VERSION;
    driver["informationUri"] = kInformationUri;
    driver["rules"] = rules;

    Json run;
    run["tool"] = {{"driver", driver}};
    run["invocations"] = Json::array({{{"executionSuccessful", true}}});
    run["originalUriBaseIds"] = {{kSourceRoot, {{"uri", file_uri(root.string(), true)}}}};
    if (std::string uri = sanitize_repository_uri(context.repository_uri); !uri.empty()) {
      Json provenance = {{"repositoryUri", uri}};
      if (!context.revision.empty()) provenance["revisionId"] = context.revision;
      if (!context.branch.empty()) provenance["branch"] = context.branch;
      provenance["mappedTo"] = {{"uriBaseId", kSourceRoot}};
      run["versionControlProvenance"] = Json::array({provenance});
    }
    run["results"] = results;
    run["columnKind"] = "unicodeCodePoints";

    Json document;
    document["$schema"] = kSchema;
    document["version"] = "2.1.0";
    document["runs"] = Json::array({run});
    out << document.dump(2, ' ', false, Json::error_handler_t::replace) << '\n';
  }
};

}  // namespace

std::unique_ptr<Reporter> make_sarif_reporter() {
  return std::make_unique<SarifReporter>();
}

}  // namespace keyhound
