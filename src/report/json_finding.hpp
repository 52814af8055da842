// The JSON shape of a finding, shared by the json and jsonl reporters.
#pragma once

#include "report/json_writer.hpp"
#include "report/reporter.hpp"

namespace keyhound {

void write_finding(JsonWriter& out, const Finding& finding, const ReportContext& context);
void write_location(JsonWriter& out, const Location& location);
void write_summary(JsonWriter& out, std::uint64_t findings, std::uint64_t locations,
                   const ReportContext& context);

}  // namespace keyhound
