// Issue 14, point 5: every Secrets Manager Agent snippet keyhound prints is executed, in its own
// language (Python, Node ESM and CommonJS, Java, Go, Ruby, shell), against a fake agent
// (tests/aws/fake_agent.py) on localhost:2773 that checks the SSRF token header. Each run is in a private
// network and mount namespace (unshare -rmn), so port 2773 is free and /var/run/awssmatoken can be a test
// file, with the token taken from the file and from AWS_TOKEN; a wrong token must make the snippet fail.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "support/build_paths.hpp"
#include "support/support.hpp"
#include "vault/remediation.hpp"
#include "vault/snippet_values.hpp"

namespace keyhound {
namespace {

using testing::shell_quote;
using testing::TempDir;
using namespace testing::snippet;  // kName, kValue, the pair

const std::string kAgentToken = "ssrf-token-7f3a9c21e5b04d68";

struct Language {
  std::string name;
  std::string source_path;   // picks the snippet
  std::string program_file;  // what the test writes
  std::string runtime;       // must be on PATH
  std::string package;       // the Debian package that provides it
};
void PrintTo(const Language& language, std::ostream* out) {
  *out << language.name;
}

// The snippet turned into a program that prints the secret, or a pair's fields as "id|key".
// Java's pair snippet leaves the JSON to the user's JSON library: it prints the secret's JSON.
std::string program_of(const Language& language, const std::string& snippet, bool pair) {
  const std::string& name = language.name;
  if (std::string program = script_program(name, snippet, pair); !program.empty()) return program;
  // Java and Go: imports, a blank line, the function, a blank line, the call (and a pair's reads).
  std::size_t imports_end = snippet.find("\n\n");
  std::size_t call_start = snippet.rfind("\n\n");
  if (name == "go")
    return "package main\n\n" + snippet.substr(0, imports_end) + "\n\n" +
           snippet.substr(imports_end + 2, call_start - imports_end - 2) + "\n\nfunc run() error {\n" +
           snippet.substr(call_start + 2) + "\nos.Stdout.WriteString(" +
           (pair ? "fields[\"accessKeyId\"] + \"|\" + fields[\"secretAccessKey\"]" : "secret") +
           ")\nreturn nil\n}\n\nfunc main() {\n\tif err := run(); err != nil {\n"
           "\t\tfmt.Fprintln(os.Stderr, err)\n\t\tos.Exit(1)\n\t}\n}\n";
  return snippet.substr(0, imports_end) + "\n\npublic class Main {\n" +
         snippet.substr(imports_end + 2, call_start - imports_end - 2) +
         "\n\npublic static void main(String[] args) throws Exception {\n" + snippet.substr(call_start + 2) +
         "\nSystem.out.print(secret);\n}\n}\n";
}

std::string run_line(const Language& language, const std::string& dir) {
  std::string file = shell_quote(dir + "/" + language.program_file);
  if (language.name == "python") return "/usr/bin/python3 " + file;
  if (language.name == "node_esm" || language.name == "node_cjs") return "node " + file;
  if (language.name == "shell") return "sh " + file;
  if (language.name == "ruby") return "ruby " + file;
  // Go's caches, module path and config stay in the test's directory, never in HOME; GOWORK=off:
  // no go.work looked for in the directories above (outside the clone).
  if (language.name == "go")
    return "env HOME=" + shell_quote(dir) + " GOCACHE=" + shell_quote(dir + "/gocache") +
           " GOPATH=" + shell_quote(dir + "/gopath") +
           " GOENV=off GOWORK=off GOFLAGS= GO111MODULE=off go run " + file;
  return "javac -d " + shell_quote(dir + "/classes") + " " + file + " && java -cp " +
         shell_quote(dir + "/classes") + " Main";
}

class AgentSnippet : public ::testing::TestWithParam<Language> {
 protected:
  // Runs the program in a namespace of its own with the fake agent expecting `agent_token`.
  // `token_file`: what /var/run/awssmatoken holds (absent when empty); `env_token`: AWS_TOKEN.
  // `pair`: the program reads kPairName's fields instead of kName.
  testing::CommandResult run(const std::string& agent_token, const std::string& token_file,
                             const std::string& env_token, bool pair = false) {
    const Language& language = GetParam();
    Remediation fix = pair ? remediation_for(kPairName, language.source_path, kPairFields)
                           : remediation_for(kName, language.source_path);
    dir_.write(language.program_file, program_of(language, fix.agent_snippet, pair));
    dir_.write("secrets.json", nlohmann::json{{kName, kValue}, {kPairName, pair_json()}}.dump());
    dir_.write("token", token_file);
    std::string d = dir_.str();
    std::string inner =
        "ip link set lo up && mount -t tmpfs keyhound-test /run && " +
        std::string(token_file.empty() ? "" : "cp " + shell_quote(d + "/token") + " /run/awssmatoken && ") +
        "/usr/bin/python3 " + shell_quote(std::string(KEYHOUND_SOURCE_DIR) + "/tests/aws/fake_agent.py") +
        " " + shell_quote(d + "/secrets.json") + " " + shell_quote(agent_token) + " 2773 " +
        shell_quote(d + "/ready") + " & agent=$!; " + "for i in $(seq 100); do [ -e " +
        shell_quote(d + "/ready") + " ] && break; sleep 0.05; done; " +
        (env_token.empty() ? "unset AWS_TOKEN; " : "export AWS_TOKEN=" + shell_quote(env_token) + "; ") +
        run_line(language, d) + "; status=$?; kill $agent; exit $status";
    std::filesystem::remove(dir_.path() / "ready");
    return testing::run_command("unshare -rmn sh -c " + shell_quote(inner));
  }

  void SetUp() override {
    const Language& language = GetParam();
    auto found = testing::run_command("command -v " + language.runtime);
    ASSERT_EQ(found.exit_code, 0) << language.runtime << " is missing: install the Debian package "
                                  << language.package << " (scripts/setup.sh --tests)";
    auto ns = testing::run_command("unshare -rmn true");
    ASSERT_EQ(ns.exit_code, 0)
        << "unshare -rmn (user namespaces) is needed to run a fake agent on port 2773: " << ns.err;
  }

  TempDir dir_;
};

TEST_P(AgentSnippet, ReadsTheSecretWithTheTokenFile) {
  auto result = run(kAgentToken, kAgentToken + "\n", "");
  EXPECT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(result.out, kValue);
}

TEST_P(AgentSnippet, ReadsTheSecretWithAwsTokenFromTheEnvironment) {
  auto result = run(kAgentToken, "", kAgentToken);
  EXPECT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(result.out, kValue);
}

TEST_P(AgentSnippet, ReadsAPairsFieldsWithTheTokenFile) {
  auto result = run(kAgentToken, kAgentToken + "\n", "", true);
  EXPECT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(result.out, GetParam().name == "java" ? pair_json() : pair_printed());
}

TEST_P(AgentSnippet, ReadsAPairsFieldsWithAwsTokenFromTheEnvironment) {
  auto result = run(kAgentToken, "", kAgentToken, true);
  EXPECT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(result.out, GetParam().name == "java" ? pair_json() : pair_printed());
}

TEST_P(AgentSnippet, FailsWhenTheAgentRefusesTheToken) {
  auto result = run(kAgentToken, "", "not-the-token");
  EXPECT_NE(result.exit_code, 0);
  EXPECT_EQ(result.out.find(kValue), std::string::npos);
}

INSTANTIATE_TEST_SUITE_P(
    Languages, AgentSnippet,
    ::testing::Values(Language{"python", "src/billing.py", "prog.py", "/usr/bin/python3", "python3"},
                      Language{"node_esm", "web/client.mjs", "prog.mjs", "node", "nodejs"},
                      Language{"node_cjs", "web/client.cjs", "prog.cjs", "node", "nodejs"},
                      Language{"java", "src/App.java", "Main.java", "javac", "default-jdk-headless"},
                      Language{"go", "cmd/server/main.go", "prog.go", "go", "golang-go"},
                      Language{"ruby", "app/billing.rb", "prog.rb", "ruby", "ruby"},
                      Language{"shell", "deploy/.env", "prog.sh", "jq", "jq"}),
    [](const ::testing::TestParamInfo<Language>& info) { return info.param.name; });

}  // namespace
}  // namespace keyhound
