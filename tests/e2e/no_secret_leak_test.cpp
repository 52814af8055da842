// No report format carries a raw secret unless --show-secrets is given.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <set>

#include "support/support.hpp"

namespace keyhound {
namespace {

using testing::run_keyhound;

TEST(NoSecretLeak, EveryFormatOfTheTestdataScanHoldsNoRawSecret) {
  const std::string root = testing::source_dir();
  auto revealed = run_keyhound({"scan", "--format", "json", "--show-secrets", "testdata"}, root);
  ASSERT_EQ(revealed.exit_code, 1) << revealed.err;
  std::set<std::string> secrets;
  auto report = nlohmann::json::parse(revealed.out);
  for (const auto& finding : report["findings"]) secrets.insert(finding["secret"].get<std::string>());
  ASSERT_GE(secrets.size(), 3u) << revealed.out;

  for (const char* format : {"text", "json", "jsonl", "sarif"}) {
    auto result = run_keyhound({"scan", "--format", format, "testdata"}, root);
    EXPECT_EQ(result.exit_code, 1) << format << ": " << result.err;
    EXPECT_FALSE(result.out.empty()) << format;
    for (const auto& secret : secrets) {
      EXPECT_EQ(result.out.find(secret), std::string::npos) << format << " output holds a raw secret";
      EXPECT_EQ(result.err.find(secret), std::string::npos) << format << " stderr holds a raw secret";
      // Multi-line secrets (private keys): no line of the body may appear either.
      std::size_t begin = 0;
      while (begin < secret.size()) {
        std::size_t end = secret.find('\n', begin);
        if (end == std::string::npos) end = secret.size();
        std::string line = secret.substr(begin, end - begin);
        if (line.size() >= 24 && line.find("-----") == std::string::npos) {
          EXPECT_EQ(result.out.find(line), std::string::npos) << format << " output holds a line of a secret";
        }
        begin = end + 1;
      }
    }
  }
}

}  // namespace
}  // namespace keyhound
