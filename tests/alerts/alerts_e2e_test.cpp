// `alerts setup` and `scan --events-bus` against the botocore-checked test server (SNS and
// EventBridge): what each run leaves in the server's state, and what it sends.
#include <gtest/gtest.h>

#include <filesystem>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <vector>

#include "alerts/alerts.hpp"
#include "support/aws_end_to_end.hpp"

namespace keyhound {
namespace {

using testing::CommandResult;
using testing::Env;
using testing::kLower;
using testing::shell_quote;
using Json = nlohmann::json;

class AlertsEndToEnd : public testing::AwsEndToEnd {
 protected:
  void SetUp() override {
    AwsEndToEnd::SetUp();
    start_server();
  }

  Env aws_env() const {
    Env env = credentials_env("eu-west-1");
    env["AWS_ENDPOINT_URL_SNS"] = server_->url();
    env["AWS_ENDPOINT_URL_EVENTBRIDGE"] = server_->url();
    return env;
  }

  CommandResult setup(std::vector<std::string> extra = {}) {
    std::vector<std::string> args = {"alerts", "setup", "--email", "secops@example.com"};
    args.insert(args.end(), extra.begin(), extra.end());
    return keyhound(args, aws_env());
  }

  CommandResult scan(std::vector<std::string> extra, const Env& env) {
    std::vector<std::string> args = {"scan", "--no-builtin-rules", "--rules", aux_.str() + "/rules.yml",
                                     "-q"};
    args.insert(args.end(), extra.begin(), extra.end());
    return keyhound(args, env);
  }

  std::string plant(const std::string& file) { return AwsEndToEnd::plant(file, "TOKEN = '", "'\n"); }

  // The server's SNS and EventBridge state (what setup leaves behind).
  Json resources() const {
    Json stats = server_->stats();
    return {{"sns", stats["sns"]}, {"rules", stats["events"]["rules"]}, {"changes", stats["changes"]}};
  }
};

TEST_F(AlertsEndToEnd, SetupCreatesTopicPolicySubscriptionRulesAndTargets) {
  auto run = setup();
  ASSERT_EQ(run.exit_code, 0) << run.out << run.err;
  EXPECT_NE(run.out.find("alerts set up in eu-west-1"), std::string::npos) << run.out;
  Json state = resources();
  const std::string topic_arn = "arn:aws:sns:eu-west-1:123456789012:keyhound-alerts";
  const std::string guardduty_arn =
      "arn:aws:events:eu-west-1:123456789012:rule/keyhound-guardduty-secretsmanager";
  const std::string findings_arn = "arn:aws:events:eu-west-1:123456789012:rule/keyhound-findings";
  const Json& topic = state["sns"]["keyhound-alerts"];
  EXPECT_EQ(topic["arn"], topic_arn);
  EXPECT_EQ(
      topic["subscriptions"],
      Json::parse(R"([{"protocol":"email","endpoint":"secops@example.com","arn":"PendingConfirmation"}])"));
  EXPECT_EQ(topic["confirmation_mails"], 1);
  // The account owner's default statement stays; keyhound's is added beside it.
  const Json& statements = topic["policy"]["Statement"];
  ASSERT_EQ(statements.size(), 2u) << topic["policy"].dump();
  EXPECT_EQ(statements[0]["Sid"], "__default_statement_ID");
  EXPECT_EQ(statements[1],
            Json({{"Sid", "keyhound-eventbridge-publish"},
                  {"Effect", "Allow"},
                  {"Principal", {{"Service", "events.amazonaws.com"}}},
                  {"Action", "sns:Publish"},
                  {"Resource", topic_arn},
                  {"Condition", {{"ArnEquals", {{"aws:SourceArn", {guardduty_arn, findings_arn}}}}}}}));
  const Json& guardduty = state["rules"]["default/keyhound-guardduty-secretsmanager"];
  EXPECT_EQ(Json::parse(guardduty["EventPattern"].get<std::string>()), guardduty_secretsmanager_pattern());
  EXPECT_EQ(guardduty["State"], "ENABLED");
  EXPECT_EQ(guardduty["Targets"],
            Json::parse(R"([{"Id":"keyhound-alerts-topic","Arn":")" + topic_arn + "\"}]"));
  const Json& findings = state["rules"]["default/keyhound-findings"];
  EXPECT_EQ(Json::parse(findings["EventPattern"].get<std::string>()), keyhound_findings_pattern());
  EXPECT_EQ(findings["Targets"], guardduty["Targets"]);
  EXPECT_EQ(state["rules"].size(), 2u);
  // Every request passed the botocore signature check (a rejected one would have failed the run).
  Json operations = server_->stats()["operations"];
  for (const char* call : {"CreateTopic", "SetTopicAttributes", "Subscribe", "PutRule", "PutTargets"})
    EXPECT_EQ(operations.value(call, 0),
              call == std::string("PutRule") || call == std::string("PutTargets") ? 2 : 1)
        << call;
}

TEST_F(AlertsEndToEnd, SecondSetupChangesNothingAndSendsNoWrite) {
  ASSERT_EQ(setup().exit_code, 0);
  Json after_first = resources();
  server_->control({{"reset_counts", true}});
  auto again = setup();
  ASSERT_EQ(again.exit_code, 0) << again.out << again.err;
  EXPECT_NE(again.out.find("alerts already set up; nothing changed in eu-west-1"), std::string::npos)
      << again.out;
  EXPECT_EQ(resources(), after_first);
  Json operations = server_->stats()["operations"];
  // Only reads, and CreateTopic, which for an existing name answers its ARN and changes nothing.
  for (const auto& [call, count] : operations.items())
    EXPECT_TRUE(call == "CreateTopic" || call == "GetTopicAttributes" || call == "ListSubscriptionsByTopic" ||
                call == "DescribeRule" || call == "ListTargetsByRule")
        << call << " sent on the second run";
  EXPECT_EQ(operations.value("Subscribe", 0), 0);  // no second confirmation mail either
  EXPECT_EQ(resources()["sns"]["keyhound-alerts"]["confirmation_mails"], 1);
}

TEST_F(AlertsEndToEnd, SetupMovesTheFindingsRuleToAnotherBusAndUpdatesThePolicy) {
  server_->control({{"event_buses", {"ci-bus"}}});
  ASSERT_EQ(setup().exit_code, 0);
  int changes = resources()["changes"];
  auto moved = setup({"--events-bus", "ci-bus"});
  ASSERT_EQ(moved.exit_code, 0) << moved.err;
  Json state = resources();
  EXPECT_TRUE(state["rules"].contains("ci-bus/keyhound-findings"));
  EXPECT_EQ(state["rules"]["ci-bus/keyhound-findings"]["Arn"],
            "arn:aws:events:eu-west-1:123456789012:rule/ci-bus/keyhound-findings");
  // The new rule, its target, and the policy naming it: three changes, nothing else.
  EXPECT_EQ(state["changes"].get<int>(), changes + 3);
  EXPECT_EQ(
      state["sns"]["keyhound-alerts"]["policy"]["Statement"][1]["Condition"]["ArnEquals"]["aws:SourceArn"][1],
      "arn:aws:events:eu-west-1:123456789012:rule/ci-bus/keyhound-findings");
  auto missing = setup({"--events-bus", "no-such-bus"});
  EXPECT_EQ(missing.exit_code, 2);
  EXPECT_NE(missing.err.find(
                "events:PutRule keyhound-findings: ResourceNotFoundException (HTTP 400): no such resource"),
            std::string::npos)
      << missing.err;
}

TEST_F(AlertsEndToEnd, DryRunSendsNothing) {
  auto plan = setup({"--dry-run"});
  ASSERT_EQ(plan.exit_code, 0) << plan.err;
  EXPECT_NE(plan.out.find("would create or keep, in eu-west-1:\n  sns:CreateTopic keyhound-alerts\n"),
            std::string::npos)
      << plan.out;
  EXPECT_NE(plan.out.find("nothing was sent\n"), std::string::npos);
  EXPECT_EQ(server_->stats()["requests"], 0);
}

TEST_F(AlertsEndToEnd, RejectedSignatureStopsAtTheFirstCallWithItsName) {
  Env env = aws_env();
  env["AWS_SECRET_ACCESS_KEY"] = testing::random_string(40, kLower);
  auto run = keyhound({"alerts", "setup", "--email", "secops@example.com"}, env);
  EXPECT_EQ(run.exit_code, 2);
  EXPECT_NE(
      run.err.find("keyhound: error: sns:CreateTopic keyhound-alerts: SignatureDoesNotMatch (HTTP 403): the "
                   "request signature was rejected"),
      std::string::npos)
      << run.err;
  EXPECT_EQ(resources()["changes"], 0);
  EXPECT_EQ(run.err.find(env["AWS_SECRET_ACCESS_KEY"]), std::string::npos);
}

// The events the server received, in order, and every PutEvents body as it arrived.
TEST_F(AlertsEndToEnd, ScanPublishesOneEventPerFindingWithoutTheSecret) {
  plant("app.py");
  plant("web/client.ts");
  plant("cmd/main.go");
  auto run = scan({"--events-bus", "default", "--format", "json", "."}, aws_env());
  ASSERT_EQ(run.exit_code, 1) << run.err;
  Json report = Json::parse(run.out);
  EXPECT_EQ(report["summary"]["events"], Json({{"bus", "default"}, {"published", 3}, {"failed", 0}}));
  Json events = server_->stats()["events"];
  ASSERT_EQ(events["published"].size(), 3u);
  EXPECT_EQ(events["put_events_sizes"], Json({3}));
  std::map<std::string, Json> by_fingerprint;
  for (const auto& event : events["published"]) {
    EXPECT_EQ(event["source"], "keyhound");
    EXPECT_EQ(event["detail-type"], "Secret Found");
    EXPECT_EQ(event["bus"], "default");
    by_fingerprint[event["detail"]["fingerprint"]] = event["detail"];
  }
  std::string root = std::filesystem::canonical(work_.path()).string();
  for (const auto& finding : report["findings"]) {
    ASSERT_TRUE(by_fingerprint.count(finding["fingerprint"])) << finding.dump();
    Json detail = by_fingerprint[finding["fingerprint"]];
    EXPECT_EQ(detail, Json({{"fingerprint", finding["fingerprint"]},
                            {"rule", "test.token"},
                            {"confidence", finding["confidence"]},
                            {"verification", nullptr},
                            {"repository", root},
                            {"path", finding["locations"][0]["path"]},
                            {"commit", nullptr},
                            {"line", 1},
                            {"locations", 1}}));
  }
  std::string sent = events["put_events_bodies"].dump();
  for (const auto& secret : secrets_) {
    EXPECT_EQ(sent.find(secret), std::string::npos) << "a secret went into an event";
    EXPECT_EQ(sent.find(secret.substr(7, 12)), std::string::npos) << "part of a secret went into an event";
  }
  // Text reports carry the count in the summary line.
  auto text = scan({"--events-bus", "default", "."}, aws_env());
  EXPECT_EQ(text.exit_code, 1);
  EXPECT_NE(text.out.find(", 3 events published to default, "), std::string::npos) << text.out;
}

TEST_F(AlertsEndToEnd, GitScanEventsNameTheRepositoryAndCommit) {
  std::string secret = plant("deploy/ci.env");
  std::string git = "cd " + shell_quote(work_.str()) +
                    " && git init -q -b main . && git -c user.name=A -c user.email=a@example.com add -A && "
                    "git -c user.name=A -c user.email=a@example.com commit -qm c && "
                    "git remote add origin https://git.example.com/shop.git && git rev-parse HEAD";
  auto made = testing::run_command(git);
  ASSERT_EQ(made.exit_code, 0) << made.err;
  std::string commit = made.out.substr(0, 40);
  auto run = scan({"--git", "--events-bus", "default", "."}, aws_env());
  ASSERT_EQ(run.exit_code, 1) << run.err;
  Json published = server_->stats()["events"]["published"];
  ASSERT_EQ(published.size(), 1u);
  EXPECT_EQ(published[0]["detail"]["repository"], "https://git.example.com/shop.git");
  EXPECT_EQ(published[0]["detail"]["commit"], commit);
  EXPECT_EQ(published[0]["detail"]["path"], "deploy/ci.env");
}

TEST_F(AlertsEndToEnd, OnlyNewFindingsArePublishedWithABaseline) {
  plant("a.py");
  plant("b.py");
  auto created =
      keyhound({"baseline", "create", "--no-builtin-rules", "--rules", aux_.str() + "/rules.yml", "."}, {});
  ASSERT_EQ(created.exit_code, 0) << created.err;
  plant("c.py");
  auto run =
      scan({"--baseline", ".keyhound-baseline.json", "--events-bus", "default", "--format", "json", "."},
           aws_env());
  ASSERT_EQ(run.exit_code, 1) << run.err;
  Json report = Json::parse(run.out);
  Json published = server_->stats()["events"]["published"];
  ASSERT_EQ(published.size(), 1u);
  EXPECT_EQ(published[0]["detail"]["path"], "c.py");
  EXPECT_EQ(report["summary"]["events"]["published"], 1);
  // Nothing new (c.py is open in the baseline now): no request at all, and no credentials needed.
  ASSERT_EQ(
      keyhound({"baseline", "update", "--no-builtin-rules", "--rules", aux_.str() + "/rules.yml", "."}, {})
          .exit_code,
      0);
  server_->control({{"reset_counts", true}});
  auto quiet = scan({"--baseline", ".keyhound-baseline.json", "--events-bus", "default", "."}, {});
  EXPECT_EQ(quiet.exit_code, 1) << quiet.err;  // open findings are still reported
  EXPECT_EQ(server_->stats()["requests"], 0);
  EXPECT_NE(quiet.out.find(", 0 events published to default, "), std::string::npos) << quiet.out;
}

TEST_F(AlertsEndToEnd, BatchesHoldAtMostTenEntries) {
  for (int i = 0; i < 23; ++i) plant("f" + std::to_string(i) + ".py");
  auto run = scan({"--events-bus", "default", "--format", "json", "."}, aws_env());
  ASSERT_EQ(run.exit_code, 1) << run.err;
  Json events = server_->stats()["events"];
  EXPECT_EQ(events["put_events_sizes"], Json({10, 10, 3}));
  EXPECT_EQ(events["published"].size(), 23u);
  EXPECT_EQ(Json::parse(run.out)["summary"]["events"]["published"], 23);
}

TEST_F(AlertsEndToEnd, FailedEntriesAreRetriedThenCounted) {
  for (int i = 0; i < 12; ++i) plant("f" + std::to_string(i) + ".py");
  server_->control({{"fail_event_entries", 3}, {"event_error_code", "ThrottlingException"}});
  auto run = scan({"--events-bus", "default", "--format", "json", "."}, aws_env());
  ASSERT_EQ(run.exit_code, 1) << run.err;
  Json events = server_->stats()["events"];
  EXPECT_EQ(events["put_events_sizes"], Json({10, 2, 3}));  // the three failed entries sent again
  EXPECT_EQ(events["published"].size(), 12u);
  std::set<std::string> fingerprints;
  for (const auto& event : events["published"]) fingerprints.insert(event["detail"]["fingerprint"]);
  EXPECT_EQ(fingerprints.size(), 12u);  // each once: retries resend only what failed
  EXPECT_EQ(Json::parse(run.out)["summary"]["events"],
            Json({{"bus", "default"}, {"published", 12}, {"failed", 0}}));
}

TEST_F(AlertsEndToEnd, EntriesThatKeepFailingAreCountedAndWarnedWithoutMaskingTheExitCode) {
  for (int i = 0; i < 4; ++i) plant("f" + std::to_string(i) + ".py");
  server_->control({{"fail_event_entries", 1000}, {"event_error_code", "InternalFailure"}});
  // Not quiet: the warning is the point.
  auto run = keyhound({"scan", "--no-builtin-rules", "--rules", aux_.str() + "/rules.yml", "--events-bus",
                       "default", "--format", "json", "."},
                      aws_env());
  EXPECT_EQ(run.exit_code, 1) << run.err;  // the findings' exit code, not an error's
  EXPECT_EQ(Json::parse(run.out)["summary"]["events"],
            Json({{"bus", "default"}, {"published", 0}, {"failed", 4}}));
  EXPECT_NE(
      run.err.find("keyhound: warning: 4 of 4 events not published to default: events:PutEvents: entries "
                   "failed with InternalFailure after 4 attempts"),
      std::string::npos)
      << run.err;
  EXPECT_EQ(server_->stats()["events"]["put_events_sizes"], Json({4, 4, 4, 4}));  // the cap: four attempts
  // An error no retry can fix is not retried.
  server_->control(
      {{"reset_counts", true}, {"fail_event_entries", 1000}, {"event_error_code", "AccessDeniedException"}});
  auto denied = scan({"--events-bus", "default", "--exit-code", "3", "."}, aws_env());
  EXPECT_EQ(denied.exit_code, 3);
  EXPECT_NE(denied.out.find(", 0 events published to default, 4 events NOT published, "), std::string::npos)
      << denied.out;
  EXPECT_EQ(server_->stats()["events"]["put_events_sizes"], Json({4, 4, 4, 4, 4}));
}

TEST_F(AlertsEndToEnd, UnreachableOrUnconfiguredBusIsAWarningAndTheReportIsStillWritten) {
  plant("a.py");
  auto run = keyhound({"scan", "--no-builtin-rules", "--rules", aux_.str() + "/rules.yml", "--events-bus",
                       "default", "--format", "json", "."},
                      {});  // no credentials at all
  EXPECT_EQ(run.exit_code, 1) << run.err;
  EXPECT_EQ(Json::parse(run.out)["findings"].size(), 1u);
  EXPECT_EQ(Json::parse(run.out)["summary"]["events"]["failed"], 1);
  EXPECT_NE(run.err.find("keyhound: warning: 1 of 1 events not published to default: no AWS credentials"),
            std::string::npos)
      << run.err;
}

TEST_F(AlertsEndToEnd, ConfigNamesTheBusAndTheFlagOverridesIt) {
  server_->control({{"event_buses", {"ci-bus", "other-bus"}}});
  plant("a.py");
  work_.write(".keyhound.yml", "events_bus: ci-bus\n");
  auto run = scan({"."}, aws_env());
  ASSERT_EQ(run.exit_code, 1) << run.err;
  Json published = server_->stats()["events"]["published"];
  ASSERT_EQ(published.size(), 1u);
  EXPECT_EQ(published[0]["bus"], "ci-bus");
  auto flag = scan({"--events-bus", "other-bus", "."}, aws_env());
  ASSERT_EQ(flag.exit_code, 1) << flag.err;
  published = server_->stats()["events"]["published"];
  ASSERT_EQ(published.size(), 2u);
  EXPECT_EQ(published[1]["bus"], "other-bus");
  work_.write(".keyhound.yml", "events_bus: ci-bus\nmin_confidence: low\nevents_bus: other-bus\n");
  auto duplicate = scan({"."}, aws_env());
  EXPECT_EQ(duplicate.exit_code, 2);
  EXPECT_NE(duplicate.err.find(".keyhound.yml:3:1: duplicate key 'events_bus' (first at line 1)"),
            std::string::npos)
      << duplicate.err;
  work_.write(".keyhound.yml", "events_bus: [ci-bus]\n");
  auto list = scan({"."}, aws_env());
  EXPECT_EQ(list.exit_code, 2);
  EXPECT_NE(list.err.find(".keyhound.yml:1:13: events_bus: expected an EventBridge bus name or ARN"),
            std::string::npos)
      << list.err;
}

}  // namespace
}  // namespace keyhound
