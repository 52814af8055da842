// The fixture of the end-to-end tests that run keyhound against the botocore-checked test server
// (tests/aws/secretsmanager_server.py): a work dir for planted synthetic secrets, an aux dir with
// a test rule and an empty HOME, the built keyhound run with a clean environment, and a check
// that no secret or credential reached its output.
#pragma once

#include <gtest/gtest.h>

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "support/build_paths.hpp"
#include "support/support.hpp"
#include "vault/fake_secrets_manager.hpp"

namespace keyhound::testing {

using Env = std::map<std::string, std::string>;

inline const std::string kLower = "abcdefghijklmnopqrstuvwxyz0123456789";

class AwsEndToEnd : public ::testing::Test {
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

  void start_server(bool with_session_token = false) {
    credentials_ = random_credentials(with_session_token);
    server_ = std::make_unique<FakeSecretsManager>(credentials_);
  }

  // The server's credentials and `region`, as AWS tools read them from the environment.
  Env credentials_env(const std::string& region) const {
    Env env = {{"AWS_ACCESS_KEY_ID", credentials_.access_key_id},
               {"AWS_SECRET_ACCESS_KEY", credentials_.secret_access_key},
               {"AWS_REGION", region}};
    if (!credentials_.session_token.empty()) env["AWS_SESSION_TOKEN"] = credentials_.session_token;
    return env;
  }

  // Writes a file holding a fresh synthetic secret and returns the secret.
  std::string plant(const std::string& file, const std::string& before, const std::string& after) {
    std::string secret = "khtest_" + random_string(32, kLower);
    work_.write(file, before + secret + after);
    secrets_.push_back(secret);
    return secret;
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
    CommandResult result = run_command(line, input);
    transcript_ += result.out + result.err;
    return result;
  }

  TempDir work_, aux_;
  TestCredentials credentials_;
  std::unique_ptr<FakeSecretsManager> server_;
  std::vector<std::string> secrets_;
  std::string transcript_;
};

}  // namespace keyhound::testing
