// Per-finding confidence end to end: a small project with a secret in each kind of place, the
// exact confidence and reasons each finding gets, and what --min-confidence shows and counts.
#include <gtest/gtest.h>
#include <zlib.h>

#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>

#include "e2e/git_test_repo.hpp"
#include "support/support.hpp"

namespace keyhound {
namespace {

using testing::run_keyhound;

// A GitHub token made with GitHub's published scheme: 30 random base62 characters, then the
// CRC32 of those in base62, six characters, left-padded with '0'.
std::string github_token(const std::string& random30) {
  static constexpr std::string_view kBase62 =
      "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
  unsigned long crc =
      crc32(0L, reinterpret_cast<const Bytef*>(random30.data()), static_cast<uInt>(random30.size()));
  std::string digits;
  for (; crc; crc /= 62) digits.insert(digits.begin(), kBase62[crc % 62]);
  return "ghp_" + random30 + std::string(6 - digits.size(), '0') + digits;
}

const std::string kGoodToken = github_token("Xq4Lm9RtV2bN7cWz3KpY8sDf1GhJ6k");
// The same token with its first checksum character changed: a look-alike typed by hand.
const std::string kBadToken =
    kGoodToken.substr(0, 34) + (kGoodToken[34] == 'a' ? 'b' : 'a') + kGoodToken.substr(35);

// One file per kind of place; every value is synthetic.
void write_project(const testing::TempDir& dir, const std::string& root) {
  auto write = [&](const std::string& path, const std::string& text) { dir.write(root + "/" + path, text); };
  write("app/settings.py", "DB_PASSWORD = \"Tq7wLz2Rk9vX4mPs\"\n");
  write("tests/test_login.py", "def test_login():\n    password = \"Hn4vQx8Lr2Wz7kTm\"\n");
  write("docs/setup.md", "# Setup\n\n```python\nAPI_KEY = \"Jc5nRw9Tq3Lx8vZp\"\n```\n");
  write("app/views.py",
        "def login():\n"
        "    # auth_token = \"Vb6mKs2Xp9Qw4nLr\"\n"
        "    pass\n"
        "\n"
        "def sign():\n"
        "    \"\"\"Signs requests.\n"
        "\n"
        "    client_secret = \"Pw3zNf8Kt5Rm2xVq\"\n"
        "    \"\"\"\n");
  write("vendor/lib/conf.py", "api_secret = \"Gy8rTb4Mw1Zx6qNs\"\n");
  write("app/config.py",
        "secret_token = \"49d3f3de9ed86c74...\"\n"
        "SECRET_KEY = \"secret_key_2024\"\n"
        "password = \"am@z1ng_p@ssw0rd#!\"\n");
  write("app/billing.rb", "Stripe.api_key = 'sk_test_4eC39HqLyjWDarjtT1zdp7dc'\n");
  write("tests/fixtures/ci.yml", "env:\n  GH_TOKEN: " + kGoodToken + "\n");
  write("app/deploy.sh", "export GH_TOKEN=" + kBadToken + "\n");
  write("tests/fixtures/aws.env", "AWS_ACCESS_KEY_ID=AKIARGMX5H56IDQH2SQK\n");
}

// "path rule confidence (rule: level) [reasons]" for every location of a json report.
std::vector<std::string> confidence_rows(const std::string& json_text) {
  auto report = nlohmann::json::parse(json_text, nullptr, false);
  EXPECT_FALSE(report.is_discarded()) << json_text;
  std::vector<std::string> rows;
  if (report.is_discarded()) return rows;
  for (const auto& finding : report["findings"]) {
    std::string reasons;
    for (const auto& reason : finding["reasons"])
      reasons += (reasons.empty() ? "" : ",") + reason.get<std::string>();
    for (const auto& at : finding["locations"])
      rows.push_back(at["path"].get<std::string>() + " " + finding["rule_id"].get<std::string>() + " " +
                     finding["confidence"].get<std::string>() +
                     " (rule: " + finding["rule_confidence"].get<std::string>() + ") [" + reasons + "]");
  }
  std::sort(rows.begin(), rows.end());
  return rows;
}

const std::vector<std::string> kEveryFinding = {
    "proj/app/billing.rb stripe.test-key low (rule: low) [published-example]",
    "proj/app/config.py generic.quoted-assignment low (rule: medium) [dictionary-word]",
    "proj/app/config.py generic.quoted-assignment low (rule: medium) [key-name,dictionary-word]",
    "proj/app/config.py generic.quoted-assignment low (rule: medium) [truncated]",
    "proj/app/deploy.sh github.pat-classic low (rule: high) [checksum-mismatch]",
    "proj/app/settings.py generic.quoted-assignment medium (rule: medium) []",
    "proj/app/views.py generic.quoted-assignment low (rule: medium) [comment]",
    "proj/app/views.py generic.quoted-assignment low (rule: medium) [docstring]",
    "proj/docs/setup.md generic.quoted-assignment low (rule: medium) [doc-path,doc-example]",
    "proj/tests/fixtures/aws.env aws.access-key-id high (rule: high) [test-path]",
    "proj/tests/fixtures/ci.yml github.pat-classic high (rule: high) [test-path,checksum]",
    "proj/tests/test_login.py generic.quoted-assignment low (rule: medium) [test-path]",
    "proj/vendor/lib/conf.py generic.quoted-assignment low (rule: medium) [vendored-path]",
};

TEST(ConfidenceCli, EveryPlaceGetsItsConfidenceAndReasons) {
  testing::TempDir dir;
  write_project(dir, "proj");
  auto all = run_keyhound({"scan", "--format", "json", "--min-confidence", "low", "proj"}, dir.str());
  EXPECT_EQ(all.exit_code, 1) << all.err;
  EXPECT_EQ(confidence_rows(all.out), kEveryFinding);

  auto shown = run_keyhound({"scan", "--format", "json", "proj"}, dir.str());
  EXPECT_EQ(shown.exit_code, 1) << shown.err;
  EXPECT_EQ(confidence_rows(shown.out),
            (std::vector<std::string>{
                "proj/app/settings.py generic.quoted-assignment medium (rule: medium) []",
                "proj/tests/fixtures/aws.env aws.access-key-id high (rule: high) [test-path]",
                "proj/tests/fixtures/ci.yml github.pat-classic high (rule: high) [test-path,checksum]",
            }));
  auto summary = nlohmann::json::parse(shown.out)["summary"];
  EXPECT_EQ(summary["min_confidence"], "medium");
  EXPECT_EQ(summary["below_min_confidence"], 10);
}

TEST(ConfidenceCli, TextGroupsByConfidenceAndCountsWhatItHolds) {
  testing::TempDir dir;
  write_project(dir, "proj");
  auto text = run_keyhound({"scan", "--no-color", "proj"}, dir.str());
  EXPECT_EQ(text.exit_code, 1) << text.err;
  std::size_t high = text.out.find("== high confidence: 2 findings ==\n\n");
  std::size_t medium = text.out.find("== medium confidence: 1 finding ==\n\n");
  ASSERT_NE(high, std::string::npos) << text.out;
  ASSERT_NE(medium, std::string::npos) << text.out;
  EXPECT_LT(high, medium);
  EXPECT_EQ(text.out.find("== low confidence"), std::string::npos) << text.out;
  EXPECT_NE(text.out.find("  reasons      test-path, checksum\n"), std::string::npos) << text.out;
  EXPECT_NE(text.out.find("3 findings in 10 files"), std::string::npos) << text.out;
  EXPECT_NE(text.out.find(", 10 below medium confidence (--min-confidence low shows them), "),
            std::string::npos)
      << text.out;

  auto verbose =
      run_keyhound({"scan", "--no-color", "-v", "--min-confidence", "low", "proj/tests"}, dir.str());
  EXPECT_NE(verbose.out.find("== low confidence: 1 finding ==\n"), std::string::npos) << verbose.out;
  // Scanned from tests/ itself, the test folder is the root: test_login.py is still a test by name.
  EXPECT_NE(verbose.out.find("  proj/tests/test_login.py:2:17  [low: test-path]\n"), std::string::npos)
      << verbose.out;
  EXPECT_NE(verbose.out.find("  proj/tests/fixtures/aws.env:1:19  [high: test-path]\n"), std::string::npos)
      << verbose.out;
}

TEST(ConfidenceCli, FlagWinsOverConfigAndBadLevelsAreErrors) {
  testing::TempDir dir;
  write_project(dir, "proj");
  dir.write("proj/.keyhound.yml", "min_confidence: high\n");
  auto from_config = run_keyhound({"scan", "--format", "json", "proj"}, dir.str());
  EXPECT_EQ(confidence_rows(from_config.out).size(), 2u) << from_config.out;
  EXPECT_EQ(nlohmann::json::parse(from_config.out)["summary"]["below_min_confidence"], 11);
  auto flag = run_keyhound({"scan", "--format", "json", "--min-confidence", "low", "proj"}, dir.str());
  EXPECT_EQ(confidence_rows(flag.out), kEveryFinding);

  auto bad = run_keyhound({"scan", "--min-confidence", "hgh", "proj"}, dir.str());
  EXPECT_EQ(bad.exit_code, 2);
  EXPECT_EQ(bad.err, "keyhound: error: --min-confidence: expected low, medium or high, not 'hgh'\n");

  // Only low findings: nothing to report at the default level, so a clean exit.
  testing::TempDir quiet;
  quiet.write("proj/tests/test_a.py", "password = \"Hn4vQx8Lr2Wz7kTm\"\n");
  auto clean = run_keyhound({"scan", "--no-color", "proj"}, quiet.str());
  EXPECT_EQ(clean.exit_code, 0) << clean.out;
  EXPECT_EQ(clean.out.rfind("0 findings in 1 file (", 0), 0u) << clean.out;
  EXPECT_NE(clean.out.find(", 1 below medium confidence (--min-confidence low shows them), "),
            std::string::npos);
}

TEST(ConfidenceCli, BaselineCreateTakesTheLevelAndSaysWhatItLeftOut) {
  testing::TempDir dir;
  write_project(dir, "proj");
  auto created = run_keyhound({"baseline", "create", "proj"}, dir.str());
  EXPECT_EQ(created.exit_code, 0) << created.err;
  EXPECT_EQ(created.out,
            "created .keyhound-baseline.json: 3 entries (3 open); 10 below medium confidence not added "
            "(--min-confidence low adds them)\n");
  auto everything = run_keyhound({"baseline", "update", "--min-confidence", "low", "proj"}, dir.str());
  EXPECT_EQ(everything.exit_code, 0) << everything.err;
  EXPECT_EQ(everything.out.rfind("updated .keyhound-baseline.json: 10 new (open), 3 refreshed,", 0), 0u)
      << everything.out;
  // Back at the default level, held-back findings still count as found: nothing is pruned.
  auto pruned = run_keyhound({"baseline", "update", "--prune", "proj"}, dir.str());
  EXPECT_EQ(
      pruned.out.rfind(
          "updated .keyhound-baseline.json: 0 new (open), 13 refreshed, 0 not found any more, 0 pruned;", 0),
      0u)
      << pruned.out;
}

// Nothing is hidden silently: at --min-confidence low a git history scan of a generated
// repository shows every finding a directory scan of its files shows, and the default level
// shows the rest of them and counts exactly what it holds back.
TEST(ConfidenceCli, LowShowsEverythingOnAGeneratedRepository) {
  testing::GitRepo repo;
  write_project(repo.dir(), ".");
  repo.commit("project");
  auto history = run_keyhound({"scan", "--git", "--format", "json", "--min-confidence", "low", repo.str()});
  auto files = run_keyhound({"scan", "--format", "json", "--min-confidence", "low", repo.str()});
  ASSERT_EQ(history.exit_code, 1) << history.err;
  auto fingerprints = [](const std::string& text) {
    std::set<std::string> out;
    auto report = nlohmann::json::parse(text);
    for (const auto& finding : report["findings"]) out.insert(finding["fingerprint"].get<std::string>());
    return out;
  };
  EXPECT_EQ(fingerprints(history.out).size(), kEveryFinding.size());
  EXPECT_EQ(fingerprints(history.out), fingerprints(files.out));
  auto shown = run_keyhound({"scan", "--git", "--format", "json", repo.str()});
  auto report = nlohmann::json::parse(shown.out);
  EXPECT_EQ(report["findings"].size() + report["summary"]["below_min_confidence"].get<std::size_t>(),
            kEveryFinding.size());
  EXPECT_EQ(report["findings"].size(), 3u);
}

}  // namespace
}  // namespace keyhound
