// The text report: one block per finding, each location (with its commit for git), a summary.
#include <gtest/gtest.h>

#include <sstream>

#include "report/reporter.hpp"

namespace keyhound {
namespace {

TEST(TextReporter, GroupsByFindingWithLocationsCommitsAndSummary) {
  Rule rule;
  rule.id = "aws.access-key-id";
  rule.name = "AWS access key ID";
  rule.confidence = Confidence::high;
  RuleList rules = {rule};
  Finding finding;
  finding.rule_id = rule.id;
  finding.fingerprint = "0123456789abcdef";
  finding.masked = "AK…3K";
  finding.secret = "AKIAZ4XQ7RT2JQ5WMB3K";
  finding.rule_confidence = Confidence::high;
  finding.confidence = Confidence::high;
  Location file;
  file.origin.path = "config/app.env";
  file.line = 3;
  file.column = 21;
  Location commit = file;
  commit.origin.path = "old/app.env";
  commit.origin.commit = "89abcdef0123456789abcdef0123456789abcdef";
  commit.origin.author_name = "Ann Dev";
  commit.origin.author_email = "ann@example.com";
  commit.origin.commit_time = 1700000000;  // 2023-11-14T22:13:20Z, 2023-11-15 at +02:00
  commit.origin.commit_time_offset = 120;
  commit.origin.summary = "Add\tconfig";
  finding.locations = {file, commit};

  ReportContext context;
  context.rules = &rules;
  context.stats.blobs_scanned = 12;
  context.stats.bytes_scanned = 4500;
  context.stats.allowed_inline = 2;
  context.stats.seconds = 0.25;
  context.suppressed_by_baseline = 3;
  context.allowed_by_config = 1;
  std::ostringstream out;
  make_reporter("text")->write({finding}, context, out);
  EXPECT_EQ(
      out.str(),
      "== high confidence: 1 finding ==\n"
      "\n"
      "AWS access key ID (aws.access-key-id, high confidence)\n"
      "  secret       AK…3K\n"
      "  fingerprint  0123456789abcdef\n"
      "  config/app.env:3:21\n"
      "  old/app.env:3:21  89abcdef0123 2023-11-15 Ann Dev <ann@example.com> Add\\x09config\n"
      "\n"
      "1 finding in 12 files (4.5 KB), 3 suppressed by baseline, 2 allowed inline, 1 allowed by config, "
      "0 warnings, 0.25 s\n");

  std::ostringstream shown;
  context.show_secrets = true;
  make_reporter("text")->write({finding}, context, shown);
  EXPECT_NE(shown.str().find("  secret       AKIAZ4XQ7RT2JQ5WMB3K\n"), std::string::npos) << shown.str();
}

}  // namespace
}  // namespace keyhound
