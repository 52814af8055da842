// Starts tests/aws/secretsmanager_server.py on a free loopback port and talks to its control
// endpoint; the server goes away with the object.
#pragma once

#include <sys/types.h>

#include <nlohmann/json.hpp>
#include <string>

namespace keyhound::testing {

struct TestCredentials {
  std::string access_key_id;      // AKIA + 16 random base32 characters
  std::string secret_access_key;  // 40 random characters
  std::string session_token;      // empty, or random
};

// Synthetic, random credentials in the shape AWS issues.
TestCredentials random_credentials(bool with_session_token = false);
std::string random_string(std::size_t length, const std::string& alphabet);

class FakeSecretsManager {
 public:
  // With `tls_certificate` and `tls_key` (PEM files) it serves https instead of http.
  explicit FakeSecretsManager(const TestCredentials& credentials, const std::string& tls_certificate = "",
                              const std::string& tls_key = "");
  ~FakeSecretsManager();
  FakeSecretsManager(const FakeSecretsManager&) = delete;
  FakeSecretsManager& operator=(const FakeSecretsManager&) = delete;

  std::string url() const {
    return (tls_certificate_.empty() ? "http" : "https") + std::string("://127.0.0.1:") +
           std::to_string(port_);
  }
  void control(const nlohmann::json& command) const;
  nlohmann::json stats() const;  // {"requests", "operations": {op: n}, "secrets": {name: versions}}
  int operation_count(const std::string& operation) const;
  void wait_until_gone();  // after a die_after: reap the process

 private:
  pid_t pid_ = -1;
  int port_ = 0;
  std::string tls_certificate_;
};

}  // namespace keyhound::testing
