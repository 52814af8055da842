// json: one document; jsonl: one finding per line, for streaming into other tools.
#include "report/json_finding.hpp"

namespace keyhound {

class JsonReporter : public Reporter {
 public:
  void write(const std::vector<Finding>& findings, const ReportContext& context, std::ostream& out) override {
    nlohmann::ordered_json document;
    document["tool"] = {{"name", "keyhound"}, {"version", KEYHOUND_VERSION}};
    document["scan"] = {{"kind", context.scan_kind}, {"root", context.root}};
    auto& list = document["findings"] = nlohmann::ordered_json::array();
    for (const auto& finding : findings) list.push_back(finding_to_json(finding, context));
    document["summary"] = summary_to_json(findings, context);
    out << document.dump(2, ' ', false, nlohmann::ordered_json::error_handler_t::replace) << '\n';
  }
};

class JsonLinesReporter : public Reporter {
 public:
  void write(const std::vector<Finding>& findings, const ReportContext& context, std::ostream& out) override {
    for (const auto& finding : findings) out << finding_to_json(finding, context).dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace) << '\n';
  }
};

std::unique_ptr<Reporter> make_json_reporter() { return std::make_unique<JsonReporter>(); }
std::unique_ptr<Reporter> make_jsonl_reporter() { return std::make_unique<JsonLinesReporter>(); }

}  // namespace keyhound
