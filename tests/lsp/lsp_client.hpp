// Drives the real `keyhound lsp` over pipes: framed JSON-RPC out, frames parsed back in.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <deque>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace keyhound::testing {

class LspClient {
 public:
  // Starts KEYHOUND_BIN lsp ARGS... in `cwd`; stderr goes to `stderr_file`.
  LspClient(const std::vector<std::string>& args, const std::string& cwd, const std::string& stderr_file);
  ~LspClient();
  LspClient(const LspClient&) = delete;
  LspClient& operator=(const LspClient&) = delete;

  void send_raw(const std::string& bytes);
  void send(const nlohmann::json& message);                              // framed
  int request(const std::string& method, const nlohmann::json& params);  // returns the id
  void notify(const std::string& method, const nlohmann::json& params);

  // The next message (from the queue of ones already read, else the pipe); fails the test and
  // returns null after `timeout`.
  nlohmann::json next(std::chrono::milliseconds timeout = std::chrono::seconds(20));
  // The response to request `id`; messages read on the way are queued.
  nlohmann::json response(const nlohmann::json& id,
                          std::chrono::milliseconds timeout = std::chrono::seconds(20));
  // The next publishDiagnostics for `uri` (its params).
  nlohmann::json diagnostics(const std::string& uri,
                             std::chrono::milliseconds timeout = std::chrono::seconds(20));
  // True when nothing arrives within `quiet`.
  bool silent_for(std::chrono::milliseconds quiet);

  // initialize (+ initialized) with a root and, optionally, the position encodings offered.
  nlohmann::json initialize(const std::string& root_uri, const std::vector<std::string>& encodings = {});

  void close_input();
  int wait_exit(std::chrono::milliseconds timeout = std::chrono::seconds(20));  // -1: did not exit

 private:
  bool read_frame(std::chrono::steady_clock::time_point deadline, nlohmann::json& out);

  pid_t pid_ = -1;
  int to_server_ = -1;
  int from_server_ = -1;
  int next_id_ = 1;
  std::string buffer_;
  std::deque<nlohmann::json> queued_;
};

}  // namespace keyhound::testing
