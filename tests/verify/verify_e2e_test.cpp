// scan --verify end to end: the built binary against a local HTTPS stand-in for the providers
// (tests/verify/provider_server.py) whose certificate comes from a CA made for the test, and
// AWS keys against the botocore-checked test server taught STS GetCallerIdentity.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <vector>

#include "match/checksums.hpp"
#include "rules/loader.hpp"
#include "support/build_paths.hpp"
#include "support/support.hpp"
#include "vault/fake_secrets_manager.hpp"

namespace keyhound {
namespace {

using testing::CommandResult;
using testing::random_string;
using testing::shell_quote;
using testing::TempDir;

const std::string kAlnum = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
const std::string kHex = "0123456789abcdef";

// A classic GitHub token with a valid checksum: a look-alike would be held back as low confidence.
std::string github_token() {
  std::string random = random_string(30, kAlnum);
  return "ghp_" + random + base62_crc32(random);
}

// Hosts the stand-in answers for: every certificate below names them.
const char* kHosts =
    "DNS:api.github.com,DNS:api.stripe.com,DNS:slack.com,DNS:api.telegram.org,DNS:api.twilio.com,"
    "DNS:*.myshopify.com,DNS:api.mailgun.net,DNS:sts.us-east-1.amazonaws.com,IP:127.0.0.1";

// A CA and a server certificate it signs, made with the openssl command into `dir`.
void make_ca_and_certificate(const std::string& dir, const std::string& hosts) {
  std::string q = shell_quote(dir);
  auto made = testing::run_command(
      "cd " + q +
      " && openssl req -x509 -newkey rsa:2048 -nodes -days 1 -subj /CN=keyhound-test-ca -keyout ca.key -out "
      "ca.pem "
      "2>/dev/null && openssl req -newkey rsa:2048 -nodes -subj /CN=keyhound-test-server -keyout key.pem "
      "-out "
      "server.csr 2>/dev/null && printf 'subjectAltName=" +
      hosts +
      "\\n' > ext.cnf && openssl x509 -req -in server.csr -CA ca.pem -CAkey ca.key -CAcreateserial -days 1 "
      "-extfile ext.cnf -out cert.pem 2>/dev/null");
  ASSERT_EQ(made.exit_code, 0) << made.err;
}

class ProviderServer {
 public:
  ProviderServer(const nlohmann::json& tokens, const std::string& tls_dir) {
    std::string script = testing::source_dir() + "/tests/verify/provider_server.py";
    std::string env = tokens.dump();
    int fds[2];
    if (pipe(fds) != 0) throw std::runtime_error("pipe");
    pid_ = fork();
    if (pid_ == 0) {
      dup2(fds[1], STDOUT_FILENO);
      close(fds[0]);
      close(fds[1]);
      setenv("KEYHOUND_TEST_TOKENS", env.c_str(), 1);
      setenv("KEYHOUND_TEST_TLS_CERT", (tls_dir + "/cert.pem").c_str(), 1);
      setenv("KEYHOUND_TEST_TLS_KEY", (tls_dir + "/key.pem").c_str(), 1);
      execl("/usr/bin/python3", "/usr/bin/python3", script.c_str(), static_cast<char*>(nullptr));
      _exit(127);
    }
    close(fds[1]);
    std::string line;
    char c;
    while (read(fds[0], &c, 1) == 1 && c != '\n') line.push_back(c);
    close(fds[0]);
    port_ = line.empty() ? 0 : std::stoi(line);
    if (!port_) throw std::runtime_error("the provider stand-in did not start");
  }
  ~ProviderServer() {
    kill(pid_, SIGTERM);
    waitpid(pid_, nullptr, 0);
  }
  int port() const { return port_; }
  nlohmann::json stats(const std::string& ca) const {
    auto got = testing::run_command("curl -q -s --noproxy '*' --cacert " + shell_quote(ca) +
                                    " https://127.0.0.1:" + std::to_string(port_) + "/__stats");
    return nlohmann::json::parse(got.out);
  }

 private:
  pid_t pid_ = -1;
  int port_ = 0;
};

class VerifyEndToEnd : public ::testing::Test {
 protected:
  void SetUp() override {
    tls_.write(".keep", "");
    make_ca_and_certificate(tls_.str(), kHosts);
  }

  void TearDown() override {
    for (const auto& secret : secrets_) {
      EXPECT_EQ(transcript_.find(secret), std::string::npos) << "a secret leaked into keyhound's output";
    }
  }

  std::string plant(const std::string& file, const std::string& text, const std::string& secret) {
    work_.write(file, text);
    secrets_.push_back(secret);
    return secret;
  }

  CommandResult scan(const std::vector<std::string>& args, int port, const std::string& ca,
                     const std::string& extra_env = "") {
    std::string line =
        "cd " + shell_quote(work_.str()) + " && env -i PATH=/usr/bin:/bin " + extra_env +
        " KEYHOUND_CACHE_DIR=" + shell_quote(KEYHOUND_TEST_CACHE_DIR) +
        " KEYHOUND_VERIFY_ENDPOINT_OVERRIDE=" + shell_quote("*=127.0.0.1:" + std::to_string(port)) +
        " KEYHOUND_VERIFY_CA_FILE=" + shell_quote(ca) + " " + shell_quote(KEYHOUND_BIN);
    for (const auto& arg : args) line += " " + shell_quote(arg);
    CommandResult result = testing::run_command(line);
    transcript_ += result.out + result.err;
    return result;
  }

  // fingerprint-free view: rule id -> {verification, identity}
  static std::map<std::string, std::pair<std::string, std::string>> verdicts(const std::string& json) {
    std::map<std::string, std::pair<std::string, std::string>> out;
    nlohmann::json document = nlohmann::json::parse(json);
    for (const auto& finding : document["findings"])
      out[finding["rule_id"].get<std::string>() + "@" + finding["locations"][0]["path"].get<std::string>()] =
          {finding.value("verification", ""), finding.value("verified_identity", "")};
    return out;
  }

  TempDir tls_, work_;
  std::vector<std::string> secrets_;
  std::string transcript_;
};

TEST_F(VerifyEndToEnd, LiveRevokedFailingSlowAndRedirectedAnswers) {
  std::string live = plant("live.env", "", github_token());
  std::string revoked = plant("revoked.env", "", github_token());
  std::string failing = plant("failing.env", "", github_token());
  std::string slow = plant("slow.env", "", github_token());
  std::string redirect = plant("redirect.env", "", github_token());
  for (const auto& [file, token] :
       std::vector<std::pair<std::string, std::string>>{{"live.env", live},
                                                        {"revoked.env", revoked},
                                                        {"failing.env", failing},
                                                        {"slow.env", slow},
                                                        {"redirect.env", redirect}})
    work_.write(file, "GITHUB_TOKEN=" + token + "\n");
  // The same live token again elsewhere: one finding, one request.
  work_.write("copy/live-again.env", "token: " + live + "\n");
  nlohmann::json tokens = {
      {live, {{"status", 200}, {"body", {{"login", "octo-test"}}}}},
      {revoked, {{"status", 401}, {"body", {{"message", "Bad credentials"}}}}},
      {failing, {{"status", 500}, {"body", nullptr}}},
      {slow, {{"status", 200}, {"delay", 4}, {"body", {{"login", "too-late"}}}}},
      {redirect, {{"status", 302}, {"location", "https://api.github.com/__redirected"}}},
  };
  ProviderServer server(tokens, tls_.str());
  auto result = scan({"scan", ".", "--verify", "--verify-timeout", "2", "--format", "json"}, server.port(),
                     tls_.str() + "/ca.pem");
  ASSERT_EQ(result.exit_code, 1) << result.err;  // findings: the exit code keeps its meaning
  auto got = verdicts(result.out);
  EXPECT_EQ(got["github.pat-classic@copy/live-again.env"],
            std::make_pair(std::string("live"), std::string("octo-test")));
  EXPECT_EQ(got["github.pat-classic@revoked.env"].first, "revoked");
  EXPECT_EQ(got["github.pat-classic@failing.env"].first, "unknown");
  EXPECT_EQ(got["github.pat-classic@slow.env"].first, "unknown");
  EXPECT_EQ(got["github.pat-classic@redirect.env"].first, "unknown");
  // The live finding comes first.
  EXPECT_EQ(nlohmann::json::parse(result.out)["findings"][0]["verification"], "live");
  auto stats = server.stats(tls_.str() + "/ca.pem");
  EXPECT_EQ(stats["hits"][live], 1) << "a secret must be verified once per run";
  EXPECT_EQ(stats["redirect_followed"], 0) << "redirects must not be followed";
  EXPECT_LE(stats["max_in_flight"]["api.github.com"].get<int>(), 2) << "per-host concurrency limit";
  for (const auto& request : stats["requests"]) EXPECT_EQ(request["host"], "api.github.com");
  EXPECT_NE(result.err.find("verified 5 secrets: 1 live, 1 revoked, 3 unknown, 0 error"), std::string::npos)
      << result.err;
}

TEST_F(VerifyEndToEnd, TextPutsLiveFirstAndOnlyLiveFilters) {
  std::string revoked = plant("a.env", "", github_token());
  std::string live = plant("z.env", "", github_token());
  work_.write("a.env", "GITHUB_TOKEN=" + revoked + "\n");
  work_.write("z.env", "GITHUB_TOKEN=" + live + "\n");
  ProviderServer server({{live, {{"status", 200}, {"body", {{"login", "octo-live"}}}}}}, tls_.str());
  auto text = scan({"scan", ".", "--verify", "--no-color"}, server.port(), tls_.str() + "/ca.pem");
  ASSERT_EQ(text.exit_code, 1) << text.err;
  EXPECT_EQ(text.out.rfind("== high confidence: 2 findings ==\n\nLIVE GitHub", 0), 0u) << text.out;
  EXPECT_NE(text.out.find("  verified     live as octo-live (HTTP 200)\n"), std::string::npos) << text.out;
  EXPECT_NE(text.out.find("  verified     revoked (HTTP 401)\n"), std::string::npos) << text.out;
  EXPECT_LT(text.out.find("z.env"), text.out.find("a.env"));

  auto only = scan({"scan", ".", "--verify", "--verify-only-live", "--format", "jsonl"}, server.port(),
                   tls_.str() + "/ca.pem");
  ASSERT_EQ(only.exit_code, 1) << only.err;
  EXPECT_EQ(std::count(only.out.begin(), only.out.end(), '\n'), 1) << only.out;
  EXPECT_NE(only.out.find("\"verification\":\"live\""), std::string::npos) << only.out;

  auto sarif = scan({"scan", ".", "--verify", "--format", "sarif"}, server.port(), tls_.str() + "/ca.pem");
  auto results = nlohmann::json::parse(sarif.out)["runs"][0]["results"];
  ASSERT_EQ(results.size(), 2u);
  for (const auto& result : results) {
    bool is_live = result["properties"]["verification"] == "live";
    EXPECT_EQ(result["level"], is_live ? "error" : "error") << "github.pat-classic is high confidence";
    if (is_live)
      EXPECT_EQ(result["properties"]["verifiedIdentity"], "octo-live");
    else
      EXPECT_EQ(result["properties"]["verification"], "revoked");
  }
}

TEST_F(VerifyEndToEnd, DataDrivenProvidersTwoPartAndHostLabel) {
  std::string stripe = plant("pay.env", "", "sk_live_" + random_string(32, kAlnum));
  std::string slack_ok = "xoxb-" + random_string(11, "0123456789") + "-" + random_string(24, kAlnum);
  std::string slack_bad = "xoxb-" + random_string(11, "0123456789") + "-" + random_string(24, kAlnum);
  std::string telegram = random_string(9, "123456789") + ":AA" + random_string(33, kAlnum);
  std::string twilio_sid = "AC" + random_string(32, kHex);
  std::string twilio_token = random_string(32, kHex);
  std::string shop_token = "shpat_" + random_string(32, kHex);
  std::string mailgun = "key-" + random_string(32, kHex);
  for (const auto& secret : {slack_ok, slack_bad, telegram, twilio_token, shop_token, mailgun})
    secrets_.push_back(secret);
  work_.write("pay.env", "STRIPE_KEY=" + stripe + "\n");
  work_.write("slack.env", "SLACK_BOT=" + slack_ok + "\n");
  work_.write("slack-old.env", "SLACK_BOT=" + slack_bad + "\n");
  work_.write("bot.env", "TELEGRAM_TOKEN=" + telegram + "\n");
  work_.write("twilio.env",
              "TWILIO_ACCOUNT_SID=" + twilio_sid + "\nTWILIO_AUTH_TOKEN=" + twilio_token + "\n");
  work_.write("shop.env", "SHOP=acme-test.myshopify.com\nSHOPIFY_TOKEN=" + shop_token + "\n");
  work_.write("mail.env", "MAILGUN_API_KEY=" + mailgun + "\n");
  nlohmann::json tokens = {
      {stripe, {{"status", 200}, {"body", {{"id", "acct_test1"}}}}},
      {slack_ok, {{"status", 200}, {"body", {{"ok", true}, {"user", "deploy-bot"}}}}},
      {slack_bad, {{"status", 200}, {"body", {{"ok", false}, {"error", "invalid_auth"}}}}},
      {telegram, {{"status", 200}, {"body", {{"ok", true}, {"result", {{"username", "test_bot"}}}}}}},
      {twilio_token, {{"status", 200}, {"body", {{"friendly_name", "Test Account"}}}}},
      {shop_token, {{"status", 200}, {"body", {{"shop", {{"name", "Acme Test"}}}}}}},
      {mailgun, {{"status", 401}, {"body", {{"message", "Invalid private key"}}}}},
  };
  ProviderServer server(tokens, tls_.str());
  auto result = scan({"scan", ".", "--verify", "--format", "json"}, server.port(), tls_.str() + "/ca.pem");
  ASSERT_EQ(result.exit_code, 1) << result.err;
  auto got = verdicts(result.out);
  using P = std::pair<std::string, std::string>;
  EXPECT_EQ(got["stripe.secret-key@pay.env"], P("live", "acct_test1"));
  EXPECT_EQ(got["slack.bot-token@slack.env"], P("live", "deploy-bot"));
  EXPECT_EQ(got["slack.bot-token@slack-old.env"], P("revoked", ""));
  EXPECT_EQ(got["telegram.bot-token@bot.env"].first, "live");
  EXPECT_EQ(got["shopify.admin-access-token@shop.env"], P("live", "Acme Test"));
  EXPECT_EQ(got["mailgun.api-key@mail.env"], P("revoked", ""));
  bool twilio_live = false;
  for (const auto& [key, verdict] : got)
    if (key.rfind("twilio.", 0) == 0 && key.find("@twilio.env") != std::string::npos)
      twilio_live |= verdict == P("live", "Test Account");
  EXPECT_TRUE(twilio_live) << result.out;
  auto stats = server.stats(tls_.str() + "/ca.pem");
  std::set<std::string> hosts;
  for (const auto& request : stats["requests"]) hosts.insert(request["host"].get<std::string>());
  EXPECT_TRUE(hosts.count("acme-test.myshopify.com")) << stats.dump();
  EXPECT_TRUE(hosts.count("api.twilio.com")) << stats.dump();
  EXPECT_TRUE(hosts.count("slack.com")) << stats.dump();
}

TEST_F(VerifyEndToEnd, CertificateFromAnotherCaIsAnErrorNotAScanFailure) {
  TempDir other;
  other.write(".keep", "");
  make_ca_and_certificate(other.str(), kHosts);  // same names, a CA keyhound was not told to trust
  std::string token = plant("t.env", "", github_token());
  work_.write("t.env", "GITHUB_TOKEN=" + token + "\n");
  ProviderServer server({{token, {{"status", 200}, {"body", {{"login", "mitm"}}}}}}, other.str());
  auto result = scan({"scan", ".", "--verify", "--format", "json"}, server.port(), tls_.str() + "/ca.pem");
  ASSERT_EQ(result.exit_code, 1) << result.err;
  auto finding = nlohmann::json::parse(result.out)["findings"][0];
  EXPECT_EQ(finding["verification"], "error");
  EXPECT_EQ(finding["verified_identity"], "");
  EXPECT_EQ(server.stats(other.str() + "/ca.pem")["hits"].size(), 0u)
      << "no request may cross a bad TLS session";
}

TEST_F(VerifyEndToEnd, UnreachableProviderIsUnknown) {
  std::string token = plant("t.env", "", github_token());
  work_.write("t.env", "GITHUB_TOKEN=" + token + "\n");
  // A port nothing listens on: bind one, note it, close it.
  auto result = scan({"scan", ".", "--verify", "--format", "json"}, 9, tls_.str() + "/ca.pem");
  ASSERT_EQ(result.exit_code, 1) << result.err;
  EXPECT_EQ(nlohmann::json::parse(result.out)["findings"][0]["verification"], "unknown");
}

TEST_F(VerifyEndToEnd, OverrideOnlyToLoopback) {
  work_.write("t.env", "nothing here\n");
  std::string line =
      "cd " + shell_quote(work_.str()) +
      " && env -i PATH=/usr/bin:/bin KEYHOUND_VERIFY_ENDPOINT_OVERRIDE=api.github.com=10.1.2.3:443 " +
      shell_quote(KEYHOUND_BIN) + " scan . --verify";
  auto refused = testing::run_command(line);
  EXPECT_EQ(refused.exit_code, 2);
  EXPECT_NE(refused.err.find("KEYHOUND_VERIFY_ENDPOINT_OVERRIDE: '10.1.2.3' is not a loopback address"),
            std::string::npos)
      << refused.err;
  auto ca_alone = testing::run_command("cd " + shell_quote(work_.str()) +
                                       " && env -i PATH=/usr/bin:/bin KEYHOUND_VERIFY_CA_FILE=/tmp/x.pem " +
                                       shell_quote(KEYHOUND_BIN) + " scan . --verify");
  EXPECT_EQ(ca_alone.exit_code, 2);
  EXPECT_NE(ca_alone.err.find("KEYHOUND_VERIFY_CA_FILE is for tests"), std::string::npos) << ca_alone.err;
}

TEST_F(VerifyEndToEnd, AwsKeyPairThroughStsGetCallerIdentity) {
  auto credentials = testing::random_credentials();
  testing::FakeSecretsManager sts(credentials, tls_.str() + "/cert.pem", tls_.str() + "/key.pem");
  auto wrong = testing::random_credentials();
  secrets_.push_back(credentials.secret_access_key);
  secrets_.push_back(wrong.secret_access_key);
  work_.write("live/credentials", "[default]\naws_access_key_id = " + credentials.access_key_id +
                                      "\naws_secret_access_key = " + credentials.secret_access_key + "\n");
  work_.write("dead/credentials", "[default]\naws_access_key_id = " + credentials.access_key_id +
                                      "\naws_secret_access_key = " + wrong.secret_access_key + "\n");
  std::string port = sts.url().substr(sts.url().rfind(':') + 1);
  auto result = scan({"scan", ".", "--verify", "--format", "json"}, std::stoi(port), tls_.str() + "/ca.pem");
  ASSERT_EQ(result.exit_code, 1) << result.err;
  auto got = verdicts(result.out);
  std::string arn = "arn:aws:iam::123456789012:user/keyhound-test-" + [&] {
    std::string tail = credentials.access_key_id.substr(16);
    for (auto& c : tail) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return tail;
  }();
  EXPECT_EQ(got["aws.secret-access-key@live/credentials"], std::make_pair(std::string("live"), arn));
  EXPECT_EQ(got["aws.secret-access-key@dead/credentials"].first, "revoked");
  EXPECT_EQ(sts.operation_count("GetCallerIdentity"), 2);
}

// Every data-only verify block (no partner value) builds a request that reaches its own host and
// gets judged: each rule's first example, a stand-in that knows none of them (401 for all).
TEST_F(VerifyEndToEnd, EveryDataVerifierAsksItsOwnHost) {
  auto rules = parse_rule_sources(builtin_rule_sources());
  ASSERT_TRUE(rules) << rules.error().message;
  std::map<std::string, std::string> host_of_rule;
  std::set<std::string> hosts;
  for (const auto& rule : *rules) {
    if (!rule.verify.present() || rule.verify.kind != "http" || !rule.verify.partner.empty() ||
        rule.examples.empty())
      continue;
    std::string url = rule.verify.url.substr(std::string("https://").size());
    std::string host = url.substr(0, url.find('/'));
    host_of_rule[rule.id] = host;
    hosts.insert(host);
    work_.write(rule.id + ".txt", rule.examples[0] + "\n");
  }
  ASSERT_GE(host_of_rule.size(), 30u);
  std::string names;
  for (const auto& host : hosts) names += "DNS:" + host + ",";
  TempDir tls;
  tls.write(".keep", "");
  make_ca_and_certificate(tls.str(), names + "IP:127.0.0.1");
  ProviderServer server(nlohmann::json::object(), tls.str());
  auto result = scan({"scan", ".", "--verify", "--min-confidence", "low", "--format", "json"}, server.port(),
                     tls.str() + "/ca.pem");
  ASSERT_EQ(result.exit_code, 1) << result.err;
  nlohmann::json document = nlohmann::json::parse(result.out);
  std::map<std::string, std::string> verdict_of_rule;  // from the rule's own example file
  for (const auto& finding : document["findings"]) {
    std::string rule_id = finding["rule_id"];
    for (const auto& location : finding["locations"])
      if (location["path"] == rule_id + ".txt")
        verdict_of_rule[rule_id] =
            finding.value("verification", "") + " " + finding.value("verification_detail", "");
  }
  for (const auto& [rule_id, host] : host_of_rule) {
    ASSERT_TRUE(verdict_of_rule.count(rule_id)) << rule_id << ": its first example is not found";
    EXPECT_TRUE(verdict_of_rule[rule_id].rfind("revoked ", 0) == 0 ||
                verdict_of_rule[rule_id].rfind("unknown ", 0) == 0)
        << rule_id << ": " << verdict_of_rule[rule_id];
  }
  std::set<std::string> asked;
  nlohmann::json stats = server.stats(tls.str() + "/ca.pem");
  for (const auto& request : stats["requests"]) asked.insert(request["host"].get<std::string>());
  for (const auto& host : hosts) EXPECT_TRUE(asked.count(host)) << host << " was never asked";
  for (const auto& host : asked) EXPECT_TRUE(hosts.count(host)) << host << " is no rule's host";
}

TEST_F(VerifyEndToEnd, VaultOnlyLiveVaultsTheLiveSecretAlone) {
  std::string live = plant("live.env", "", github_token());
  std::string revoked = plant("revoked.env", "", github_token());
  work_.write("live.env", "GITHUB_TOKEN=" + live + "\n");
  work_.write("revoked.env", "GITHUB_TOKEN=" + revoked + "\n");
  auto credentials = testing::random_credentials();
  secrets_.push_back(credentials.secret_access_key);
  testing::FakeSecretsManager secrets_manager(credentials, tls_.str() + "/cert.pem", tls_.str() + "/key.pem");
  ProviderServer provider({{live, {{"status", 200}, {"body", {{"login", "octo-live"}}}}}}, tls_.str());
  std::string ca = tls_.str() + "/ca.pem";
  std::string aws = "AWS_ACCESS_KEY_ID=" + credentials.access_key_id +
                    " AWS_SECRET_ACCESS_KEY=" + shell_quote(credentials.secret_access_key) +
                    " AWS_REGION=us-east-1 AWS_ENDPOINT_URL_SECRETS_MANAGER=" + secrets_manager.url() +
                    " AWS_CA_BUNDLE=" + shell_quote(ca);
  auto created = scan({"baseline", "create", "."}, provider.port(), ca);
  ASSERT_EQ(created.exit_code, 0) << created.err;
  std::string baseline_file = work_.str() + "/.keyhound-baseline.json";
  auto listed = nlohmann::json::parse(testing::read_text(baseline_file));
  std::map<std::string, std::string> fingerprint_of;  // path -> fingerprint
  for (const auto& entry : listed["entries"])
    fingerprint_of[entry["locations"][0]["path"].get<std::string>()] =
        entry["fingerprint"].get<std::string>();
  ASSERT_EQ(fingerprint_of.size(), 2u) << listed.dump();
  for (const auto& [path, fingerprint] : fingerprint_of)
    ASSERT_EQ(scan({"baseline", "set", fingerprint, "confirmed"}, provider.port(), ca).exit_code, 0);

  auto vaulted = scan({"vault", ".", "--only-live"}, provider.port(), ca, aws);
  ASSERT_EQ(vaulted.exit_code, 0) << vaulted.err << vaulted.out;
  EXPECT_EQ(secrets_manager.operation_count("CreateSecret"), 1) << vaulted.out;
  EXPECT_NE(vaulted.out.find("skipped (not live: revoked) " + fingerprint_of["revoked.env"]),
            std::string::npos)
      << vaulted.out;
  std::map<std::string, std::string> status_of;  // fingerprint -> status
  auto after = nlohmann::json::parse(testing::read_text(baseline_file));
  for (const auto& entry : after["entries"])
    status_of[entry["fingerprint"].get<std::string>()] = entry["status"].get<std::string>();
  EXPECT_EQ(status_of[fingerprint_of["live.env"]], "vaulted");
  EXPECT_EQ(status_of[fingerprint_of["revoked.env"]], "confirmed");
}

}  // namespace
}  // namespace keyhound
