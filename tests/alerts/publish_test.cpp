// Event details, PutEvents batching and the topic policy merge, without a server.
#include "alerts/publish.hpp"

#include <gtest/gtest.h>

#include "alerts/setup.hpp"

namespace keyhound {
namespace {

EventEntry entry_of_size(std::size_t detail_bytes) {
  return {"keyhound", "Secret Found", std::string(detail_bytes, 'x'), "default"};
}

TEST(PublishBatches, TenEntriesAtMost) {
  std::vector<EventEntry> entries(23, entry_of_size(100));
  BatchPlan plan = plan_batches(entries);
  ASSERT_EQ(plan.batches.size(), 3u);
  EXPECT_EQ(plan.batches[0].size(), 10u);
  EXPECT_EQ(plan.batches[1].size(), 10u);
  EXPECT_EQ(plan.batches[2], (std::vector<std::size_t>{20, 21, 22}));
  EXPECT_TRUE(plan.oversized.empty());
}

TEST(PublishBatches, TwoHundredFiftySixKilobytesAtMost) {
  // Entry size as EventBridge counts it: Source + DetailType + Detail bytes (8 + 12 + detail).
  std::vector<EventEntry> entries(5, entry_of_size(100 * 1024 - 20));
  BatchPlan plan = plan_batches(entries);
  ASSERT_EQ(plan.batches.size(), 3u);  // two 100 KB entries fit in 256 KB, three do not
  EXPECT_EQ(plan.batches[0], (std::vector<std::size_t>{0, 1}));
  EXPECT_EQ(plan.batches[1], (std::vector<std::size_t>{2, 3}));
  EXPECT_EQ(plan.batches[2], (std::vector<std::size_t>{4}));
  // Exactly 256 KB in one batch is accepted; one byte more starts another.
  std::vector<EventEntry> exact = {entry_of_size(128 * 1024 - 20), entry_of_size(128 * 1024 - 20)};
  EXPECT_EQ(plan_batches(exact).batches.size(), 1u);
  exact[1].detail.push_back('x');
  EXPECT_EQ(plan_batches(exact).batches.size(), 2u);
}

TEST(PublishBatches, AnEntryOverTheLimitIsSetAsideNotSent) {
  std::vector<EventEntry> entries = {entry_of_size(10), entry_of_size(256 * 1024), entry_of_size(10)};
  BatchPlan plan = plan_batches(entries);
  EXPECT_EQ(plan.oversized, (std::vector<std::size_t>{1}));
  ASSERT_EQ(plan.batches.size(), 1u);
  EXPECT_EQ(plan.batches[0], (std::vector<std::size_t>{0, 2}));
}

TEST(PublishEvent, DetailNamesTheFindingNeverTheSecret) {
  Finding finding;
  finding.rule_id = "github.pat";
  finding.fingerprint = "0123456789abcdef";
  finding.secret = "ghp_" + std::string(36, 'Q');
  finding.masked = "ghp_…QQQQ";
  finding.confidence = Confidence::high;
  finding.verification = "live";
  finding.verified_identity = "octocat";
  Location location;
  location.origin.path = "deploy/ci.env";
  location.origin.commit = std::string(40, 'a');
  location.line = 7;
  finding.locations = {location, location};
  EventEntry entry = finding_event(finding, "https://git.example.com/shop.git", "ci-bus");
  EXPECT_EQ(entry.source, "keyhound");
  EXPECT_EQ(entry.detail_type, "Secret Found");
  EXPECT_EQ(entry.bus, "ci-bus");
  EXPECT_EQ(nlohmann::json::parse(entry.detail),
            nlohmann::json({{"fingerprint", "0123456789abcdef"},
                            {"rule", "github.pat"},
                            {"confidence", "high"},
                            {"verification", "live"},
                            {"verified_identity", "octocat"},
                            {"repository", "https://git.example.com/shop.git"},
                            {"path", "deploy/ci.env"},
                            {"commit", std::string(40, 'a')},
                            {"line", 7},
                            {"locations", 2}}));
  EXPECT_EQ(entry.detail.find("QQQQ"), std::string::npos);
  EXPECT_EQ(entry.size(), 8 + 12 + entry.detail.size());
}

TEST(AlertsPolicy, KeepsOtherStatementsAndReplacesItsOwn) {
  std::string existing = R"({"Version":"2008-10-17","Statement":[{"Sid":"owner","Effect":"Allow"},)"
                         R"({"Sid":"keyhound-eventbridge-publish","Effect":"Allow","Resource":"old"}]})";
  auto statement = eventbridge_publish_statement("arn:aws:sns:eu-west-1:1:t", {"arn:r1", "arn:r2"});
  auto policy = policy_with_statement(existing, statement);
  EXPECT_EQ(policy["Version"], "2008-10-17");
  ASSERT_EQ(policy["Statement"].size(), 2u);
  EXPECT_EQ(policy["Statement"][0]["Sid"], "owner");
  EXPECT_EQ(policy["Statement"][1], statement);
  EXPECT_EQ(policy_with_statement(policy.dump(), statement), policy);  // a second merge changes nothing
  // Replaced where it stands: a statement someone added after it stays after it.
  auto reordered = policy_with_statement(
      R"({"Statement":[{"Sid":"keyhound-eventbridge-publish"},{"Sid":"later"},{"Sid":"keyhound-eventbridge-publish"}]})",
      statement);
  EXPECT_EQ(reordered["Statement"], nlohmann::json::array({statement, {{"Sid", "later"}}}));
  auto fresh = policy_with_statement("", statement);
  EXPECT_EQ(fresh, nlohmann::json({{"Version", "2012-10-17"}, {"Statement", {statement}}}));
}

}  // namespace
}  // namespace keyhound
