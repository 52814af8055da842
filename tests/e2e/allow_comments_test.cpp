// keyhound:allow comments through the binary, in seven comment syntaxes.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "support/support.hpp"

namespace keyhound {
namespace {

using testing::run_keyhound;

// Synthetic keys (random, right shape).
const std::string kAllowedBare = "AKIACOHQD2WGD5MPOC4V";
const std::string kAllowedById = "AKIADILXKM4W3KPOWNFW";
const std::string kOtherRuleId = "AKIAENZ3LBHOOD2IOB7S";

struct CommentFile {
  std::string path;
  std::string open;   // starts the comment
  std::string close;  // ends it (block comments)
};

TEST(AllowComments, AllowBareAndByRuleIdInSevenSyntaxes) {
  const std::vector<CommentFile> files = {
      {"deploy.sh", "# ", ""},        {"app.cpp", "// ", ""},  {"lib.c", "/* ", " */"},
      {"page.html", "<!-- ", " -->"}, {"seed.sql", "-- ", ""}, {"tool.ini", "; ", ""},
      {"setup.bat", "REM ", ""},
  };
  testing::TempDir dir;
  for (const auto& file : files) {
    dir.write(file.path, "key_a = " + kAllowedBare + " " + file.open + "keyhound:allow" + file.close + "\n" +
                             "key_b = " + kAllowedById + " " + file.open +
                             "keyhound:allow aws.access-key-id" + file.close + "\n" +
                             "key_c = " + kOtherRuleId + " " + file.open + "keyhound:allow generic.api-key" +
                             file.close + "\n");
  }
  auto result = run_keyhound({"scan", "--format", "json", "."}, dir.str());
  ASSERT_EQ(result.exit_code, 1) << result.err;
  auto report = nlohmann::json::parse(result.out);
  ASSERT_EQ(report["findings"].size(), 1u) << result.out;
  const auto& finding = report["findings"][0];
  EXPECT_EQ(finding["rule_id"], "aws.access-key-id");
  std::vector<std::string> places;
  for (const auto& location : finding["locations"])
    places.push_back(location["path"].get<std::string>() + ":" + std::to_string(location["line"].get<int>()));
  EXPECT_EQ(places, (std::vector<std::string>{"app.cpp:3", "deploy.sh:3", "lib.c:3", "page.html:3",
                                              "seed.sql:3", "setup.bat:3", "tool.ini:3"}));
  EXPECT_EQ(report["summary"]["allowed_inline"], 14);

  auto text = run_keyhound({"scan", "--no-color", "."}, dir.str());
  EXPECT_NE(text.out.find(", 14 allowed inline"), std::string::npos) << text.out;
}

TEST(AllowComments, OnlyTheMarkedLineIsAllowed) {
  testing::TempDir dir;
  dir.write("config.py", "# keyhound:allow\nKEY = '" + kAllowedBare + "'\n");
  auto result = run_keyhound({"scan", "--format", "json", "config.py"}, dir.str());
  ASSERT_EQ(result.exit_code, 1) << result.err;
  auto report = nlohmann::json::parse(result.out);
  ASSERT_EQ(report["findings"].size(), 1u);
  EXPECT_EQ(report["findings"][0]["locations"][0]["line"], 2);
  EXPECT_EQ(report["summary"]["allowed_inline"], 0);
}

}  // namespace
}  // namespace keyhound
