// Filtering findings by a baseline and refreshing a baseline from a scan.
#include "baseline/apply.hpp"

#include <gtest/gtest.h>

namespace keyhound {
namespace {

Finding finding_of(const std::string& fingerprint, const std::string& path, std::uint64_t line) {
  Finding finding;
  finding.rule_id = "aws.access-key-id";
  finding.fingerprint = fingerprint;
  finding.masked = "AK…XY";
  finding.secret_hmac = std::string(64, 'd');
  finding.secret = "not-stored";
  Location location;
  location.origin.path = path;
  location.line = line;
  location.column = 7;
  location.blob_id = "b10b";
  location.start_offset = 30;
  location.end_offset = 50;
  finding.locations.push_back(location);
  return finding;
}

Baseline baseline_with(std::initializer_list<std::pair<const char*, TriageStatus>> entries) {
  Baseline baseline;
  for (const auto& [fingerprint, status] : entries) {
    BaselineEntry entry = baseline_entry_for(finding_of(fingerprint, "old/place.env", 1));
    entry.status = status;
    entry.note = "triaged";
    baseline.entries[fingerprint] = entry;
  }
  return baseline;
}

// Vaulted is not done: a vaulted secret the scanned tree still holds keeps failing the scan.
TEST(BaselineApply, ReportsNewOpenConfirmedAndVaultedStillInCode) {
  Baseline baseline = baseline_with({{"000000000000000a", TriageStatus::open},
                                     {"000000000000000b", TriageStatus::false_positive},
                                     {"000000000000000c", TriageStatus::accepted_risk},
                                     {"000000000000000d", TriageStatus::confirmed},
                                     {"000000000000000e", TriageStatus::vaulted}});
  std::vector<Finding> findings;
  for (const char* fp : {"000000000000000a", "000000000000000b", "000000000000000c", "000000000000000d",
                         "000000000000000e", "000000000000000f"})
    findings.push_back(finding_of(fp, "a.env", 1));
  auto filtered = filter_by_baseline(findings, baseline, [](const Finding&) { return true; });
  std::vector<std::string> reported;
  for (const auto& finding : filtered.reported) reported.push_back(finding.fingerprint);
  EXPECT_EQ(reported, (std::vector<std::string>{"000000000000000a", "000000000000000d", "000000000000000e",
                                                "000000000000000f"}));
  EXPECT_EQ(filtered.states, (std::map<std::string, std::string>{{"000000000000000e", kVaultedStillInCode}}));
  EXPECT_EQ(filtered.suppressed, 2u);
}

TEST(BaselineApply, EntryHoldsNoSecret) {
  BaselineEntry entry = baseline_entry_for(finding_of("0123456789abcdef", "src/x.py", 4));
  EXPECT_EQ(entry.fingerprint, "0123456789abcdef");
  EXPECT_EQ(entry.status, TriageStatus::open);
  EXPECT_EQ(entry.masked, "AK…XY");
  ASSERT_EQ(entry.locations.size(), 1u);
  EXPECT_EQ(entry.locations[0].path, "src/x.py");
  EXPECT_EQ(entry.locations[0].line, 4u);
  EXPECT_EQ(entry.locations[0].column, 7u);
  EXPECT_EQ(entry.locations[0].start_offset, 30u);
  EXPECT_EQ(entry.locations[0].end_offset, 50u);
  EXPECT_EQ(baseline_to_json(Baseline{std::string(64, 'e'), {{entry.fingerprint, entry}}}).find("not-stored"),
            std::string::npos);
}

TEST(BaselineApply, UpdateAddsNewKeepsTriageRefreshesLocations) {
  Baseline baseline = baseline_with({{"000000000000000a", TriageStatus::false_positive},
                                     {"000000000000000b", TriageStatus::vaulted},
                                     {"000000000000000c", TriageStatus::accepted_risk}});
  baseline.entries["000000000000000b"].secret_arn = "arn:aws:secretsmanager:eu-west-1:1:secret:k";
  std::vector<Finding> findings = {finding_of("000000000000000a", "moved/here.env", 9),
                                   finding_of("000000000000000f", "new.env", 2)};
  BaselineChanges changes = update_baseline(baseline, findings, false);
  EXPECT_EQ(changes.added, 1u);
  EXPECT_EQ(changes.refreshed, 1u);
  EXPECT_EQ(changes.unseen, 2u);
  EXPECT_EQ(changes.pruned, 0u);
  ASSERT_EQ(baseline.entries.size(), 4u);
  const BaselineEntry& moved = baseline.entries.at("000000000000000a");
  EXPECT_EQ(moved.status, TriageStatus::false_positive);
  EXPECT_EQ(moved.note, "triaged");
  EXPECT_EQ(moved.locations.at(0).path, "moved/here.env");
  EXPECT_EQ(moved.locations.at(0).line, 9u);
  EXPECT_EQ(baseline.entries.at("000000000000000f").status, TriageStatus::open);

  changes = update_baseline(baseline, findings, true);
  EXPECT_EQ(changes.added, 0u);
  EXPECT_EQ(changes.unseen, 2u);
  EXPECT_EQ(changes.pruned, 1u);  // the vaulted entry stays: it records where the secret went
  EXPECT_EQ(baseline.entries.count("000000000000000c"), 0u);
  EXPECT_EQ(baseline.entries.at("000000000000000b").secret_arn,
            "arn:aws:secretsmanager:eu-west-1:1:secret:k");
}

TEST(BaselineApply, FindsEntriesByUniquePrefix) {
  Baseline baseline =
      baseline_with({{"abcdef0000000001", TriageStatus::open}, {"abcdef1000000002", TriageStatus::open}});
  auto exact = find_baseline_entry(baseline, "abcdef0000000001");
  ASSERT_TRUE(exact.ok());
  EXPECT_EQ((*exact)->fingerprint, "abcdef0000000001");
  auto prefix = find_baseline_entry(baseline, "abcdef1");
  ASSERT_TRUE(prefix.ok());
  EXPECT_EQ((*prefix)->fingerprint, "abcdef1000000002");
  auto ambiguous = find_baseline_entry(baseline, "abcdef");
  ASSERT_FALSE(ambiguous.ok());
  EXPECT_EQ(ambiguous.error().message, "fingerprint prefix 'abcdef' matches several baseline entries");
  auto missing = find_baseline_entry(baseline, "0123456789abcdef");
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().message, "no baseline entry has fingerprint '0123456789abcdef'");
  EXPECT_FALSE(find_baseline_entry(baseline, "abc").ok());
}

}  // namespace
}  // namespace keyhound
