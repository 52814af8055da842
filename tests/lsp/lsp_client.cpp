#include "lsp/lsp_client.hpp"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstring>

#include "support/build_paths.hpp"

namespace keyhound::testing {

using nlohmann::json;

LspClient::LspClient(const std::vector<std::string>& args, const std::string& cwd,
                     const std::string& stderr_file) {
  int in[2], out[2];
  if (::pipe2(in, O_CLOEXEC) != 0 || ::pipe2(out, O_CLOEXEC) != 0) {
    ADD_FAILURE() << "pipe: " << std::strerror(errno);
    return;
  }
  ::signal(SIGPIPE, SIG_IGN);
  pid_ = ::fork();
  if (pid_ == 0) {
    ::dup2(in[0], STDIN_FILENO);
    ::dup2(out[1], STDOUT_FILENO);
    int err = ::open(stderr_file.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    if (err >= 0) ::dup2(err, STDERR_FILENO);
    if (!cwd.empty() && ::chdir(cwd.c_str()) != 0) ::_exit(126);
    std::vector<std::string> argv_strings = {KEYHOUND_BIN, "lsp"};
    argv_strings.insert(argv_strings.end(), args.begin(), args.end());
    std::vector<char*> argv;
    for (auto& s : argv_strings) argv.push_back(s.data());
    argv.push_back(nullptr);
    ::execv(KEYHOUND_BIN, argv.data());
    ::_exit(127);
  }
  ::close(in[0]);
  ::close(out[1]);
  to_server_ = in[1];
  from_server_ = out[0];
}

LspClient::~LspClient() {
  if (to_server_ >= 0) ::close(to_server_);
  if (pid_ > 0) {
    int status = 0;
    if (::waitpid(pid_, &status, WNOHANG) == 0) {
      ::kill(pid_, SIGKILL);
      ::waitpid(pid_, &status, 0);
    }
  }
  if (from_server_ >= 0) ::close(from_server_);
}

void LspClient::send_raw(const std::string& bytes) {
  std::string_view rest = bytes;
  while (!rest.empty()) {
    ssize_t written = ::write(to_server_, rest.data(), rest.size());
    if (written < 0) {
      if (errno == EINTR) continue;
      ADD_FAILURE() << "write to the server: " << std::strerror(errno);
      return;
    }
    rest.remove_prefix(static_cast<std::size_t>(written));
  }
}

void LspClient::send(const json& message) {
  std::string body = message.dump();
  send_raw("Content-Length: " + std::to_string(body.size()) + "\r\n\r\n" + body);
}

int LspClient::request(const std::string& method, const json& params) {
  int id = next_id_++;
  send(json{{"jsonrpc", "2.0"}, {"id", id}, {"method", method}, {"params", params}});
  return id;
}

void LspClient::notify(const std::string& method, const json& params) {
  send(json{{"jsonrpc", "2.0"}, {"method", method}, {"params", params}});
}

bool LspClient::read_frame(std::chrono::steady_clock::time_point deadline, json& out) {
  while (true) {
    std::size_t header_end = buffer_.find("\r\n\r\n");
    if (header_end != std::string::npos) {
      std::string header = buffer_.substr(0, header_end);
      const std::string kLength = "Content-Length: ";
      std::size_t at = header.find(kLength);
      if (at == std::string::npos) {
        ADD_FAILURE() << "server sent a header without Content-Length: " << header;
        return false;
      }
      std::size_t length = std::stoul(header.substr(at + kLength.size()));
      if (buffer_.size() >= header_end + 4 + length) {
        out = json::parse(buffer_.substr(header_end + 4, length));
        buffer_.erase(0, header_end + 4 + length);
        return true;
      }
    }
    auto left =
        std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) return false;
    pollfd input{from_server_, POLLIN, 0};
    int ready = ::poll(&input, 1, static_cast<int>(left.count()));
    if (ready <= 0) continue;
    char chunk[65536];
    ssize_t got = ::read(from_server_, chunk, sizeof chunk);
    if (got <= 0) return false;  // the server closed its output
    buffer_.append(chunk, static_cast<std::size_t>(got));
  }
}

json LspClient::next(std::chrono::milliseconds timeout) {
  if (!queued_.empty()) {
    json message = std::move(queued_.front());
    queued_.pop_front();
    return message;
  }
  json message;
  if (!read_frame(std::chrono::steady_clock::now() + timeout, message)) {
    ADD_FAILURE() << "no message from the server within " << timeout.count() << " ms";
    return nullptr;
  }
  return message;
}

json LspClient::response(const json& id, std::chrono::milliseconds timeout) {
  for (auto it = queued_.begin(); it != queued_.end(); ++it)
    if (it->contains("id") && (*it)["id"] == id && !it->contains("method")) {
      json message = std::move(*it);
      queued_.erase(it);
      return message;
    }
  auto deadline = std::chrono::steady_clock::now() + timeout;
  json message;
  while (read_frame(deadline, message)) {
    if (message.contains("id") && message["id"] == id && !message.contains("method")) return message;
    queued_.push_back(std::move(message));
  }
  ADD_FAILURE() << "no response to request " << id << " within " << timeout.count() << " ms";
  return nullptr;
}

json LspClient::diagnostics(const std::string& uri, std::chrono::milliseconds timeout) {
  auto matches = [&](const json& message) {
    return message.value("method", "") == "textDocument/publishDiagnostics" &&
           message["params"]["uri"] == uri;
  };
  for (auto it = queued_.begin(); it != queued_.end(); ++it)
    if (matches(*it)) {
      json params = (*it)["params"];
      queued_.erase(it);
      return params;
    }
  auto deadline = std::chrono::steady_clock::now() + timeout;
  json message;
  while (read_frame(deadline, message)) {
    if (matches(message)) return message["params"];
    queued_.push_back(std::move(message));
  }
  ADD_FAILURE() << "no diagnostics for " << uri << " within " << timeout.count() << " ms";
  return nullptr;
}

bool LspClient::silent_for(std::chrono::milliseconds quiet) {
  if (!queued_.empty()) return false;
  json message;
  if (read_frame(std::chrono::steady_clock::now() + quiet, message)) {
    queued_.push_back(std::move(message));
    return false;
  }
  return true;
}

json LspClient::initialize(const std::string& root_uri, const std::vector<std::string>& encodings) {
  json capabilities = {{"textDocument", {{"codeAction", {{"disabledSupport", true}}}}}};
  if (!encodings.empty()) capabilities["general"] = {{"positionEncodings", encodings}};
  int id =
      request("initialize", {{"processId", nullptr}, {"rootUri", root_uri}, {"capabilities", capabilities}});
  json answer = response(id);
  notify("initialized", json::object());
  return answer;
}

void LspClient::close_input() {
  if (to_server_ >= 0) ::close(to_server_);
  to_server_ = -1;
}

int LspClient::wait_exit(std::chrono::milliseconds timeout) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < deadline) {
    int status = 0;
    pid_t done = ::waitpid(pid_, &status, WNOHANG);
    if (done == pid_) {
      pid_ = -1;
      return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    }
    ::usleep(10'000);
  }
  return -1;
}

}  // namespace keyhound::testing
