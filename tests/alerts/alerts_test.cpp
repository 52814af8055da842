// The alert rules' patterns against GuardDuty finding events, and the CloudFormation template.
#include "alerts/alerts.hpp"

#include <gtest/gtest.h>
#include <yaml-cpp/yaml.h>

#include "support/build_paths.hpp"
#include "support/support.hpp"

namespace keyhound {
namespace {

nlohmann::json event(const std::string& name) {
  return nlohmann::json::parse(testing::read_text(testing::source_dir() + "/testdata/events/" + name));
}

TEST(AlertsPattern, MatchesAnomalousSecretsManagerCall) {
  EXPECT_TRUE(
      pattern_matches(guardduty_secretsmanager_pattern(), event("guardduty-secretsmanager-anomalous.json")));
}

TEST(AlertsPattern, IgnoresFindingsAboutOtherServicesAndOtherSources) {
  EXPECT_FALSE(pattern_matches(guardduty_secretsmanager_pattern(), event("guardduty-s3-unrelated.json")));
  auto cloudtrail = event("guardduty-secretsmanager-anomalous.json");
  cloudtrail["source"] = "aws.secretsmanager";
  EXPECT_FALSE(pattern_matches(guardduty_secretsmanager_pattern(), cloudtrail));
  auto finding =
      nlohmann::json{{"source", "keyhound"}, {"detail-type", "Secret Found"}, {"detail", {{"rule", "x.y"}}}};
  EXPECT_FALSE(pattern_matches(guardduty_secretsmanager_pattern(), finding));
  EXPECT_TRUE(pattern_matches(keyhound_findings_pattern(), finding));
}

TEST(AlertsTemplate, CloudFormationHoldsTopicPolicySubscriptionAndRules) {
  AlertsSetup setup;
  setup.email = "secops@example.com";
  YAML::Node doc = YAML::Load(cloudformation_template(setup));
  auto resources = doc["Resources"];
  EXPECT_EQ(resources["AlertsTopic"]["Type"].as<std::string>(), "AWS::SNS::Topic");
  EXPECT_EQ(
      resources["AlertsTopicPolicy"]["Properties"]["PolicyDocument"]["Statement"][0]["Principal"]["Service"]
          .as<std::string>(),
      "events.amazonaws.com");
  EXPECT_EQ(resources["AlertsEmail"]["Properties"]["Endpoint"].as<std::string>(), "secops@example.com");
  auto condition =
      resources["AlertsTopicPolicy"]["Properties"]["PolicyDocument"]["Statement"][0]["Condition"];
  EXPECT_EQ(condition["ArnEquals"]["aws:SourceArn"][0].Tag(), "!GetAtt");
  EXPECT_EQ(condition["ArnEquals"]["aws:SourceArn"][1].as<std::string>(), "KeyhoundFindingsRule.Arn");
  EXPECT_FALSE(resources["KeyhoundFindingsRule"]["Properties"]["EventBusName"]);
  setup.events_bus = "ci-bus";
  EXPECT_EQ(YAML::Load(cloudformation_template(
                setup))["Resources"]["KeyhoundFindingsRule"]["Properties"]["EventBusName"]
                .as<std::string>(),
            "ci-bus");
  auto rule = resources["GuardDutySecretsManagerRule"]["Properties"];
  EXPECT_EQ(rule["EventPattern"]["detail"]["service"]["action"]["awsApiCallAction"]["serviceName"][0]
                .as<std::string>(),
            "secretsmanager.amazonaws.com");
  EXPECT_EQ(rule["Targets"][0]["Id"].as<std::string>(), "keyhound-alerts-topic");
  EXPECT_EQ(resources["KeyhoundFindingsRule"]["Properties"]["EventPattern"]["source"][0].as<std::string>(),
            "keyhound");
}

TEST(AlertsCli, DryRunSendsNothingAndTemplatePrints) {
  // No AWS credentials or endpoint exist in this environment: a call would fail, a plan cannot.
  auto plan = testing::run_command("env -i PATH=/usr/bin:/bin " + testing::shell_quote(KEYHOUND_BIN) +
                                   " alerts setup --email secops@example.com --region eu-west-1 --dry-run");
  EXPECT_EQ(plan.exit_code, 0) << plan.err;
  EXPECT_NE(plan.out.find("would create or keep, in eu-west-1:\n  sns:CreateTopic keyhound-alerts\n"),
            std::string::npos)
      << plan.out;
  EXPECT_NE(plan.out.find("nothing was sent\n"), std::string::npos);
  auto bad = testing::run_command(testing::shell_quote(KEYHOUND_BIN) +
                                  " alerts setup --email 'not an address' --dry-run");
  EXPECT_EQ(bad.exit_code, 2);
  EXPECT_NE(bad.err.find("--email: 'not an address' is not an e-mail address"), std::string::npos) << bad.err;
  auto cfn = testing::run_command(testing::shell_quote(KEYHOUND_BIN) +
                                  " alerts setup --email secops@example.com --format cloudformation");
  EXPECT_EQ(cfn.exit_code, 0) << cfn.err;
  EXPECT_EQ(cfn.out.rfind("AWSTemplateFormatVersion: '2010-09-09'\n", 0), 0u);
}

}  // namespace
}  // namespace keyhound
