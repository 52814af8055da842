// json: one document; jsonl: one finding per line, for streaming into other tools.
#include "report/json_finding.hpp"

namespace keyhound {
namespace {

void write_tool_and_scan(JsonWriter& json, const ReportContext& context) {
  json.key("tool");
  json.begin_object();
  json.member("name", "keyhound");
  json.member("version", KEYHOUND_VERSION);
  json.end_object();
  json.key("scan");
  json.begin_object();
  json.member("kind", to_string(context.scan_kind));
  json.member("root", context.root);
  json.end_object();
}

}  // namespace

class JsonReporter : public Reporter {
 public:
  void write(const std::vector<Finding>& findings, const ReportContext& context, std::ostream& out) override {
    std::string text;
    JsonWriter json(text, 2);
    json.begin_object();
    write_tool_and_scan(json, context);
    json.key("findings");
    json.begin_array();
    for (const auto& finding : findings) write_finding(json, finding, context);
    json.end_array();
    json.key("summary");
    write_summary(json, findings, context);
    json.end_object();
    text += '\n';
    out << text;
  }
};

class JsonLinesReporter : public Reporter {
 public:
  void write(const std::vector<Finding>& findings, const ReportContext& context, std::ostream& out) override {
    std::string line;
    for (const auto& finding : findings) {
      line.clear();
      JsonWriter json(line, -1);
      write_finding(json, finding, context);
      line += '\n';
      out << line;
    }
    if (context.shard) {
      line.clear();
      JsonWriter json(line, -1);
      json.begin_object();
      write_tool_and_scan(json, context);
      json.key("summary");
      write_summary(json, findings, context);
      json.end_object();
      line += '\n';
      out << line;
    }
  }
};

std::unique_ptr<Reporter> make_json_reporter() {
  return std::make_unique<JsonReporter>();
}
std::unique_ptr<Reporter> make_jsonl_reporter() {
  return std::make_unique<JsonLinesReporter>();
}

}  // namespace keyhound
