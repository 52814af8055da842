// keyhound alerts setup: the SNS topic and EventBridge rules for GuardDuty's Secrets Manager
// findings and keyhound's own, created through the APIs (idempotently), printed as a plan
// (--dry-run) or as a CloudFormation template.
#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <iostream>

#include "alerts/alerts.hpp"
#include "alerts/setup.hpp"
#include "cli/common.hpp"

namespace keyhound::cli {
namespace {

struct AlertsOptions {
  std::string email;
  AwsOverrides aws;
  std::string format = "api";
  std::string events_bus = "default";
  bool dry_run = false;
};

bool plausible_email(const std::string& email) {
  std::size_t at = email.find('@');
  return at != std::string::npos && at > 0 && email.find('.', at) != std::string::npos &&
         email.size() <= 254 && std::none_of(email.begin(), email.end(), [](char c) {
           return c <= ' ' || c == '"' || c == '\'' || c == '\\' || c == 0x7f;
         });
}

// An event bus name as EventBridge allows it for a rule (a name, not an ARN).
bool plausible_bus_name(const std::string& name) {
  return !name.empty() && name.size() <= 256 && std::all_of(name.begin(), name.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '-' || c == '_' || c == '/';
  });
}

int run_setup(const AlertsOptions& options) {
  if (!plausible_email(options.email))
    return fail("--email: '" + options.email + "' is not an e-mail address");
  if (options.format != "api" && options.format != "cloudformation")
    return fail("--format: '" + options.format + "' is not api or cloudformation");
  if (!plausible_bus_name(options.events_bus))
    return fail("--events-bus: '" + options.events_bus +
                "' is not an event bus name (letters, digits, . - _ /)");
  AlertsSetup setup;
  setup.email = options.email;
  setup.events_bus = options.events_bus;
  setup.region = options.aws.region;
  for (const char* name : {"AWS_REGION", "AWS_DEFAULT_REGION"})
    if (setup.region.empty() && std::getenv(name)) setup.region = std::getenv(name);
  if (options.format == "cloudformation") {
    std::cout << cloudformation_template(setup);
    return kClean;
  }
  if (options.dry_run) {  // nothing resolved that would need credentials: a plan sends nothing
    if (setup.region.empty())
      return fail("no region: give --region, or set AWS_REGION or AWS_DEFAULT_REGION");
    std::cout << describe_plan(setup);
    return kClean;
  }
  auto env = process_environment();
  auto sns_connection = connect_service(options.aws, env, "AWS_ENDPOINT_URL_SNS", "sns");
  if (!sns_connection) return fail(sns_connection.error().message);
  auto events_connection = connect_service(options.aws, env, "AWS_ENDPOINT_URL_EVENTBRIDGE", "events");
  if (!events_connection) return fail(events_connection.error().message);
  setup.region = sns_connection->settings.region;
  AwsServiceClient sns_aws(sns_connection->settings, sns_connection->endpoint, "sns");
  AwsServiceClient events_aws(events_connection->settings, events_connection->endpoint, "events");
  SnsClient sns(sns_aws);
  EventBridgeClient events(events_aws);
  std::vector<SetupStep> steps;
  Status done = run_alerts_setup(setup, sns, events, steps);
  for (const auto& step : steps)
    std::cout << fmt::format("  {:<8} {}  {}\n", step.action, step.what, step.detail);
  std::cout << std::flush;
  if (!done)
    return fail(done.error().message +
                (steps.empty() ? std::string() : " (the steps above were done; run setup again once fixed)"));
  bool changed = std::any_of(steps.begin(), steps.end(), [](const SetupStep& s) {
    return s.action == "created" || s.action == "updated";
  });
  std::cout << "alerts " << (changed ? "set up" : "already set up; nothing changed") << " in " << setup.region
            << " (" << sns_aws.requests_sent() + events_aws.requests_sent() << " requests)\n";
  return kClean;
}

}  // namespace

void add_alerts_command(CLI::App& app, int& exit_code) {
  auto options = std::make_shared<AlertsOptions>();
  CLI::App* alerts =
      app.add_subcommand("alerts", "Route GuardDuty's Secrets Manager findings and keyhound's own to e-mail");
  alerts->require_subcommand(1);
  CLI::App* setup =
      alerts->add_subcommand("setup", "Create the SNS topic, e-mail subscription and EventBridge rules");
  setup->add_option("--email", options->email, "Where alerts go (SNS e-mail subscription)")->required();
  setup->add_option("--region", options->aws.region,
                    "AWS region (default: AWS_REGION, AWS_DEFAULT_REGION, profile)");
  setup->add_option("--profile", options->aws.profile, "AWS profile (default: AWS_PROFILE, then default)");
  setup->add_option("--ca-bundle", options->aws.ca_bundle,
                    "PEM file of CAs to trust instead of the system's");
  setup
      ->add_option("--events-bus", options->events_bus,
                   "The bus `scan --events-bus` publishes to: the keyhound findings rule goes there")
      ->capture_default_str();
  setup->add_option("--format", options->format, "api (call AWS) or cloudformation (print a template)")
      ->capture_default_str();
  setup->add_flag("--dry-run", options->dry_run, "Show what would be created; send nothing");
  setup->callback([options, &exit_code] { exit_code = run_setup(*options); });
}

}  // namespace keyhound::cli
