// The evidence model: path, line and value evidence, and how it moves a rule's confidence.
#include "finding/confidence.hpp"

#include <gtest/gtest.h>

#include "finding/line_context.hpp"

namespace keyhound {
namespace {

using Names = std::vector<std::string>;

Names path_names(std::string_view path) {
  return reason_names(path_reasons(path));
}

TEST(PathEvidence, TestsDocsExamplesVendoredAndGenerated) {
  EXPECT_EQ(path_names("pkg/auth/token_test.go"), Names{"test-path"});
  EXPECT_EQ(path_names("app/test_views.py"), Names{"test-path"});
  EXPECT_EQ(path_names("web/src/login.spec.ts"), Names{"test-path"});
  EXPECT_EQ(path_names("web/src/login.test.js"), Names{"test-path"});
  EXPECT_EQ(path_names("web/src/__tests__/login.js"), Names{"test-path"});
  EXPECT_EQ(path_names("src/test/java/com/acme/LoginTest.java"), Names{"test-path"});
  EXPECT_EQ(path_names("spec/models/user_spec.rb"), Names{"test-path"});
  EXPECT_EQ(path_names("internal/testdata/config.yml"), Names{"test-path"});
  EXPECT_EQ(path_names("tests/fixtures/users.json"), Names{"test-path"});
  EXPECT_EQ(path_names("examples/basic/app.env"), Names{"example-path"});
  EXPECT_EQ(path_names(".env.example"), Names{"example-path"});
  EXPECT_EQ(path_names("config/settings.py.sample"), Names{"example-path"});
  EXPECT_EQ(path_names("README.md"), Names{"doc-path"});
  EXPECT_EQ(path_names("docs/index.html"), Names{"doc-path"});
  EXPECT_EQ(path_names("guides/source/security.textile"), Names{"doc-path"});
  EXPECT_EQ(path_names("manual/setup.adoc"), Names{"doc-path"});
  EXPECT_EQ(path_names("ref/conf.rst"), Names{"doc-path"});
  EXPECT_EQ(path_names("vendor/github.com/x/y/client.go"), Names{"vendored-path"});
  EXPECT_EQ(path_names("web/node_modules/lib/index.js"), Names{"vendored-path"});
  EXPECT_EQ(path_names("third_party/zlib/config.h"), Names{"vendored-path"});
  EXPECT_EQ(path_names("static/app.min.js"), Names{"generated-path"});
  EXPECT_EQ(path_names("docs/examples/test_api.md"), (Names{"test-path", "example-path", "doc-path"}));
  // Production code, and names that only look alike.
  EXPECT_EQ(path_names("src/settings.py"), Names{});
  EXPECT_EQ(path_names("src/latest.py"), Names{});
  EXPECT_EQ(path_names("src/main/java/com/example/orders/Client.java"), Names{});  // a package, not examples/
  EXPECT_EQ(path_names("src/main/java/com/acme/example/Demo.java"), Names{"example-path"});
  EXPECT_EQ(path_names("src/contest/results.py"), Names{});
  EXPECT_EQ(path_names("deploy/production.env"), Names{});
}

TEST(PathEvidence, PathsAreReadBelowTheScanRoot) {
  EXPECT_EQ(path_below_root("testdata/generic/positive.py", {"testdata"}), "generic/positive.py");
  EXPECT_EQ(path_below_root("testdata/generic/positive.py", {"testdata/"}), "generic/positive.py");
  EXPECT_EQ(path_below_root("./tests/a.py", {"."}), "tests/a.py");
  EXPECT_EQ(path_below_root("tests/a_test.go", {"tests/a_test.go"}), "a_test.go");
  EXPECT_EQ(path_below_root("tests/a.py", {"src", "tests"}), "a.py");
  EXPECT_EQ(path_below_root("tests/a.py", {}), "tests/a.py");
  EXPECT_EQ(path_below_root("testdatax/a.py", {"testdata"}), "testdatax/a.py");
}

Names line_names(std::string_view text, std::string_view secret) {
  LineContext context(text);
  std::size_t start = text.find(secret);
  return reason_names(context.at(start, start + secret.size()));
}

TEST(LineEvidence, Comments) {
  EXPECT_EQ(line_names("x = 1\n# password = 'Zq8v2Lk9'\n", "Zq8v2Lk9"), Names{"comment"});
  EXPECT_EQ(line_names("  // token: 'Zq8v2Lk9'\n", "Zq8v2Lk9"), Names{"comment"});
  EXPECT_EQ(line_names("run(x)  # e.g. password='Zq8v2Lk9'\n", "Zq8v2Lk9"), Names{"comment"});
  EXPECT_EQ(line_names("/*\n * secret = \"Zq8v2Lk9\"\n */\n", "Zq8v2Lk9"), Names{"comment"});
  EXPECT_EQ(line_names("/* header\n   secret = \"Zq8v2Lk9\"\n*/\n", "Zq8v2Lk9"), Names{"comment"});
  EXPECT_EQ(line_names("<!-- db:\n password: Zq8v2Lk9 -->\n", "Zq8v2Lk9"), Names{"comment"});
  EXPECT_EQ(line_names("-- password = 'Zq8v2Lk9'\n", "Zq8v2Lk9"), Names{"comment"});
  // Code, and things that only look like comment markers.
  EXPECT_EQ(line_names("#define PASSWORD \"Zq8v2Lk9\"\n", "Zq8v2Lk9"), Names{});
  EXPECT_EQ(line_names("url = 'https://x.io/#a' ; password = 'Zq8v2Lk9'\n", "Zq8v2Lk9"), Names{});
  EXPECT_EQ(line_names("  --password=Zq8v2Lk9 \\\n", "Zq8v2Lk9"), Names{});
  EXPECT_EQ(line_names("//registry.npmjs.org/:_authToken=Zq8v2Lk9\n", "Zq8v2Lk9"), Names{});
  EXPECT_EQ(line_names("/* done */\npassword = 'Zq8v2Lk9'\n", "Zq8v2Lk9"), Names{});
  EXPECT_EQ(line_names("glob = 'src/*.js'\npassword = 'Zq8v2Lk9'\n", "Zq8v2Lk9"), Names{});
}

TEST(LineEvidence, DocstringsButNotAssignedStrings) {
  EXPECT_EQ(line_names("def f():\n    \"\"\"Call with\n    password='Zq8v2Lk9'\n    \"\"\"\n", "Zq8v2Lk9"),
            Names{"docstring"});
  EXPECT_EQ(line_names("'''password='Zq8v2Lk9''''\n", "Zq8v2Lk9"), Names{"docstring"});
  EXPECT_EQ(line_names("SQL = \"\"\"\npassword='Zq8v2Lk9'\n\"\"\"\n", "Zq8v2Lk9"), Names{});
  EXPECT_EQ(line_names("\"\"\"Module.\"\"\"\npassword = 'Zq8v2Lk9'\n", "Zq8v2Lk9"), Names{});
}

TEST(LineEvidence, FencesAreRawUntilThePathSaysDocumentation) {
  LineContext context("Intro\n```python\napi_key = 'Zq8v2Lk9'\n```\napi_key = 'Wm3r7Tx1'\n");
  std::string_view text = "Intro\n```python\napi_key = 'Zq8v2Lk9'\n```\napi_key = 'Wm3r7Tx1'\n";
  std::size_t first = text.find("Zq8v2Lk9"), second = text.find("Wm3r7Tx1");
  EXPECT_EQ(context.at(first, first + 8), Reasons{kInFence});
  EXPECT_EQ(context.at(second, second + 8), Reasons{0});
  EXPECT_EQ(context.at(first, first + 8), Reasons{kInFence});  // an earlier offset starts again
}

TEST(LineEvidence, TruncatedAndKeyName) {
  EXPECT_EQ(line_names("secret_token = '49d3f3de9ed86c74...'\n", "49d3f3de9ed86c74"), Names{"truncated"});
  EXPECT_EQ(line_names("secret_token = '49d3f3de9ed86c74\xe2\x80\xa6'\n", "49d3f3de9ed86c74"),
            Names{"truncated"});
  EXPECT_EQ(line_names("token = 'ab9...f3de9ed86c74'\n", "ab9...f3de9ed86c74"), Names{"truncated"});
  EXPECT_EQ(line_names("password = \"password123\"\n", "password123"), Names{"key-name"});
  EXPECT_EQ(line_names("DB_PASSWORD=db_password_1\n", "db_password_1"), Names{"key-name"});
  EXPECT_EQ(line_names("<secretKey>secret-key-42</secretKey>\n", "secret-key-42"), Names{"key-name"});
  EXPECT_EQ(line_names("RUBY2_KEYWORDS_KEY = \"_aj_ruby2_keywords\"\n", "_aj_ruby2_keywords"),
            Names{"key-name"});
  EXPECT_EQ(line_names("password = \"Zq8v2Lk9xR\"\n", "Zq8v2Lk9xR"), Names{});
  EXPECT_EQ(line_names("STRIPE_KEY = \"sk9stripe4Zq8v2Lk9xRw7Tn3\"\n", "sk9stripe4Zq8v2Lk9xRw7Tn3"), Names{});
}

TEST(ValueEvidence, PublishedExamplesAndCommonWords) {
  EXPECT_EQ(reason_names(value_reasons("AKIAIOSFODNN7EXAMPLE")), Names{"published-example"});
  EXPECT_EQ(reason_names(value_reasons("sk_test_4eC39HqLyjWDarjtT1zdp7dc")), Names{"published-example"});
  EXPECT_EQ(reason_names(value_reasons("am@z1ng_p@ssw0rd#!")), Names{"dictionary-word"});
  EXPECT_EQ(reason_names(value_reasons("Summer2024!")), Names{"dictionary-word"});
  EXPECT_EQ(reason_names(value_reasons("MySecretPassword1")), Names{"dictionary-word"});
  EXPECT_EQ(reason_names(value_reasons("xnOiH4#wV3QAD4J134fuEolG52r")), Names{});
  EXPECT_EQ(reason_names(value_reasons("Xk9#mQ2$vL7pR4!z")), Names{});
  EXPECT_EQ(reason_names(value_reasons("deadbeef12")), Names{});
}

Rule rule_of(const char* id, Confidence confidence, bool generic) {
  Rule rule;
  rule.id = id;
  rule.confidence = confidence;
  if (generic) rule.tags = {"generic"};
  return rule;
}

TEST(Assess, GenericRulesDropSpecificOnesStayChecksumsDecide) {
  Rule generic = rule_of("generic.quoted-assignment", Confidence::medium, true);
  Rule aws = rule_of("aws.access-key-id", Confidence::high, false);
  aws.pattern = R"(\b((?:AKIA|ASIA)[A-Z2-7]{16})\b)";
  Rule jwt = rule_of("jwt.token", Confidence::medium, false);
  jwt.pattern = R"((eyJ[A-Za-z0-9_-]{8,1000}\.eyJ[A-Za-z0-9_-]{20,}))";
  // Known only from the name beside it: a fixed length is all the value shows.
  Rule named = rule_of("mandrill.api-key", Confidence::medium, false);
  named.pattern = R"((?i)mandrill[\w.-]{0,24}?key\s*=\s*["']?([A-Za-z0-9_-]{22})\b)";
  Rule named_high = named;
  named_high.confidence = Confidence::high;
  EXPECT_EQ(assess(generic, 0).confidence, Confidence::medium);
  for (Reasons evidence : std::initializer_list<Reasons>{
           kTestPath, kExamplePath, kDocPath, kVendoredPath, kGeneratedPath, kComment, kDocstring, kTruncated,
           kKeyName, kDictionaryWord, Reasons{kInFence | kDocPath}}) {
    EXPECT_EQ(assess(generic, evidence).confidence, Confidence::low) << evidence;
    EXPECT_EQ(assess(aws, evidence).confidence, Confidence::high) << evidence;
    EXPECT_EQ(assess(named, evidence).confidence, Confidence::low) << evidence;
    EXPECT_EQ(assess(named_high, evidence).confidence, Confidence::medium) << evidence;
  }
  EXPECT_EQ(assess(named, 0).confidence, Confidence::medium);
  EXPECT_EQ(assess(generic, kInFence).confidence, Confidence::medium);  // a fence outside a document
  EXPECT_EQ(assess(generic, kInFence).reasons, Reasons{0});
  EXPECT_EQ(assess(generic, kInFence | kDocPath).reasons, Reasons{kDocPath | kDocExample});
  EXPECT_EQ(assess(jwt, kTestPath | kChecksum).confidence, Confidence::high);
  EXPECT_EQ(assess(aws, kChecksumMismatch).confidence, Confidence::low);
  EXPECT_EQ(assess(jwt, kStructureMismatch).confidence, Confidence::low);
  EXPECT_EQ(assess(jwt, kStructure).confidence, Confidence::medium);
  EXPECT_EQ(assess(aws, kPublishedExample).confidence, Confidence::low);
}

TEST(Assess, VendorPrefixesAreReadFromTheSecretsGroup) {
  auto prefixed = [](const char* pattern) {
    Rule rule;
    rule.pattern = pattern;
    return has_vendor_prefix(rule);
  };
  EXPECT_TRUE(prefixed(R"(\b(ghp_[A-Za-z0-9]{36,251})\b)"));
  EXPECT_TRUE(prefixed(R"(\b((?:AKIA|ASIA)[A-Z2-7]{16})\b)"));
  EXPECT_TRUE(prefixed(R"(token[=:](?P<secret>xoxb-[0-9]{8,13}))"));
  EXPECT_TRUE(prefixed(R"((?:^|[^A-Za-z0-9])(AKCp[A-Za-z0-9]{69}))"));
  EXPECT_TRUE(prefixed(R"((-----BEGIN RSA PRIVATE KEY-----[\s\S]{64,8000}?-----END RSA PRIVATE KEY-----))"));
  EXPECT_FALSE(prefixed(R"((?i)mandrill[\w.-]{0,24}?key\s*=\s*([A-Za-z0-9_-]{22})\b)"));
  EXPECT_FALSE(
      prefixed(R"(AccountKey=((?-i:(?:[A-DF-Za-z0-9+/][A-Za-z0-9+/]{85}|E[A-Z][A-Za-z0-9+/]{84})==)))"));
  EXPECT_FALSE(prefixed(R"(\b(ab?[0-9]{20})\b)"));  // one fixed character is no prefix
  EXPECT_FALSE(prefixed(R"(no group at all)"));
}

TEST(Assess, AFindingTakesItsBestLocation) {
  RuleList rules = {rule_of("generic.quoted-assignment", Confidence::medium, true)};
  Finding finding;
  finding.rule_id = "generic.quoted-assignment";
  finding.secret = "Zq8v2Lk9xRw4";
  Location in_test, in_code;
  in_test.origin.path = "repo/tests/test_app.py";
  in_code.origin.path = "repo/app/settings.py";
  in_code.reasons = kComment;
  Location plain = in_code;
  plain.reasons = 0;
  finding.locations = {in_test, in_code, plain};
  std::vector<Finding> findings = {finding};
  assess_findings(findings, rules, {"repo"});
  EXPECT_EQ(findings[0].rule_confidence, Confidence::medium);
  EXPECT_EQ(findings[0].confidence, Confidence::medium);
  EXPECT_EQ(findings[0].reasons, Reasons{0});
  EXPECT_EQ(findings[0].locations[0].confidence, Confidence::low);
  EXPECT_EQ(reason_names(findings[0].locations[0].reasons), Names{"test-path"});
  EXPECT_EQ(reason_names(findings[0].locations[1].reasons), Names{"comment"});
}

}  // namespace
}  // namespace keyhound
