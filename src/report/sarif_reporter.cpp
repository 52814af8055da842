// SARIF 2.1.0 for code-scanning services. (Placeholder until the SARIF reporter lands.)
#include <nlohmann/json.hpp>

#include "report/json_finding.hpp"

namespace keyhound {

class SarifReporter : public Reporter {
 public:
  void write(const std::vector<Finding>& findings, const ReportContext& context, std::ostream& out) override {
    (void)findings;
    (void)context;
    out << "{}\n";
  }
};

std::unique_ptr<Reporter> make_sarif_reporter() { return std::make_unique<SarifReporter>(); }

}  // namespace keyhound
