// Issue 14, point 5, the SDK side of the remediation snippets: each snippet runs, unchanged, in
// its own language with the real SDK against tests/aws/secretsmanager_server.py, which checks
// every SigV4 signature with botocore; the test asserts the exact value printed and that the
// server verified one GetSecretValue for the right SecretId. Only the endpoint is redirected:
//   Python (Debian's boto3)        a sitecustomize that passes endpoint_url to boto3.client
//   shell (Debian's aws-cli)       an `aws` function adding --endpoint-url
//   Node ESM and CJS (npm's SDK v3, scripts/install-aws-sdk-js.sh)   AWS_ENDPOINT_URL_SECRETS_MANAGER
//   Go (Debian's aws-sdk-go-v2 1.17, no endpoint setting)   HTTPS_PROXY: the server answers
//       CONNECT with TLS for secretsmanager.us-east-1.amazonaws.com (a test certificate in
//       AWS_CA_BUNDLE) and serves the requests in the tunnel
// The SDKs for Java and Ruby's Aws::SecretsManager are in no Debian package (nor npm), so those
// snippets are only parsed by their own toolchain (javac stopped after parsing, ruby -c): a
// syntax error fails, a wrong API name would not. The agent snippets: snippet_test.cpp.
#include <gtest/gtest.h>

#include "support/build_paths.hpp"
#include "support/support.hpp"
#include "vault/fake_secrets_manager.hpp"
#include "vault/remediation.hpp"
#include "vault/snippet_values.hpp"

namespace keyhound {
namespace {

using testing::shell_quote;
using testing::TempDir;
using namespace testing::snippet;  // kName, kValue, the pair

const std::string kSdkHost = "secretsmanager.us-east-1.amazonaws.com";
const std::string kGoSdk = "/usr/share/gocode/src/github.com/aws/aws-sdk-go-v2/service/secretsmanager";
std::string node_sdk_dir() {
  return testing::source_dir() + "/tools/aws-sdk-js/node_modules";
}

struct SdkLanguage {
  std::string name;
  std::string source_path;   // picks the snippet
  std::string program_file;  // what the test writes
};
void PrintTo(const SdkLanguage& language, std::ostream* out) {
  *out << language.name;
}

// The snippet turned into a program that prints the secret, or a pair's two fields as "id|key".
std::string sdk_program_of(const SdkLanguage& language, const std::string& snippet, bool pair) {
  if (language.name == "shell")  // the AWS CLI at the test server
    return script_program(
        "shell", "aws() { /usr/bin/aws --endpoint-url \"$KEYHOUND_TEST_ENDPOINT\" \"$@\"; }\n" + snippet,
        pair);
  if (std::string program = script_program(language.name, snippet, pair); !program.empty()) return program;
  // Go: the snippet is the body of a function returning error; its first line names the imports.
  return std::string("package main\n\nimport (\n\t\"context\"\n") + (pair ? "\t\"encoding/json\"\n" : "") +
         "\t\"os\"\n\n\t\"github.com/aws/aws-sdk-go-v2/aws\"\n\t\"github.com/aws/aws-sdk-go-v2/config\"\n"
         "\t\"github.com/aws/aws-sdk-go-v2/service/secretsmanager\"\n)\n\nfunc run(ctx context.Context) "
         "error {\n" +
         snippet + "\nos.Stdout.WriteString(" +
         (pair ? "fields[\"accessKeyId\"] + \"|\" + fields[\"secretAccessKey\"]" : "secret") +
         ")\nreturn nil\n}\n\nfunc main() {\n\tif err := run(context.Background()); err != nil {\n"
         "\t\tos.Stderr.WriteString(err.Error() + \"\\n\")\n\t\tos.Exit(1)\n\t}\n}\n";
}

class SdkSnippet : public ::testing::TestWithParam<SdkLanguage> {
 protected:
  void SetUp() override {
    const SdkLanguage& language = GetParam();
    if (language.name == "go") {
      ASSERT_TRUE(std::filesystem::is_directory(kGoSdk))
          << "install the Debian package golang-github-aws-aws-sdk-go-v2-dev";
    }
    if (language.name.starts_with("node")) {
      ASSERT_TRUE(std::filesystem::is_directory(node_sdk_dir())) << "run scripts/install-aws-sdk-js.sh";
    }
    credentials_ = testing::random_credentials();
    server_ = std::make_unique<testing::FakeSecretsManager>(credentials_);
    std::string d = dir_.str();
    dir_.write("sitecustomize.py",
               "import os\n"
               "import boto3\n"
               "_client = boto3.client\n"
               "def _client_at_test_endpoint(service, *args, **kwargs):\n"
               "    kwargs.setdefault('endpoint_url', os.environ['KEYHOUND_TEST_ENDPOINT'])\n"
               "    return _client(service, *args, **kwargs)\n"
               "boto3.client = _client_at_test_endpoint\n");
    dir_.write("seed.py",
               "import sys, json, boto3\n"
               "client = boto3.client('secretsmanager')\n"
               "client.create_secret(Name=sys.argv[1], SecretString=sys.argv[2])\n"
               "client.create_secret(Name=sys.argv[3], SecretString=json.dumps("
               "{'accessKeyId': sys.argv[4], 'secretAccessKey': sys.argv[2]}))\n");
    auto seeded = testing::run_command("cd " + shell_quote(d) + " && " + environment(credentials_) +
                                       " PYTHONPATH=. /usr/bin/python3 seed.py " + shell_quote(kName) + " " +
                                       shell_quote(kValue) + " " + shell_quote(kPairName) + " " +
                                       shell_quote(kPairKeyId));
    ASSERT_EQ(seeded.exit_code, 0) << seeded.err;
    // The Go SDK reaches the server through its CONNECT tunnel, as an HTTPS proxy.
    auto certificate = testing::run_command(
        "cd " + shell_quote(d) + " && openssl req -x509 -newkey rsa:2048 -nodes -days 1 -subj /CN=" +
        kSdkHost + " -addext subjectAltName=DNS:" + kSdkHost + " -keyout tunnel.key -out tunnel.pem 2>&1");
    ASSERT_EQ(certificate.exit_code, 0) << certificate.out;
    server_->control({{"tunnel_tls", {{"certificate", d + "/tunnel.pem"}, {"key", d + "/tunnel.key"}}},
                      {"reset_counts", true}});
    // Node resolves the SDK from a node_modules beside the program; the package.json ends its
    // search for the program's package scope here, not in / (outside what tests may read).
    dir_.write("package.json", "{\"private\": true}\n");
    std::filesystem::create_directory_symlink(node_sdk_dir(), dir_.path() / "node_modules");
  }

  // The AWS environment of a program that uses an SDK: these credentials, the test server, a HOME
  // and AWS config files in the test's directory, and each SDK's way to the server.
  std::string environment(const testing::TestCredentials& credentials) const {
    std::string d = dir_.str();
    std::string url = server_->url();
    return "env -u AWS_PROFILE -u AWS_SESSION_TOKEN -u AWS_ENDPOINT_URL -u NO_PROXY -u no_proxy HOME=" +
           shell_quote(d) + " AWS_CONFIG_FILE=" + shell_quote(d + "/no-config") +
           " AWS_SHARED_CREDENTIALS_FILE=" + shell_quote(d + "/no-credentials") +
           " AWS_ACCESS_KEY_ID=" + shell_quote(credentials.access_key_id) +
           " AWS_SECRET_ACCESS_KEY=" + shell_quote(credentials.secret_access_key) +
           " AWS_DEFAULT_REGION=us-east-1 AWS_REGION=us-east-1 AWS_EC2_METADATA_DISABLED=true"
           // Python: the sitecustomize (the AWS CLI gets --endpoint-url instead: Debian's aws-cli 2
           // breaks when boto3 is imported first, so only python3 gets PYTHONPATH).
           " KEYHOUND_TEST_ENDPOINT=" +
           shell_quote(url) + " AWS_ENDPOINT_URL_SECRETS_MANAGER=" + shell_quote(url) +               // Node
           " HTTPS_PROXY=" + shell_quote(url) + " AWS_CA_BUNDLE=" + shell_quote(d + "/tunnel.pem") +  // Go
           // Go in GOPATH mode on Debian's packaged sources, offline, caches out of HOME, and no
           // go.work looked for above the test (GOWORK=off): nothing outside the clone is read.
           " GOPATH=/usr/share/gocode GO111MODULE=off GOFLAGS= GOPROXY=off GOENV=off GOWORK=off GOCACHE=" +
           shell_quote(std::string(KEYHOUND_TEST_CACHE_DIR) + "/go-build");  // the SDK compiled once a build
  }

  std::string run_line(const SdkLanguage& language) const {
    std::string file = shell_quote(dir_.str() + "/" + language.program_file);
    if (language.name == "python")
      return "PYTHONPATH=" + shell_quote(dir_.str()) + " /usr/bin/python3 " + file;
    if (language.name == "shell") return "sh " + file;
    if (language.name == "go") return "go run " + file;
    return "node " + file;
  }

  testing::CommandResult run(const std::string& snippet, const testing::TestCredentials& credentials,
                             bool pair) {
    const SdkLanguage& language = GetParam();
    dir_.write(language.program_file, sdk_program_of(language, snippet, pair));
    return testing::run_command("cd " + shell_quote(dir_.str()) + " && " + environment(credentials) + " " +
                                run_line(language));
  }

  // The GetSecretValue requests whose signature the server verified, by SecretId.
  std::vector<std::string> verified_reads() const {
    std::vector<std::string> out;
    nlohmann::json stats = server_->stats();
    for (const auto& request : stats["verified"])
      if (request["operation"] == "GetSecretValue") out.push_back(request["secret_id"].get<std::string>());
    return out;
  }

  testing::TestCredentials credentials_;
  std::unique_ptr<testing::FakeSecretsManager> server_;
  TempDir dir_;
};

TEST_P(SdkSnippet, ReadsTheSecret) {
  Remediation fix = remediation_for(kName, GetParam().source_path);
  auto result = run(fix.snippet, credentials_, false);
  EXPECT_EQ(result.exit_code, 0) << fix.snippet << "\n" << result.err;
  EXPECT_EQ(result.out, kValue);
  EXPECT_EQ(verified_reads(), std::vector<std::string>{kName});
}

TEST_P(SdkSnippet, ReadsAPairsFields) {
  Remediation fix = remediation_for(kPairName, GetParam().source_path, kPairFields);
  auto result = run(fix.snippet, credentials_, true);
  EXPECT_EQ(result.exit_code, 0) << fix.snippet << "\n" << result.err;
  EXPECT_EQ(result.out, pair_printed());
  EXPECT_EQ(verified_reads(), std::vector<std::string>{kPairName});
}

TEST_P(SdkSnippet, FailsWithCredentialsTheServerDoesNotKnow) {
  Remediation fix = remediation_for(kName, GetParam().source_path);
  auto result = run(fix.snippet, testing::random_credentials(), false);
  EXPECT_NE(result.exit_code, 0);
  EXPECT_EQ(result.out.find(kValue), std::string::npos);
  EXPECT_EQ(result.err.find(kValue), std::string::npos);
  EXPECT_TRUE(verified_reads().empty());
  EXPECT_GE(server_->operation_count("GetSecretValue"), 1);  // it did reach the server
}

INSTANTIATE_TEST_SUITE_P(Languages, SdkSnippet,
                         ::testing::Values(SdkLanguage{"python", "src/billing.py", "prog.py"},
                                           SdkLanguage{"shell", "deploy/.env", "prog.sh"},
                                           SdkLanguage{"node_esm", "web/client.mjs", "prog.mjs"},
                                           SdkLanguage{"node_cjs", "web/client.cjs", "prog.cjs"},
                                           SdkLanguage{"go", "cmd/server/main.go", "prog.go"}),
                         [](const ::testing::TestParamInfo<SdkLanguage>& info) { return info.param.name; });

// Parsed only (no package of Debian's or npm's holds these SDKs): each snippet, as a user pastes
// it, in a program its toolchain parses.
struct ParsedSnippet {
  std::string name;
  std::string source_path;
  std::string program_file;
  std::string tool;  // must be on PATH
};
void PrintTo(const ParsedSnippet& parsed, std::ostream* out) {
  *out << parsed.name;
}

std::string parse_program(const ParsedSnippet& parsed, const std::string& snippet) {
  if (parsed.name == "java") {  // a comment, the imports, a blank line, the statements
    std::size_t imports_end = snippet.find("\n\n");
    return snippet.substr(0, imports_end) +
           "\n\npublic class Main {\npublic static void main(String[] args) {\n" +
           snippet.substr(imports_end + 2) + "\nSystem.out.print(secret);\n}\n}\n";
  }
  return snippet + "\n";
}

std::string parse_line(const ParsedSnippet& parsed, const std::string& file, const std::string& dir) {
  if (parsed.name == "java")
    return "javac -XDshould-stop.at=PARSE -XDshould-stop.ifNoError=PARSE -d " +
           shell_quote(dir + "/classes") + " " + file;
  return "ruby -c " + file + " >/dev/null";
}

class ParsedSdkSnippet : public ::testing::TestWithParam<ParsedSnippet> {};

TEST_P(ParsedSdkSnippet, ParsesAndABrokenCopyDoesNot) {
  const ParsedSnippet& parsed = GetParam();
  ASSERT_EQ(testing::run_command("command -v " + parsed.tool).exit_code, 0) << parsed.tool << " is missing";
  TempDir dir;
  std::string file = shell_quote(dir.str() + "/" + parsed.program_file);
  for (const auto& fields : {std::vector<std::string>{}, kPairFields}) {
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
                         ::testing::Values(ParsedSnippet{"java", "src/App.java", "Main.java", "javac"},
                                           ParsedSnippet{"ruby", "app/billing.rb", "prog.rb", "ruby"}),
                         [](const ::testing::TestParamInfo<ParsedSnippet>& info) { return info.param.name; });

}  // namespace
}  // namespace keyhound
