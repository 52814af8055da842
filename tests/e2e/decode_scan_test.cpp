// End to end: secrets inside base64, percent-encoding and string escapes, through the built binary.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "e2e/git_test_repo.hpp"
#include "finding/finding.hpp"
#include "support/support.hpp"
#include "util/hash.hpp"

namespace keyhound {
namespace {

using testing::base64;

using testing::run_keyhound;
using testing::scan_report;
using testing::TempDir;

// Synthetic GitHub classic tokens (30 random base62 characters and their CRC32 checksum).
const std::string kTokenA = "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";
const std::string kTokenB = "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";
const std::string kTokenC = "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";

// A synthetic RSA key's shape: random bytes behind a DER-like header, 64-character lines.
const std::vector<std::string> kPemBody = {
    "MIICXAIBAAKBgQ3WdQI3t/1NaA/i3InlB4N3alpORdegHBedDcxiiMNwGfh5uqu7",
    "KgIyRaxUbxCW4y+uD/dctUsUIrFPmKkIcV+4VDBtAhCq6urSiEIDOAiDyoTiU9tt",
    "CuZatgt9jxzl6RcTRkdCHrenaV3vZdW7FEygdFiocgsOpWtQLPiYFLdmRBf1c6rN",
    "qrYIorBC4nZOG+nokS5jyo7fVRnR4w3SmB8YH/4Y+1WgZ4zQpgJRFLFkDOsGs8Gr",
    "8QCQ3Cebkh8GR0RXJb3r/p/YvyT5ZfiMkGfzWEje1aw7bnuU67DuhABWw3er0L2w",
    "Uw29ovEoAI6bL9PWGNJMA4Pf4HKIv53umwo7iCysWz75sJ5e7T3VcGk4yOdtGoV7",
    "IRYuqjeos4/1OtO7B8q4eiwd8ckgDvp+fzmTLzBOfoSDL/r+RlgVXKRDU+HSviFf",
    "LfJE9xCFtA2vLVSHaTRFI5hnZoDdqHcKjNv8Nyi8debxo4WduNyAg/VTZYht5FM9",
    "G9TyDqPFz3jx43f2j9rfQNy5wsN9TigABw0Ha3u3mCDwl6fba/1A0x+W9blE1vRo",
    "T6AYMPUaOIG8NfccdIJxAI1SO49IhLvnOdUfZ/S9QedV1pmwjDd2Ys6FRB2o+bQl",
    "mBRKssLsMs4mUKfSTZSvHIFUBti66BSVrS34y/DXG6i4z3i55dwHKPGnRtZ58NZl",
    "PMRJumT1HKEAm8t9EcO1Q+niPe0J5p+H65xRjV9LKjsady1BG8czMHmpeC1LmYRN",
    "HgeBQl6/8Bc/GBtNeLoXrBHJXhkia7Hh",
};

std::string pem_joined_by(const std::string& line_break) {
  std::string out = "-----BEGIN RSA PRIVATE KEY-----" + line_break;
  for (const auto& line : kPemBody) out += line + line_break;
  return out + "-----END RSA PRIVATE KEY-----";
}

// Scans without a baseline key fingerprints with the user's key (in the tests' cache dir).
std::string user_fingerprint_of(const std::string& rule_id, const std::string& secret) {
  return fingerprint_of(testing::user_fingerprint_key(), rule_id, secret);
}

// "rule path:line:column-end_line:end_column [decoded]" for each location of each finding.
std::vector<std::string> decoded_locations(const nlohmann::json& report) {
  std::vector<std::string> out;
  for (const auto& finding : report["findings"])
    for (const auto& at : finding["locations"]) {
      std::string text =
          finding["rule_id"].get<std::string>() + " " + at["path"].get<std::string>() + ":" +
          std::to_string(at["line"].get<int>()) + ":" + std::to_string(at["column"].get<int>()) + "-" +
          std::to_string(at["end_line"].get<int>()) + ":" + std::to_string(at["end_column"].get<int>());
      if (at.contains("decoded")) text += " " + at["decoded"].get<std::string>();
      out.push_back(text);
    }
  std::sort(out.begin(), out.end());
  return out;
}

TEST(DecodeScan, KubernetesSecretDataValue) {
  TempDir dir;
  std::string value = base64(kTokenA);  // 40 bytes: 56 characters ending in "=="
  dir.write("k8s/secret.yaml",
            "apiVersion: v1\nkind: Secret\nmetadata:\n  name: ci-token\ntype: Opaque\ndata:\n"
            "  token: " +
                value + "\n");
  auto report = scan_report({"."}, 1, dir.str());
  // The value itself is a finding of kubernetes.secret-data; decoded, it is a GitHub token.
  EXPECT_EQ(decoded_locations(report),
            (std::vector<std::string>{"github.pat-classic k8s/secret.yaml:7:10-7:64 base64",
                                      "kubernetes.secret-data k8s/secret.yaml:7:10-7:66"}));
  ASSERT_EQ(report["findings"][0]["rule_id"], "github.pat-classic");
  const auto& finding = report["findings"][0];
  EXPECT_EQ(finding["fingerprint"],
            user_fingerprint_of("github.pat-classic", kTokenA));  // of the decoded token
  EXPECT_FALSE(finding.contains("secret_sha256"));
  EXPECT_FALSE(finding.contains("secret_hmac"));  // keyed by a baseline only
  const auto& at = finding["locations"][0];
  std::size_t value_offset = std::string(
                                 "apiVersion: v1\nkind: Secret\nmetadata:\n  name: ci-token\ntype: Opaque\n"
                                 "data:\n  token: ")
                                 .size();
  EXPECT_EQ(at["start_offset"], value_offset);
  EXPECT_EQ(at["end_offset"], value_offset + 54);

  auto plain_only = scan_report({"--no-decode", "."}, 1, dir.str());
  EXPECT_EQ(decoded_locations(plain_only),
            std::vector<std::string>{"kubernetes.secret-data k8s/secret.yaml:7:10-7:66"});
}

TEST(DecodeScan, AuthorizationBasicHeaderAndPercentEncodedUrl) {
  TempDir dir;
  std::string basic = base64("x-access-token:" + kTokenB);  // 55 bytes: the token starts in group 5
  std::string script =
      "#!/bin/sh\ncurl -H \"Authorization: Basic " + basic + "\" https://api.github.com/user\n";
  dir.write("deploy.sh", script);
  std::string encoded = "ghp%5F" + kTokenC.substr(4);
  dir.write("hook.txt", "callback=https://ci.example/hook?token=" + encoded + "&ref=main\n");
  auto report = scan_report({"."}, 1, dir.str());
  int basic_column = static_cast<int>(script.find(basic) - script.find('\n'));  // 1-based on line 2
  int url_column = static_cast<int>(std::string("callback=https://ci.example/hook?token=").size()) + 1;
  EXPECT_EQ(decoded_locations(report),
            (std::vector<std::string>{
                "github.pat-classic deploy.sh:2:" + std::to_string(basic_column + 20) +
                    "-2:" + std::to_string(basic_column + 74) + " base64",
                "github.pat-classic hook.txt:1:" + std::to_string(url_column) +
                    "-1:" + std::to_string(url_column + 42) + " percent",
                // The header's whole value, as it is.
                "http.basic-auth deploy.sh:2:" + std::to_string(basic_column) +
                    "-2:" + std::to_string(basic_column + 76),
            }));
}

TEST(DecodeScan, PemKeyInAJsonStringIsTheSameFindingAsThePlainKey) {
  TempDir dir;
  std::string escaped = pem_joined_by("\\n") + "\\n";
  dir.write("sa.json", "{\n  \"type\": \"service_account\",\n  \"private_key\": \"" + escaped + "\"\n}\n");
  dir.write("plain/key.pem", pem_joined_by("\n") + "\n");
  auto report = scan_report({"."}, 1, dir.str());
  ASSERT_EQ(report["findings"].size(), 1u);
  EXPECT_EQ(report["findings"][0]["fingerprint"],
            user_fingerprint_of("private-key.rsa", pem_joined_by("\n")));
  EXPECT_EQ(decoded_locations(report),
            (std::vector<std::string>{
                "private-key.rsa plain/key.pem:1:1-15:30",
                "private-key.rsa sa.json:3:19-3:" + std::to_string(19 + escaped.size() - 2) + " escape",
            }));
}

TEST(DecodeScan, DecodedFieldInSarifAndText) {
  TempDir dir;
  dir.write("secret.yaml", "data:\n  token: " + base64(kTokenA) + "\n");
  auto sarif = run_keyhound({"scan", "--format", "sarif", "."}, dir.str());
  ASSERT_EQ(sarif.exit_code, 1) << sarif.err;
  auto document = nlohmann::json::parse(sarif.out);
  const auto& results = document["runs"][0]["results"];
  ASSERT_EQ(results.size(), 2u);  // and kubernetes.secret-data on the value as it is
  EXPECT_EQ(results[0]["ruleId"], "github.pat-classic");
  EXPECT_EQ(results[0]["properties"]["decoded"], "base64");
  EXPECT_EQ(results[0]["locations"][0]["physicalLocation"]["region"]["startColumn"], 10);
  EXPECT_EQ(results[1]["ruleId"], "kubernetes.secret-data");
  EXPECT_FALSE(results[1]["properties"].contains("decoded"));

  auto text = run_keyhound({"scan", "--no-color", "."}, dir.str());
  EXPECT_NE(text.out.find("secret.yaml:2:10 (base64)"), std::string::npos) << text.out;
  EXPECT_EQ(text.out.find(kTokenA), std::string::npos);  // masked, as any finding
}

}  // namespace
}  // namespace keyhound
