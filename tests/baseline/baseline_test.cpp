// The baseline file: round trip, stable output, and errors that name the line or key.
#include "baseline/baseline.hpp"

#include <gtest/gtest.h>

#include "support/support.hpp"

namespace keyhound {
namespace {

Baseline sample_baseline() {
  Baseline baseline;
  baseline.fingerprint_key = std::string(64, 'e');
  BaselineEntry vaulted;
  vaulted.fingerprint = "f00dfeed12345678";
  vaulted.rule_id = "aws.secret-access-key";
  vaulted.status = TriageStatus::vaulted;
  vaulted.note = "moved to Secrets Manager";
  vaulted.masked = "abcd…wxyz";
  vaulted.secret_hmac = std::string(64, 'a');
  vaulted.secret_name = "keyhound/repo/aws.secret-access-key/f00dfeed12345678";
  vaulted.secret_arn = "arn:aws:secretsmanager:us-east-1:123456789012:secret:x-AbCdEf";
  vaulted.vaulted_at = "2026-01-02T03:04:05Z";
  vaulted.locations.push_back(
      {"src/b.py", "", "1111111111111111111111111111111111111111", 9, 3, 120, 160, ""});
  vaulted.locations.push_back({"src/a.py", "2222222222222222222222222222222222222222",
                               "3333333333333333333333333333333333333333", 2, 5, 10, 50, ""});
  BaselineEntry open;
  open.fingerprint = "0123456789abcdef";
  open.rule_id = "aws.access-key-id";
  open.masked = "AKIA…MPLE";
  open.secret_hmac = std::string(64, 'b');
  open.locations.push_back(
      {"config/a b.env", "", "4444444444444444444444444444444444444444", 1, 19, 18, 38, ""});
  baseline.entries[vaulted.fingerprint] = vaulted;
  baseline.entries[open.fingerprint] = open;
  return baseline;
}

TEST(Baseline, WritesStableSortedPrettyJson) {
  std::string text = baseline_to_json(sample_baseline());
  EXPECT_EQ(text,
            "{\n"
            "  \"version\": 2,\n"
            "  \"tool\": \"keyhound\",\n"
            "  \"fingerprint_key\": \"" +
                std::string(64, 'e') +
                "\",\n"
                "  \"entries\": [\n"
                "    {\n"
                "      \"fingerprint\": \"0123456789abcdef\",\n"
                "      \"rule_id\": \"aws.access-key-id\",\n"
                "      \"status\": \"open\",\n"
                "      \"note\": \"\",\n"
                "      \"masked\": \"AKIA…MPLE\",\n"
                "      \"secret_hmac\": \"" +
                std::string(64, 'b') +
                "\",\n"
                "      \"locations\": [\n"
                "        {\n"
                "          \"path\": \"config/a b.env\",\n"
                "          \"blob_id\": \"4444444444444444444444444444444444444444\",\n"
                "          \"line\": 1,\n"
                "          \"column\": 19,\n"
                "          \"start_offset\": 18,\n"
                "          \"end_offset\": 38\n"
                "        }\n"
                "      ]\n"
                "    },\n"
                "    {\n"
                "      \"fingerprint\": \"f00dfeed12345678\",\n"
                "      \"rule_id\": \"aws.secret-access-key\",\n"
                "      \"status\": \"vaulted\",\n"
                "      \"note\": \"moved to Secrets Manager\",\n"
                "      \"masked\": \"abcd…wxyz\",\n"
                "      \"secret_hmac\": \"" +
                std::string(64, 'a') +
                "\",\n"
                "      \"secret_name\": \"keyhound/repo/aws.secret-access-key/f00dfeed12345678\",\n"
                "      \"secret_arn\": \"arn:aws:secretsmanager:us-east-1:123456789012:secret:x-AbCdEf\",\n"
                "      \"vaulted_at\": \"2026-01-02T03:04:05Z\",\n"
                "      \"locations\": [\n"
                "        {\n"
                "          \"path\": \"src/a.py\",\n"
                "          \"commit\": \"2222222222222222222222222222222222222222\",\n"
                "          \"blob_id\": \"3333333333333333333333333333333333333333\",\n"
                "          \"line\": 2,\n"
                "          \"column\": 5,\n"
                "          \"start_offset\": 10,\n"
                "          \"end_offset\": 50\n"
                "        },\n"
                "        {\n"
                "          \"path\": \"src/b.py\",\n"
                "          \"blob_id\": \"1111111111111111111111111111111111111111\",\n"
                "          \"line\": 9,\n"
                "          \"column\": 3,\n"
                "          \"start_offset\": 120,\n"
                "          \"end_offset\": 160\n"
                "        }\n"
                "      ]\n"
                "    }\n"
                "  ]\n"
                "}\n");
}

TEST(Baseline, RoundTripsThroughAFile) {
  testing::TempDir dir;
  std::string path = (dir.path() / ".keyhound-baseline.json").string();
  ASSERT_TRUE(write_baseline(path, sample_baseline()).ok());
  auto read = read_baseline(path);
  ASSERT_TRUE(read.ok()) << read.error().message;
  ASSERT_EQ(read->entries.size(), 2u);
  const BaselineEntry& entry = read->entries.at("f00dfeed12345678");
  EXPECT_EQ(entry.rule_id, "aws.secret-access-key");
  EXPECT_EQ(entry.status, TriageStatus::vaulted);
  EXPECT_EQ(entry.note, "moved to Secrets Manager");
  EXPECT_EQ(entry.secret_arn, "arn:aws:secretsmanager:us-east-1:123456789012:secret:x-AbCdEf");
  EXPECT_EQ(entry.secret_name, "keyhound/repo/aws.secret-access-key/f00dfeed12345678");
  EXPECT_EQ(entry.vaulted_at, "2026-01-02T03:04:05Z");
  ASSERT_EQ(entry.locations.size(), 2u);
  EXPECT_EQ(entry.locations[0].path, "src/a.py");
  EXPECT_EQ(entry.locations[0].commit, "2222222222222222222222222222222222222222");
  EXPECT_EQ(entry.locations[0].line, 2u);
  EXPECT_EQ(entry.locations[0].column, 5u);
  EXPECT_EQ(entry.locations[0].start_offset, 10u);
  EXPECT_EQ(entry.locations[0].end_offset, 50u);
  EXPECT_EQ(read->entries.at("0123456789abcdef").status, TriageStatus::open);
  // Writing what was read gives the same bytes: the file diffs only where triage changed.
  EXPECT_EQ(baseline_to_json(*read), testing::read_text(path));
}

TEST(Baseline, StatusNamesRoundTrip) {
  for (const char* name : {"open", "false_positive", "accepted_risk", "confirmed", "vaulted"}) {
    auto status = parse_triage_status(name);
    ASSERT_TRUE(status.has_value()) << name;
    EXPECT_STREQ(to_string(*status), name);
  }
  EXPECT_FALSE(parse_triage_status("opne").has_value());
  EXPECT_TRUE(still_reported(TriageStatus::open));
  EXPECT_TRUE(still_reported(TriageStatus::confirmed));
  EXPECT_FALSE(still_reported(TriageStatus::false_positive));
  EXPECT_FALSE(still_reported(TriageStatus::accepted_risk));
  EXPECT_FALSE(still_reported(TriageStatus::vaulted));
}

std::string error_of(const std::string& text) {
  auto parsed = parse_baseline(text, "b.json");
  return parsed.ok() ? "(parsed)" : parsed.error().message;
}

TEST(Baseline, MalformedJsonNamesFileLineAndColumn) {
  EXPECT_EQ(
      error_of(
          "{\n  \"version\": 1,\n  \"entries\": [\n    {\"fingerprint\": \"0123456789abcdef\",}\n  ]\n}\n"),
      "b.json:4:40: malformed baseline: syntax error while parsing object key - unexpected '}'; "
      "expected string literal");
  EXPECT_EQ(error_of(""),
            "b.json:1:1: malformed baseline: syntax error while parsing value - unexpected end of input; "
            "expected '[', '{', or a literal");
}

TEST(Baseline, MalformedJsonNeverEchoesTheFileContent) {
  std::string message = error_of("{\"version\": 1, \"entries\": [\"AKIAQWERTYUIOPASDFGH");
  EXPECT_EQ(message.find("AKIAQWERTYUIOPASDFGH"), std::string::npos) << message;
  EXPECT_EQ(message.rfind("b.json:1:", 0), 0u) << message;
}

TEST(Baseline, BadFieldsNameTheKey) {
  const std::string head = "{\"version\": 1, \"entries\": [";
  const std::string ok =
      "{\"fingerprint\": \"0123456789abcdef\", \"rule_id\": \"a.b\", \"status\": \"open\"}";
  EXPECT_EQ(error_of(head + ok + "," + ok + "]}"),
            "b.json: entries[1].fingerprint: duplicate fingerprint 0123456789abcdef");
  EXPECT_EQ(
      error_of(head + ok +
               ", {\"fingerprint\": \"1123456789abcdef\", \"rule_id\": \"a.b\", \"status\": \"opne\"}]}"),
      "b.json: entries[1].status: unknown status 'opne' (open, false_positive, accepted_risk, confirmed, "
      "vaulted, rotated)");
  EXPECT_EQ(error_of(head + "{\"fingerprint\": \"xyz\", \"rule_id\": \"a.b\", \"status\": \"open\"}]}"),
            "b.json: entries[0].fingerprint: 'xyz' is not a fingerprint (16 lowercase hex digits)");
  EXPECT_EQ(error_of(head + "{\"fingerprint\": \"0123456789abcdef\", \"status\": \"open\"}]}"),
            "b.json: entries[0].rule_id: missing");
  EXPECT_EQ(error_of(head + "{\"fingerprint\": \"0123456789abcdef\", \"rule_id\": \"a.b\", \"status\": "
                            "\"open\", \"stauts\": 1}]}"),
            "b.json: entries[0]: unknown key 'stauts' (known: fingerprint, rule_id, status, note, masked, "
            "secret_sha256, secret_hmac, locations, pair, pair_field, secret_name, secret_field, secret_arn, "
            "vaulted_at)");
  EXPECT_EQ(
      error_of(head + "{\"fingerprint\": \"0123456789abcdef\", \"rule_id\": \"a.b\", \"status\": \"open\", "
                      "\"locations\": [{\"path\": \"a\", \"line\": -1}]}]}"),
      "b.json: entries[0].locations[0].line: expected a non-negative integer");
  EXPECT_EQ(error_of(head + "{\"fingerprint\": \"0123456789abcdef\", \"rule_id\": \"a.b\", \"status\": 3}]}"),
            "b.json: entries[0].status: expected a string");
  EXPECT_EQ(error_of("{\"version\": 2, \"entries\": []}"), "b.json: fingerprint_key: missing");
  EXPECT_EQ(error_of("{\"version\": 3, \"entries\": []}"),
            "b.json: version: unsupported version 3 (this keyhound reads versions 1 and 2)");
  EXPECT_EQ(error_of("{\"entries\": []}"), "b.json: version: missing");
  EXPECT_EQ(error_of("[]"), "b.json: expected a JSON object with \"version\" and \"entries\"");
  EXPECT_EQ(error_of("{\"version\": 1, \"entries\": {}}"), "b.json: entries: expected an array");
  EXPECT_EQ(error_of("{\"version\": 1, \"entries\": [], \"extra\": true}"),
            "b.json: unknown key 'extra' (known: version, tool, fingerprint_key, entries)");
}

TEST(Baseline, MissingFileIsAnError) {
  testing::TempDir dir;
  auto read = read_baseline((dir.path() / "none.json").string());
  ASSERT_FALSE(read.ok());
  EXPECT_NE(read.error().message.find("none.json"), std::string::npos) << read.error().message;
}

}  // namespace
}  // namespace keyhound
