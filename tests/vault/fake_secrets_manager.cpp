#include "vault/fake_secrets_manager.hpp"

#include <curl/curl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <random>
#include <stdexcept>

#include "support/support.hpp"

namespace keyhound::testing {
namespace {

size_t append(char* data, size_t size, size_t count, void* out) {
  static_cast<std::string*>(out)->append(data, size * count);
  return size * count;
}

std::string http(const std::string& url, const std::string* post_body, const std::string& ca_file) {
  CURL* curl = curl_easy_init();
  std::string body;
  curl_easy_setopt(curl, CURLOPT_URL, url.c_str());
  curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, append);
  curl_easy_setopt(curl, CURLOPT_WRITEDATA, &body);
  curl_easy_setopt(curl, CURLOPT_NOPROXY, "*");
  if (!ca_file.empty()) curl_easy_setopt(curl, CURLOPT_CAINFO, ca_file.c_str());
  if (post_body) curl_easy_setopt(curl, CURLOPT_POSTFIELDS, post_body->c_str());
  CURLcode code = curl_easy_perform(curl);
  curl_easy_cleanup(curl);
  if (code != CURLE_OK)
    throw std::runtime_error("test server unreachable: " + std::string(curl_easy_strerror(code)));
  return body;
}

}  // namespace

std::string random_string(std::size_t length, const std::string& alphabet) {
  std::random_device random;
  std::uniform_int_distribution<std::size_t> pick(0, alphabet.size() - 1);
  std::string out;
  for (std::size_t i = 0; i < length; ++i) out.push_back(alphabet[pick(random)]);
  return out;
}

TestCredentials random_credentials(bool with_session_token) {
  const std::string base64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  TestCredentials out;
  out.access_key_id = "AKIA" + random_string(16, "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567");
  out.secret_access_key = random_string(40, base64);
  if (with_session_token) out.session_token = random_string(120, base64);
  return out;
}

FakeSecretsManager::FakeSecretsManager(const TestCredentials& credentials, const std::string& tls_certificate,
                                       const std::string& tls_key)
    : tls_certificate_(tls_certificate) {
  nlohmann::json list = nlohmann::json::array();
  nlohmann::json entry = {{"access_key_id", credentials.access_key_id},
                          {"secret_access_key", credentials.secret_access_key}};
  if (!credentials.session_token.empty()) entry["session_token"] = credentials.session_token;
  list.push_back(entry);
  std::string env = list.dump();
  std::string script = source_dir() + "/tests/aws/secretsmanager_server.py";
  int pipe_fds[2];
  if (pipe(pipe_fds) != 0) throw std::runtime_error("pipe failed");
  pid_ = fork();
  if (pid_ == 0) {
    dup2(pipe_fds[1], STDOUT_FILENO);
    close(pipe_fds[0]);
    close(pipe_fds[1]);
    setenv("KEYHOUND_TEST_CREDENTIALS", env.c_str(), 1);
    if (!tls_certificate.empty()) {
      setenv("KEYHOUND_TEST_TLS_CERT", tls_certificate.c_str(), 1);
      setenv("KEYHOUND_TEST_TLS_KEY", tls_key.c_str(), 1);
    }
    execl("/usr/bin/python3", "/usr/bin/python3", script.c_str(), static_cast<char*>(nullptr));
    _exit(127);
  }
  close(pipe_fds[1]);
  std::string line;
  char c;
  while (read(pipe_fds[0], &c, 1) == 1 && c != '\n') line.push_back(c);
  close(pipe_fds[0]);
  port_ = line.empty() ? 0 : std::stoi(line);
  if (port_ == 0) throw std::runtime_error("the test server did not start (python3-botocore installed?)");
}

FakeSecretsManager::~FakeSecretsManager() {
  if (pid_ > 0) {
    kill(pid_, SIGTERM);
    waitpid(pid_, nullptr, 0);
  }
}

void FakeSecretsManager::wait_until_gone() {
  if (pid_ > 0) waitpid(pid_, nullptr, 0);
  pid_ = -1;
}

void FakeSecretsManager::control(const nlohmann::json& command) const {
  std::string body = command.dump();
  http(url() + "/__control", &body, tls_certificate_);
}

nlohmann::json FakeSecretsManager::stats() const {
  return nlohmann::json::parse(http(url() + "/__stats", nullptr, tls_certificate_));
}

int FakeSecretsManager::operation_count(const std::string& operation) const {
  auto all = stats();
  auto it = all["operations"].find(operation);
  return it == all["operations"].end() ? 0 : it->get<int>();
}

}  // namespace keyhound::testing
