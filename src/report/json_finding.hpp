// The JSON shape of a finding, shared by the json and jsonl reporters.
#pragma once

#include <nlohmann/json.hpp>

#include "report/reporter.hpp"

namespace keyhound {

nlohmann::ordered_json finding_to_json(const Finding& finding, const ReportContext& context);
nlohmann::ordered_json location_to_json(const Location& location);
nlohmann::ordered_json summary_to_json(const std::vector<Finding>& findings, const ReportContext& context);

}  // namespace keyhound
