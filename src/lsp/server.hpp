// The language server: JSON-RPC methods mapped to handlers over a document store, with
// debounced rescans. It never reads stdin or the clock itself (run_server and the tests feed
// it frames and times), so the protocol can be tested on strings.
#pragma once

#include <chrono>
#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>

#include "baseline/baseline.hpp"
#include "lsp/document.hpp"
#include "lsp/framing.hpp"
#include "lsp/workspace.hpp"

namespace keyhound::lsp {

using Clock = std::chrono::steady_clock;

struct ServerSettings {
  WorkspaceSettings workspace;
  std::chrono::milliseconds debounce{150};  // after the last change, before the rescan
  std::string version;                      // serverInfo.version
};

// Command names the code actions carry (workspace/executeCommand).
inline constexpr const char* kMarkFalsePositive = "keyhound.markFalsePositive";
inline constexpr const char* kRecordConfirmed = "keyhound.recordConfirmed";

class Server {
 public:
  using Sender = std::function<void(const std::string& body)>;  // one JSON message out
  using Logger = std::function<void(const std::string& line)>;  // stderr; never a secret

  Server(ServerSettings settings, Sender send, Logger log);

  void on_frame(const Frame& frame, Clock::time_point now);
  // When the next debounced scan is due; nullopt when none is waiting.
  std::optional<Clock::time_point> next_deadline() const;
  void on_timer(Clock::time_point now);

  bool exited() const { return exit_code_.has_value(); }
  int exit_code() const { return exit_code_.value_or(1); }

 private:
  struct OpenDocument {
    Document document;
    std::string path;  // absolute file path; empty for other URI schemes
    std::string language_id;
  };
  // What a code action's command does when the client runs it, prepared when the action was
  // offered (the buffer may no longer hold the secret by then).
  struct PendingCommand {
    std::string token;
    std::string command;
    std::string uri;
    BaselineEntry entry;                       // the baseline entry to record (no secret in it)
    std::string key;                           // the fingerprint key it was computed with
    std::shared_ptr<const std::string> bytes;  // the buffer before the edit (kRecordConfirmed)
  };

  void handle(const nlohmann::json& message, Clock::time_point now);
  void handle_request(const nlohmann::json& id, const std::string& method, const nlohmann::json& params,
                      Clock::time_point now);
  void handle_notification(const std::string& method, const nlohmann::json& params, Clock::time_point now);

  nlohmann::json initialize(const nlohmann::json& params);
  void did_open(const nlohmann::json& params, Clock::time_point now);
  void did_change(const nlohmann::json& params, Clock::time_point now);
  void did_close(const nlohmann::json& params);
  void did_change_configuration(const nlohmann::json& params, Clock::time_point now);
  nlohmann::json code_actions(const nlohmann::json& params);
  nlohmann::json execute_command(const nlohmann::json& params, Clock::time_point now);

  void rescan_all(Clock::time_point when);
  void publish(const std::string& uri);
  nlohmann::json diagnostic_range(const Document& document, std::size_t start, std::size_t end) const;
  Result<BufferScan> scan(const OpenDocument& open, const std::string* key = nullptr);
  std::string remember(PendingCommand command);
  Status run_pending(const PendingCommand& pending);

  void send(const nlohmann::json& message);
  void reply(const nlohmann::json& id, nlohmann::json result);
  void reply_error(const nlohmann::json& id, int code, const std::string& message);

  ServerSettings settings_;
  Sender send_;
  Logger log_;
  Workspace workspace_;
  PositionEncoding encoding_ = PositionEncoding::utf16;
  bool initialized_ = false;
  bool shutdown_ = false;
  bool disabled_support_ = false;  // the client shows CodeAction.disabled
  std::optional<int> exit_code_;
  std::map<std::string, OpenDocument> documents_;  // by URI
  std::map<std::string, Clock::time_point> due_;   // debounced rescans by URI
  std::deque<PendingCommand> pending_;             // the latest code actions' commands
};

// file:// URIs <-> paths (percent-decoded); "" for other schemes.
std::string path_of_uri(std::string_view uri);
std::string uri_of_path(std::string_view path);

// An LSP Position object ({"line", "character"}); throws on a missing or mistyped field.
Position position_from(const nlohmann::json& value);

// Reads frames from `in_fd` and writes to `out_fd` until `exit` or end of input; the exit code
// is the protocol's (0 after shutdown, else 1).
int run_server(int in_fd, int out_fd, ServerSettings settings);

}  // namespace keyhound::lsp
