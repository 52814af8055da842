// keyhound alerts setup: the SNS topic and EventBridge rules for GuardDuty's Secrets Manager
// findings and keyhound's own, printed as a plan (--dry-run) or a CloudFormation template.
#include <algorithm>
#include <cstdlib>
#include <iostream>

#include "alerts/alerts.hpp"
#include "cli/common.hpp"

namespace keyhound::cli {
namespace {

struct AlertsOptions {
  std::string email;
  std::string region;
  std::string format = "api";
  bool dry_run = false;
};

bool plausible_email(const std::string& email) {
  std::size_t at = email.find('@');
  return at != std::string::npos && at > 0 && email.find('.', at) != std::string::npos && email.size() <= 254 &&
         std::none_of(email.begin(), email.end(), [](char c) {
           return c <= ' ' || c == '"' || c == '\'' || c == '\\' || c == 0x7f;
         });
}

int run_setup(const AlertsOptions& options) {
  if (!plausible_email(options.email)) return fail("--email: '" + options.email + "' is not an e-mail address");
  if (options.format != "api" && options.format != "cloudformation")
    return fail("--format: '" + options.format + "' is not api or cloudformation");
  AlertsSetup setup;
  setup.email = options.email;
  setup.region = options.region;
  for (const char* name : {"AWS_REGION", "AWS_DEFAULT_REGION"})
    if (setup.region.empty() && std::getenv(name)) setup.region = std::getenv(name);
  if (options.format == "cloudformation") {
    std::cout << cloudformation_template(setup);
    return kClean;
  }
  if (setup.region.empty()) return fail("no region: give --region, or set AWS_REGION or AWS_DEFAULT_REGION");
  if (options.dry_run) {
    std::cout << describe_plan(setup);
    return kClean;
  }
  return fail("alerts setup through the AWS API is not available in this build; deploy the template from "
              "`keyhound alerts setup --format cloudformation` instead");
}

}  // namespace

void add_alerts_command(CLI::App& app, int& exit_code) {
  auto options = std::make_shared<AlertsOptions>();
  CLI::App* alerts = app.add_subcommand("alerts", "Route GuardDuty's Secrets Manager findings and keyhound's own to e-mail");
  alerts->require_subcommand(1);
  CLI::App* setup = alerts->add_subcommand("setup", "Create the SNS topic, e-mail subscription and EventBridge rules");
  setup->add_option("--email", options->email, "Where alerts go (SNS e-mail subscription)")->required();
  setup->add_option("--region", options->region, "AWS region (default: AWS_REGION, AWS_DEFAULT_REGION)");
  setup->add_option("--format", options->format, "api (call AWS) or cloudformation (print a template)")
      ->capture_default_str();
  setup->add_flag("--dry-run", options->dry_run, "Show what would be created; send nothing");
  setup->callback([options, &exit_code] { exit_code = run_setup(*options); });
}

}  // namespace keyhound::cli
