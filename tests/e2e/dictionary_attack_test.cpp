// Issue 14, point 6: a report (JSON, SARIF, a scan against a baseline) must not let anyone who
// reads it confirm a guessed weak password with a dictionary. The attacker here knows every
// construction keyhound ever used (unkeyed SHA-256 of the secret, the version-1 fingerprint,
// HMAC under an empty key) and holds a 10,000-word dictionary that contains the password.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <regex>
#include <set>

#include "finding/finding.hpp"
#include "support/build_paths.hpp"
#include "support/support.hpp"
#include "util/hash.hpp"

namespace keyhound {
namespace {

using testing::run_keyhound;
using testing::TempDir;

const std::string kWeakPassword = "Hunter2Hunter2!xyz";
const std::string kRule = "test.db-password";

// 10,000 password-shaped guesses: common stems, years, suffixes; the real one among them.
std::vector<std::string> dictionary() {
  const char* stems[] = {"password",       "Password", "hunter",   "Hunter2",  "letmein",
                         "dragon",         "qwerty",   "monkey",   "shadow",   "master",
                         "sunshine",       "princess", "football", "iloveyou", "admin",
                         "welcome",        "trustno1", "baseball", "superman", "michael",
                         "Hunter2Hunter2", "abc123",   "starwars", "whatever", "freedom"};
  const char* suffixes[] = {"",    "!",  "1",  "123", "!xyz", "2024", "2025", "!@#", "xyz", "_",
                            "?",   "01", "99", "007", "!1",   "#1",   "$",    "*",   "1!",  "12",
                            "321", "!!", "2",  "69",  "77",   "88",   "00",   "11",  "22",  "33",
                            "44",  "55", "66", "666", "777",  "888",  "999",  "000", "!x",  "!y",
                            "!z",  "xy", "yz", "!xy", "!yz",  "x",    "y",    "z",   "q",   "w"};
  std::vector<std::string> words;
  for (int round = 0; words.size() < 10000; ++round)
    for (const char* stem : stems)
      for (const char* suffix : suffixes)
        if (words.size() < 10000)
          words.push_back(std::string(stem) + suffix + (round ? std::to_string(round) : ""));
  EXPECT_NE(std::find(words.begin(), words.end(), kWeakPassword), words.end());
  return words;
}

// Every run of 16 or more hex digits in `text`, and every 16-digit prefix of one.
std::set<std::string> hex_tokens(const std::string& text) {
  std::set<std::string> out;
  std::regex hex("[0-9a-f]{16,}");
  for (auto it = std::sregex_iterator(text.begin(), text.end(), hex); it != std::sregex_iterator(); ++it) {
    out.insert(it->str());
    out.insert(it->str().substr(0, 16));
  }
  return out;
}

// The guesses a dictionary confirms against `report`, with every unkeyed construction.
std::vector<std::string> confirmed_guesses(const std::string& report) {
  std::set<std::string> tokens = hex_tokens(report);
  std::vector<std::string> confirmed;
  for (const auto& guess : dictionary()) {
    for (const std::string& hash :
         {sha256_hex(guess), legacy_fingerprint_of(kRule, guess), fingerprint_of("", kRule, guess),
          secret_hmac_of("", guess), sha256_hex(guess).substr(0, 16)})
      if (tokens.count(hash)) {
        confirmed.push_back(guess);
        break;
      }
  }
  return confirmed;
}

class DictionaryAttack : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_.write("rules.yml",
               "rules:\n"
               "  - id: " +
                   kRule +
                   "\n"
                   "    name: Test database password\n"
                   "    pattern: 'db_password = \"([^\"]{8,64})\"'\n"
                   "    confidence: high\n"
                   "    examples:\n"
                   "      - 'db_password = \"k9Wq2LmZ0pXv\"'\n");
    dir_.write("src/settings.py", "HOST = \"db.internal\"\ndb_password = \"" + kWeakPassword + "\"\n");
  }

  testing::CommandResult scan(std::vector<std::string> extra) {
    std::vector<std::string> args = {"scan", "--no-builtin-rules", "--rules", "rules.yml"};
    args.insert(args.end(), extra.begin(), extra.end());
    args.push_back("src");
    return run_keyhound(args, dir_.str());
  }

  TempDir dir_;
};

TEST_F(DictionaryAttack, FailsAgainstJsonAndSarifReports) {
  for (const char* format : {"json", "sarif"}) {
    auto report = scan({"--format", format});
    ASSERT_EQ(report.exit_code, 1) << report.err;
    EXPECT_EQ(report.out.find(kWeakPassword), std::string::npos);
    EXPECT_EQ(report.out.find("secret_sha256"), std::string::npos) << format;
    EXPECT_EQ(report.out.find("secretSha256"), std::string::npos) << format;
    EXPECT_EQ(confirmed_guesses(report.out), std::vector<std::string>{}) << format;
  }
}

TEST_F(DictionaryAttack, FailsAgainstAReportMadeWithABaseline) {
  ASSERT_EQ(
      run_keyhound({"baseline", "create", "--no-builtin-rules", "--rules", "rules.yml", "src"}, dir_.str())
          .exit_code,
      0);
  auto report = scan({"--format", "json", "--baseline", ".keyhound-baseline.json"});
  ASSERT_EQ(report.exit_code, 1) << report.err;
  EXPECT_EQ(confirmed_guesses(report.out), std::vector<std::string>{});
  // The same fingerprint is stable for the baseline: the key that makes it is the baseline's.
  auto baseline = nlohmann::json::parse(testing::read_text(dir_.path() / ".keyhound-baseline.json"));
  std::string key = baseline["fingerprint_key"];
  std::string fingerprint = nlohmann::json::parse(report.out)["findings"][0]["fingerprint"];
  EXPECT_EQ(fingerprint, fingerprint_of(key, kRule, kWeakPassword));
  EXPECT_EQ(baseline["entries"][0]["fingerprint"], fingerprint);
}

// The control: the same attack confirms the password against the version-1 construction, so the
// attack above is a real one and its failure means something.
TEST(DictionaryAttackControl, ConfirmsThePasswordAgainstUnkeyedFingerprints) {
  std::string old_report = "{\"fingerprint\": \"" + legacy_fingerprint_of(kRule, kWeakPassword) +
                           "\", \"secret_sha256\": \"" + sha256_hex(kWeakPassword) + "\"}";
  EXPECT_EQ(confirmed_guesses(old_report), std::vector<std::string>{kWeakPassword});
}

TEST_F(DictionaryAttack, FingerprintsWithoutABaselineAreStableForTheUser) {
  auto first = scan({"--format", "json"});
  auto second = scan({"--format", "json"});
  ASSERT_EQ(first.exit_code, 1);
  std::string a = nlohmann::json::parse(first.out)["findings"][0]["fingerprint"];
  std::string b = nlohmann::json::parse(second.out)["findings"][0]["fingerprint"];
  EXPECT_EQ(a, b);
  std::string key = testing::read_text(std::filesystem::path(KEYHOUND_TEST_CACHE_DIR) / "fingerprint.key");
  EXPECT_EQ(a, fingerprint_of(key.substr(0, 64), kRule, kWeakPassword));
}

}  // namespace
}  // namespace keyhound
