#include "report/reporter.hpp"

#include <algorithm>

namespace keyhound {

std::unique_ptr<Reporter> make_text_reporter();
std::unique_ptr<Reporter> make_json_reporter();
std::unique_ptr<Reporter> make_jsonl_reporter();
std::unique_ptr<Reporter> make_sarif_reporter();

std::unique_ptr<Reporter> make_reporter(std::string_view format) {
  if (format == "text") return make_text_reporter();
  if (format == "json") return make_json_reporter();
  if (format == "jsonl") return make_jsonl_reporter();
  if (format == "sarif") return make_sarif_reporter();
  return nullptr;
}

const Rule& rule_of(const Finding& finding, const ReportContext& context) {
  const RuleList& rules = *context.rules;
  auto it = std::find_if(rules.begin(), rules.end(), [&](const Rule& r) { return r.id == finding.rule_id; });
  return *it;
}

std::string baseline_status_of(const Finding& finding, const ReportContext& context) {
  if (!context.baseline) return "";
  if (context.baseline_states) {
    auto state = context.baseline_states->find(finding.fingerprint);
    if (state != context.baseline_states->end()) return state->second;
  }
  auto entry = context.baseline->entries.find(finding.fingerprint);
  return entry == context.baseline->entries.end() ? "new" : to_string(entry->second.status);
}

}  // namespace keyhound
