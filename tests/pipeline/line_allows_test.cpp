// keyhound:allow comments: bare (every rule) or naming one rule, in any comment syntax.
#include <gtest/gtest.h>

#include "pipeline/scan.hpp"

namespace keyhound {
namespace {

constexpr std::string_view kSecret = "AKIACOHQD2WGD5MPOC4V";
constexpr std::string_view kRule = "aws.access-key-id";

// Whether the line holding the secret in `text` allows `rule`.
bool allows(const std::string& text, std::string_view rule = kRule) {
  std::size_t start = text.find(kSecret);
  EXPECT_NE(start, std::string::npos) << text;
  return line_allows(text, start, start + kSecret.size(), rule);
}

struct Syntax {
  const char* name;
  std::string before;  // text before the secret on its line
  std::string after;   // text after it: the comment
};

std::vector<Syntax> syntaxes(const std::string& marker) {
  return {
      {"shell #", "export AWS_ACCESS_KEY_ID=", "  # " + marker},
      {"C++ //", "const char* key = \"", "\";  // " + marker},
      {"C /* */", "char key[] = \"", "\"; /* " + marker + " */"},
      {"HTML <!-- -->", "<meta name=\"key\" content=\"", "\"> <!-- " + marker + " -->"},
      {"SQL --", "INSERT INTO keys VALUES ('", "'); -- " + marker},
      {"INI ;", "access_key = ", " ; " + marker},
      {"batch REM", "set KEY=", " & REM " + marker},
  };
}

TEST(LineAllows, BareMarkerAllowsEveryRuleInEveryCommentSyntax) {
  for (const auto& syntax : syntaxes("keyhound:allow")) {
    std::string text = "first line\n" + syntax.before + std::string(kSecret) + syntax.after + "\nlast line\n";
    EXPECT_TRUE(allows(text)) << syntax.name;
    EXPECT_TRUE(allows(text, "generic.api-key")) << syntax.name;
  }
}

TEST(LineAllows, MarkerWithRuleIdAllowsOnlyThatRule) {
  for (const auto& syntax : syntaxes("keyhound:allow aws.access-key-id")) {
    std::string text = syntax.before + std::string(kSecret) + syntax.after + "\n";
    EXPECT_TRUE(allows(text)) << syntax.name;
    EXPECT_FALSE(allows(text, "aws.secret-access-key")) << syntax.name;
  }
  for (const auto& syntax : syntaxes("keyhound:allow generic.api-key")) {
    std::string text = syntax.before + std::string(kSecret) + syntax.after;
    EXPECT_FALSE(allows(text)) << syntax.name;
  }
}

TEST(LineAllows, OnlyTheSameLineCounts) {
  EXPECT_FALSE(allows("# keyhound:allow\nkey = " + std::string(kSecret) + "\n"));
  EXPECT_FALSE(allows("key = " + std::string(kSecret) + "\n# keyhound:allow\n"));
  EXPECT_TRUE(allows("key = " + std::string(kSecret) + " # keyhound:allow"));  // no final newline
  EXPECT_TRUE(allows("a\r\nkey = " + std::string(kSecret) + " # keyhound:allow\r\nb"));
}

TEST(LineAllows, LookalikesDoNotAllow) {
  EXPECT_FALSE(allows("key = " + std::string(kSecret) + " # keyhound:allowed"));
  EXPECT_FALSE(allows("key = " + std::string(kSecret) + " # keyhound allow"));
  EXPECT_FALSE(allows("key = " + std::string(kSecret) + " # keyhound:allow aws.access-key-idx"));
  // Prose after the marker (no rule id) allows every rule.
  EXPECT_TRUE(allows("key = " + std::string(kSecret) + " # keyhound:allow: test fixture"));
  EXPECT_TRUE(allows("key = " + std::string(kSecret) + " # keyhound:allow=aws.access-key-id"));
}

}  // namespace
}  // namespace keyhound
