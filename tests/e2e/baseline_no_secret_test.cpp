// Neither the baseline nor the SARIF report holds a raw secret of the testdata corpus, even
// when --show-secrets is given to the scan that writes SARIF.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <set>

#include "support/support.hpp"

namespace keyhound {
namespace {

using testing::run_keyhound;

std::set<std::string> testdata_secrets() {
  auto revealed =
      run_keyhound({"scan", "--format", "json", "--show-secrets", "testdata"}, testing::source_dir());
  std::set<std::string> secrets;
  auto report = nlohmann::json::parse(revealed.out, nullptr, false);
  if (report.is_discarded()) return secrets;
  for (const auto& finding : report["findings"]) secrets.insert(finding["secret"].get<std::string>());
  return secrets;
}

void expect_no_secret(const std::string& text, const std::set<std::string>& secrets,
                      const std::string& what) {
  for (const auto& secret : secrets) {
    EXPECT_EQ(text.find(secret), std::string::npos) << what << " holds a raw secret";
    std::size_t begin = 0;  // multi-line secrets: no line of the body either
    while (begin < secret.size()) {
      std::size_t end = std::min(secret.size(), secret.find('\n', begin));
      std::string line = secret.substr(begin, end - begin);
      if (line.size() >= 24 && line.find("-----") == std::string::npos) {
        EXPECT_EQ(text.find(line), std::string::npos) << what << " holds a line of a secret";
      }
      begin = end + 1;
    }
  }
}

TEST(BaselineNoSecret, BaselineAndSarifOfTestdataHoldNoRawSecret) {
  auto secrets = testdata_secrets();
  ASSERT_GE(secrets.size(), 3u);
  testing::TempDir out;
  std::string baseline = (out.path() / "baseline.json").string();
  auto created = run_keyhound({"baseline", "create", "--file", baseline, "testdata"}, testing::source_dir());
  ASSERT_EQ(created.exit_code, 0) << created.err;
  std::string text = testing::read_text(baseline);
  EXPECT_EQ(nlohmann::json::parse(text)["entries"].size(), secrets.size());
  expect_no_secret(text, secrets, "the baseline");
  expect_no_secret(created.out + created.err, secrets, "baseline create's output");

  auto list = run_keyhound({"baseline", "list", "--file", baseline});
  ASSERT_EQ(list.exit_code, 0) << list.err;  // an error exit prints nothing, and would pass below
  EXPECT_NE(list.out.find(nlohmann::json::parse(text)["entries"][0]["fingerprint"].get<std::string>()),
            std::string::npos)
      << list.out;
  expect_no_secret(list.out, secrets, "baseline list");

  auto sarif =
      run_keyhound({"scan", "--format", "sarif", "--show-secrets", "testdata"}, testing::source_dir());
  ASSERT_EQ(sarif.exit_code, 1) << sarif.err;
  expect_no_secret(sarif.out, secrets, "SARIF with --show-secrets");
}

}  // namespace
}  // namespace keyhound
