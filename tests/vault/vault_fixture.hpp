// The fixture of the vault end-to-end tests: a work dir with planted synthetic secrets, the
// test server, the built keyhound and the AWS CLI, each run with a clean environment.
#pragma once

#include <gtest/gtest.h>

#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "baseline/baseline.hpp"
#include "finding/finding.hpp"
#include "support/support.hpp"
#include "vault/fake_secrets_manager.hpp"
#include "support/build_paths.hpp"

namespace keyhound {

using testing::CommandResult;
using testing::FakeSecretsManager;
using testing::shell_quote;
using testing::TempDir;
using Env = std::map<std::string, std::string>;

inline const std::string kLower = "abcdefghijklmnopqrstuvwxyz0123456789";

class VaultEndToEnd : public ::testing::Test {
 protected:
  void SetUp() override {
    aux_.write("rules.yml",
               "rules:\n"
               "  - id: test.token\n"
               "    name: Test token\n"
               "    pattern: '\\b(khtest_[a-z0-9]{32})\\b'\n"
               "    confidence: high\n"
               "    examples:\n"
               "      - 'token = khtest_q8rz3vlk2wn9xt4bp7hm1jc6yf0gd5ks'\n");
    aux_.write("home/.keep", "");
    aux_.write("empty", "");
  }

  void TearDown() override {
    for (const auto& secret : secrets_)
      EXPECT_EQ(transcript_.find(secret), std::string::npos) << "a secret leaked";
    for (const std::string& key : {credentials_.secret_access_key, credentials_.session_token}) {
      if (key.empty()) continue;
      EXPECT_EQ(transcript_.find(key), std::string::npos) << "a credential leaked";
    }
    EXPECT_EQ(transcript_.find("Signature="), std::string::npos) << "an Authorization header leaked";
  }

  // Writes a file holding a fresh synthetic secret and returns the secret.
  std::string plant(const std::string& file, const std::string& before, const std::string& after) {
    std::string secret = "khtest_" + testing::random_string(32, kLower);
    work_.write(file, before + secret + after);
    secrets_.push_back(secret);
    return secret;
  }

  void plant_three() {
    plant("app.py", "API_TOKEN = '", "'\n");
    plant("web/client.ts", "export const token = \"", "\";\n");
    plant("cmd/main.go", "package main\n\nconst token = \"", "\"\n");
  }

  Env aws_env() const {
    Env env = {{"AWS_ACCESS_KEY_ID", credentials_.access_key_id},
               {"AWS_SECRET_ACCESS_KEY", credentials_.secret_access_key},
               {"AWS_REGION", "us-east-1"}};
    if (!credentials_.session_token.empty()) env["AWS_SESSION_TOKEN"] = credentials_.session_token;
    return env;
  }

  // Runs keyhound in the work dir with a clean environment plus `env`.
  CommandResult keyhound(const std::vector<std::string>& args, const Env& env = {},
                         const std::string* input = nullptr) {
    std::string line = "cd " + shell_quote(work_.str()) +
                       " && env -i PATH=/usr/bin:/bin HOME=" + shell_quote(aux_.str() + "/home") +
                       " KEYHOUND_CACHE_DIR=" + shell_quote(KEYHOUND_TEST_CACHE_DIR);
    for (const auto& [name, value] : env) line += " " + name + "=" + shell_quote(value);
    line += " " + shell_quote(KEYHOUND_BIN);
    for (const auto& arg : args) line += " " + shell_quote(arg);
    CommandResult result = testing::run_command(line, input);
    transcript_ += result.out + result.err;
    return result;
  }

  CommandResult vault(std::vector<std::string> args = {}, const Env* env = nullptr) {
    args.insert(args.begin(), {"vault", "--endpoint-url", server_->url()});
    return keyhound(args, env ? *env : aws_env());
  }

  // baseline create, then every entry confirmed; returns the fingerprints.
  std::vector<std::string> confirm_all(const std::vector<std::string>& scan_args = {"."}) {
    std::vector<std::string> args = {"baseline", "create", "--no-builtin-rules", "--rules",
                                     aux_.str() + "/rules.yml"};
    args.insert(args.end(), scan_args.begin(), scan_args.end());
    auto created = keyhound(args);
    EXPECT_EQ(created.exit_code, 0) << created.err;
    std::vector<std::string> fingerprints;
    for (const auto& [fingerprint, entry] : baseline().entries) {
      fingerprints.push_back(fingerprint);
      auto set = keyhound({"baseline", "set", fingerprint, "confirmed"});
      EXPECT_EQ(set.exit_code, 0) << set.err;
    }
    return fingerprints;
  }

  Baseline baseline() const {
    auto read = read_baseline(work_.str() + "/.keyhound-baseline.json");
    EXPECT_TRUE(read.ok()) << (read.ok() ? "" : read.error().message);
    return read.ok() ? *read : Baseline{};
  }

  // The AWS CLI as a user would run it, with only the synthetic credentials.
  CommandResult aws(const std::string& arguments) const {
    std::string line =
        "env -i PATH=/usr/bin:/bin HOME=" + shell_quote(aux_.str() + "/home") +
        " AWS_EC2_METADATA_DISABLED=true AWS_CONFIG_FILE=" + shell_quote(aux_.str() + "/empty") +
        " AWS_SHARED_CREDENTIALS_FILE=" + shell_quote(aux_.str() + "/empty") +
        " AWS_ACCESS_KEY_ID=" + credentials_.access_key_id +
        " AWS_SECRET_ACCESS_KEY=" + shell_quote(credentials_.secret_access_key) +
        (credentials_.session_token.empty()
             ? ""
             : " AWS_SESSION_TOKEN=" + shell_quote(credentials_.session_token)) +
        " /usr/bin/aws secretsmanager " + arguments + " --endpoint-url " + server_->url() +
        " --region us-east-1 --output json";
    return testing::run_command(line);
  }

  std::string stored_value(const std::string& name) const {
    auto result = aws("get-secret-value --secret-id " + shell_quote(name));
    EXPECT_EQ(result.exit_code, 0) << result.err;
    if (result.exit_code != 0) return {};
    return nlohmann::json::parse(result.out)["SecretString"].get<std::string>();
  }

  void start_server(bool with_session_token = false) {
    credentials_ = testing::random_credentials(with_session_token);
    server_ = std::make_unique<FakeSecretsManager>(credentials_);
  }

  // An https server whose self-signed certificate (for 127.0.0.1) is at aux/tls/cert.pem.
  void start_tls_server() {
    aux_.write("tls/.keep", "");
    std::string tls = aux_.str() + "/tls";
    auto made = testing::run_command(
        "openssl req -x509 -newkey rsa:2048 -nodes -days 1 -subj /CN=127.0.0.1 "
        "-addext subjectAltName=IP:127.0.0.1 -keyout " +
        shell_quote(tls + "/key.pem") + " -out " + shell_quote(tls + "/cert.pem"));
    ASSERT_EQ(made.exit_code, 0) << made.err;
    credentials_ = testing::random_credentials();
    server_ = std::make_unique<FakeSecretsManager>(credentials_, tls + "/cert.pem", tls + "/key.pem");
  }

  std::string secret_in(const std::string& fingerprint) {
    std::string key = baseline().fingerprint_key;
    for (const auto& secret : secrets_)
      if (fingerprint_of(key, "test.token", secret) == fingerprint) return secret;
    return {};
  }

  TempDir work_, aux_;
  testing::TestCredentials credentials_;
  std::unique_ptr<FakeSecretsManager> server_;
  std::vector<std::string> secrets_;
  std::string transcript_;
};

}  // namespace keyhound
