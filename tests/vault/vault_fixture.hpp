// The fixture of the vault end-to-end tests: the shared AWS end-to-end fixture (keyhound, the
// test server, planted synthetic secrets) with the vault's steps and the AWS CLI.
#pragma once

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "baseline/baseline.hpp"
#include "finding/finding.hpp"
#include "support/aws_end_to_end.hpp"

namespace keyhound {

using testing::CommandResult;
using testing::Env;
using testing::FakeSecretsManager;
using testing::kLower;
using testing::shell_quote;
using testing::TempDir;

class VaultEndToEnd : public testing::AwsEndToEnd {
 protected:
  void plant_three() {
    plant("app.py", "API_TOKEN = '", "'\n");
    plant("web/client.ts", "export const token = \"", "\";\n");
    plant("cmd/main.go", "package main\n\nconst token = \"", "\"\n");
  }

  Env aws_env() const { return credentials_env("us-east-1"); }

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
};

}  // namespace keyhound
