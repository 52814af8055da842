// Issue 14, point 5, the SDK side of the remediation snippets. Debian packages two of the SDKs
// the snippets use: boto3 (python3-boto3) and the AWS CLI (awscli). Those two snippets are
// executed, unchanged, against tests/aws/secretsmanager_server.py (which checks every SigV4
// signature with botocore); only the endpoint is pointed at it (a sitecustomize for boto3, an
// `aws` shell function adding --endpoint-url). The SDKs for Node, Go, Java and Ruby have no
// Debian package that holds Secrets Manager, so those snippets are only parsed by their own
// toolchain (node --check, gofmt -e, javac stopped after parsing, ruby -c): a syntax error fails,
// a wrong API name would not. The agent snippets are all executed (snippet_test.cpp).
#include <gtest/gtest.h>

#include "support/support.hpp"
#include "vault/fake_secrets_manager.hpp"
#include "vault/remediation.hpp"

namespace keyhound {
namespace {

using testing::shell_quote;
using testing::TempDir;

const std::string kName = "keyhound/shop/stripe.secret-key/a+b=c@d";
const std::string kValue = "sk_live_Q7mZ2rV9xL4pW8nT1kY6bH3c \"quoted\" back\\slash";

class SdkSnippet : public ::testing::Test {
 protected:
  void SetUp() override {
    credentials_ = testing::random_credentials();
    server_ = std::make_unique<testing::FakeSecretsManager>(credentials_);
    dir_.write("sitecustomize.py",
               "import os\n"
               "import boto3\n"
               "_client = boto3.client\n"
               "def _client_at_test_endpoint(service, *args, **kwargs):\n"
               "    kwargs.setdefault('endpoint_url', os.environ['KEYHOUND_TEST_ENDPOINT'])\n"
               "    return _client(service, *args, **kwargs)\n"
               "boto3.client = _client_at_test_endpoint\n");
    dir_.write("seed.py",
               "import sys, boto3\n"
               "boto3.client('secretsmanager').create_secret(Name=sys.argv[1], SecretString=sys.argv[2])\n");
    auto seeded = run_python("seed.py " + shell_quote(kName) + " " + shell_quote(kValue), credentials_);
    ASSERT_EQ(seeded.exit_code, 0) << seeded.err;
  }

  // The AWS environment of a program that uses the SDK: these credentials, the test server,
  // a HOME and AWS config files in the test's directory.
  // with_boto3_endpoint: PYTHONPATH holds the sitecustomize that points boto3 at the server (the
  // AWS CLI gets --endpoint-url instead: Debian's aws-cli 2 breaks when boto3 is imported first).
  std::string aws_environment(const testing::TestCredentials& credentials, bool with_boto3_endpoint = true) const {
    std::string d = dir_.str();
    return "env -u AWS_PROFILE -u AWS_SESSION_TOKEN HOME=" + shell_quote(d) +
           " AWS_CONFIG_FILE=" + shell_quote(d + "/no-config") +
           " AWS_SHARED_CREDENTIALS_FILE=" + shell_quote(d + "/no-credentials") +
           " AWS_ACCESS_KEY_ID=" + shell_quote(credentials.access_key_id) +
           " AWS_SECRET_ACCESS_KEY=" + shell_quote(credentials.secret_access_key) +
           " AWS_DEFAULT_REGION=us-east-1 AWS_EC2_METADATA_DISABLED=true KEYHOUND_TEST_ENDPOINT=" +
           shell_quote(server_->url()) + (with_boto3_endpoint ? " PYTHONPATH=" + shell_quote(d) : "") + " ";
  }

  testing::CommandResult run_python(const std::string& arguments,
                                    const testing::TestCredentials& credentials) {
    return testing::run_command("cd " + shell_quote(dir_.str()) + " && " + aws_environment(credentials) +
                                "/usr/bin/python3 " + arguments);
  }

  testing::CommandResult run_shell(const std::string& program, const testing::TestCredentials& credentials) {
    dir_.write("prog.sh",
               "set -e\naws() { /usr/bin/aws --endpoint-url \"$KEYHOUND_TEST_ENDPOINT\" \"$@\"; }\n" +
                   program + "\nprintf %s \"$secret\"\n");
    return testing::run_command(aws_environment(credentials, false) + "sh " + shell_quote(dir_.str() + "/prog.sh"));
  }

  testing::TestCredentials credentials_;
  std::unique_ptr<testing::FakeSecretsManager> server_;
  TempDir dir_;
};

TEST_F(SdkSnippet, PythonBoto3SnippetReadsTheSecret) {
  Remediation fix = remediation_for(kName, "src/billing.py");
  dir_.write("prog.py", fix.snippet + "\nimport sys\nsys.stdout.write(secret)\n");
  auto result = run_python("prog.py", credentials_);
  EXPECT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(result.out, kValue);
  EXPECT_EQ(server_->operation_count("GetSecretValue"), 1);
}

TEST_F(SdkSnippet, PythonBoto3SnippetFailsWithCredentialsTheServerDoesNotKnow) {
  Remediation fix = remediation_for(kName, "src/billing.py");
  dir_.write("prog.py", fix.snippet + "\nimport sys\nsys.stdout.write(secret)\n");
  auto result = run_python("prog.py", testing::random_credentials());
  EXPECT_NE(result.exit_code, 0);
  EXPECT_EQ(result.out.find(kValue), std::string::npos);
}

TEST_F(SdkSnippet, PythonBoto3SnippetReadsAPairsFields) {
  dir_.write("seed-pair.py",
             "import sys, json, boto3\n"
             "boto3.client('secretsmanager').create_secret(Name='keyhound/pair', SecretString=json.dumps("
             "{'accessKeyId': 'AKIAEXAMPLEPAIRFIELD', 'secretAccessKey': sys.argv[1]}))\n");
  ASSERT_EQ(run_python("seed-pair.py " + shell_quote(kValue), credentials_).exit_code, 0);
  Remediation fix = remediation_for("keyhound/pair", "src/billing.py", {"accessKeyId", "secretAccessKey"});
  dir_.write("prog.py",
             fix.snippet + "\nimport sys\nsys.stdout.write(accessKeyId + '|' + secretAccessKey)\n");
  auto result = run_python("prog.py", credentials_);
  EXPECT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(result.out, "AKIAEXAMPLEPAIRFIELD|" + kValue);
}

TEST_F(SdkSnippet, ShellAwsCliSnippetReadsTheSecret) {
  Remediation fix = remediation_for(kName, "deploy/.env");
  auto result = run_shell(fix.snippet, credentials_);
  EXPECT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(result.out, kValue);
  EXPECT_EQ(server_->operation_count("GetSecretValue"), 1);
}

TEST_F(SdkSnippet, ShellAwsCliSnippetFailsWithCredentialsTheServerDoesNotKnow) {
  Remediation fix = remediation_for(kName, "deploy/.env");
  auto result = run_shell(fix.snippet, testing::random_credentials());
  EXPECT_NE(result.exit_code, 0);
  EXPECT_EQ(result.out.find(kValue), std::string::npos);
}

// Parsed only (no Debian package holds these SDKs): each snippet, as a user pastes it, in a
// program its toolchain parses.
struct ParsedSnippet {
  std::string name;
  std::string source_path;
  std::string program_file;
  std::string tool;  // must be on PATH
};

std::string parse_program(const ParsedSnippet& parsed, const std::string& snippet) {
  if (parsed.name == "go") {  // a comment line, then the body of a function returning error
    return "package main\n\nfunc run(ctx context.Context) error {\n" + snippet +
           "\n_ = secret\nreturn nil\n}\n";
  }
  if (parsed.name == "java") {  // a comment, the imports, a blank line, the statements
    std::size_t imports_end = snippet.find("\n\n");
    return snippet.substr(0, imports_end) +
           "\n\npublic class Main {\npublic static void main(String[] args) {\n" +
           snippet.substr(imports_end + 2) + "\nSystem.out.print(secret);\n}\n}\n";
  }
  return snippet + "\n";
}

std::string parse_line(const ParsedSnippet& parsed, const std::string& file, const std::string& dir) {
  if (parsed.name == "go") return "gofmt -e " + file + " >/dev/null";
  if (parsed.name == "java")
    return "javac -XDshould-stop.at=PARSE -XDshould-stop.ifNoError=PARSE -d " +
           shell_quote(dir + "/classes") + " " + file;
  if (parsed.name == "ruby") return "ruby -c " + file + " >/dev/null";
  return "node --check " + file;
}

class ParsedSdkSnippet : public ::testing::TestWithParam<ParsedSnippet> {};

TEST_P(ParsedSdkSnippet, ParsesAndABrokenCopyDoesNot) {
  const ParsedSnippet& parsed = GetParam();
  ASSERT_EQ(testing::run_command("command -v " + parsed.tool).exit_code, 0) << parsed.tool << " is missing";
  TempDir dir;
  std::string file = shell_quote(dir.str() + "/" + parsed.program_file);
  for (const auto& fields :
       {std::vector<std::string>{}, std::vector<std::string>{"clientId", "clientSecret"}}) {
    Remediation fix = remediation_for(kName, parsed.source_path, fields);
    dir.write(parsed.program_file, parse_program(parsed, fix.snippet));
    auto result = testing::run_command(parse_line(parsed, file, dir.str()));
    EXPECT_EQ(result.exit_code, 0) << fix.snippet << "\n" << result.err << result.out;
  }
  // The check can fail: the same snippet with one parenthesis fewer does not parse.
  Remediation fix = remediation_for(kName, parsed.source_path);
  std::string broken = fix.snippet;
  broken.erase(broken.rfind(')'), 1);
  dir.write(parsed.program_file, parse_program(parsed, broken));
  EXPECT_NE(testing::run_command(parse_line(parsed, file, dir.str()) + " 2>/dev/null").exit_code, 0)
      << broken;
}

INSTANTIATE_TEST_SUITE_P(Languages, ParsedSdkSnippet,
                         ::testing::Values(ParsedSnippet{"node_esm", "web/client.mjs", "prog.mjs", "node"},
                                           ParsedSnippet{"node_cjs", "web/client.cjs", "prog.cjs", "node"},
                                           ParsedSnippet{"go", "cmd/server/main.go", "prog.go", "gofmt"},
                                           ParsedSnippet{"java", "src/App.java", "Main.java", "javac"},
                                           ParsedSnippet{"ruby", "app/billing.rb", "prog.rb", "ruby"}),
                         [](const ::testing::TestParamInfo<ParsedSnippet>& info) { return info.param.name; });

}  // namespace
}  // namespace keyhound
