// Method dispatch, the document store and diagnostics. Bad input is answered (or logged) and
// dropped: nothing a client sends ends the server except `exit` and the end of its input.
#include "lsp/server.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>

namespace keyhound::lsp {
namespace {

using nlohmann::json;

// JSON-RPC and LSP error codes.
constexpr int kParseError = -32700;
constexpr int kInvalidRequest = -32600;
constexpr int kMethodNotFound = -32601;
constexpr int kInvalidParams = -32602;
constexpr int kInternalError = -32603;
constexpr int kServerNotInitialized = -32002;

// LSP DiagnosticSeverity.
int severity_of(Confidence confidence) {
  switch (confidence) {
    case Confidence::high:
      return 1;  // Error
    case Confidence::medium:
      return 2;  // Warning
    case Confidence::low:
      return 3;  // Information
  }
  return 2;
}

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  return -1;
}

}  // namespace

Position position_from(const json& value) {
  return Position{value.at("line").get<std::uint64_t>(), value.at("character").get<std::uint64_t>()};
}

std::string path_of_uri(std::string_view uri) {
  constexpr std::string_view kScheme = "file://";
  if (uri.size() < kScheme.size() ||
      !std::equal(kScheme.begin(), kScheme.end(), uri.begin(),
                  [](char a, char b) { return a == std::tolower(static_cast<unsigned char>(b)); }))
    return "";
  std::string_view rest = uri.substr(kScheme.size());
  std::size_t slash = rest.find('/');  // skip an authority ("localhost")
  if (slash == std::string_view::npos) return "";
  rest = rest.substr(slash);
  std::string path;
  for (std::size_t i = 0; i < rest.size(); ++i) {
    if (rest[i] == '%' && i + 2 < rest.size() && hex_value(rest[i + 1]) >= 0 && hex_value(rest[i + 2]) >= 0) {
      path += static_cast<char>(hex_value(rest[i + 1]) * 16 + hex_value(rest[i + 2]));
      i += 2;
    } else if (rest[i] == '?' || rest[i] == '#') {
      break;
    } else {
      path += rest[i];
    }
  }
  return path;
}

std::string uri_of_path(std::string_view path) {
  std::string uri = "file://";
  for (unsigned char c : path) {
    if (std::isalnum(c) || c == '/' || c == '-' || c == '.' || c == '_' || c == '~')
      uri += static_cast<char>(c);
    else
      uri += fmt::format("%{:02X}", c);
  }
  return uri;
}

Server::Server(ServerSettings settings, Sender send, Logger log)
    : settings_(std::move(settings)),
      send_(std::move(send)),
      log_(std::move(log)),
      workspace_(settings_.workspace) {}

void Server::send(const json& message) {
  // A file name or a masked value may hold invalid UTF-8: replaced, never a throw.
  send_(message.dump(-1, ' ', false, json::error_handler_t::replace));
}

void Server::reply(const json& id, json result) {
  send(json{{"jsonrpc", "2.0"}, {"id", id}, {"result", std::move(result)}});
}

void Server::reply_error(const json& id, int code, const std::string& message) {
  send(json{{"jsonrpc", "2.0"}, {"id", id}, {"error", {{"code", code}, {"message", message}}}});
}

void Server::on_frame(const Frame& frame, Clock::time_point now) {
  if (!frame.error.empty()) {
    log_("bad frame: " + frame.error);
    reply_error(nullptr, kParseError, "bad frame: " + frame.error);
    return;
  }
  json message = json::parse(frame.body, nullptr, false);
  if (message.is_discarded()) {
    log_("a message that is not JSON (or not UTF-8) was dropped");
    reply_error(nullptr, kParseError, "the message is not valid JSON in UTF-8");
    return;
  }
  try {
    handle(message, now);
  } catch (const std::exception& e) {
    // Handlers catch their own parameter errors; this is the last line, never a crash.
    log_(std::string("internal error: ") + e.what());
    if (message.is_object() && message.contains("id") && message.contains("method"))
      reply_error(message["id"], kInternalError, std::string("internal error: ") + e.what());
  }
}

void Server::handle(const json& message, Clock::time_point now) {
  if (!message.is_object() || !message.contains("method") || !message["method"].is_string()) {
    if (message.is_object() && message.contains("id") &&
        (message.contains("result") || message.contains("error")))
      return;  // a response to something we sent: nothing is waiting for it
    json id = message.is_object() && message.contains("id") ? message["id"] : json(nullptr);
    reply_error(id, kInvalidRequest, "not a JSON-RPC request or notification");
    return;
  }
  const std::string method = message["method"].get<std::string>();
  json params = message.contains("params") ? message["params"] : json::object();
  if (message.contains("id")) {
    const json& id = message["id"];
    if (!id.is_string() && !id.is_number_integer()) {
      reply_error(nullptr, kInvalidRequest, "the request id must be an integer or a string");
      return;
    }
    handle_request(id, method, params, now);
  } else {
    handle_notification(method, params, now);
  }
}

void Server::handle_request(const json& id, const std::string& method, const json& params,
                            Clock::time_point now) {
  if (shutdown_) return reply_error(id, kInvalidRequest, "the server is shutting down");
  if (method == "initialize") {
    if (initialized_) return reply_error(id, kInvalidRequest, "initialize was already called");
    try {
      json result = initialize(params);
      initialized_ = true;
      return reply(id, std::move(result));
    } catch (const json::exception& e) {
      return reply_error(id, kInvalidParams, std::string("initialize: ") + e.what());
    }
  }
  if (!initialized_) return reply_error(id, kServerNotInitialized, "initialize first");
  try {
    if (method == "shutdown") {
      shutdown_ = true;
      return reply(id, nullptr);
    }
    if (method == "textDocument/codeAction") return reply(id, code_actions(params));
    if (method == "workspace/executeCommand") return reply(id, execute_command(params, now));
  } catch (const json::exception& e) {
    return reply_error(id, kInvalidParams, method + ": " + e.what());
  } catch (const std::runtime_error& e) {  // a command that could not be carried out
    return reply_error(id, kInvalidRequest, method + ": " + e.what());
  }
  reply_error(id, kMethodNotFound, "method not found: " + method);
}

void Server::handle_notification(const std::string& method, const json& params, Clock::time_point now) {
  if (method == "exit") {
    exit_code_ = shutdown_ ? 0 : 1;
    return;
  }
  if (!initialized_ || shutdown_) return;  // notifications before initialize are dropped
  try {
    if (method == "initialized") {
      if (auto warmed = workspace_.warm_up(); !warmed)
        log_("cannot load the rules: " + warmed.error().message);
    } else if (method == "textDocument/didOpen") {
      did_open(params, now);
    } else if (method == "textDocument/didChange") {
      did_change(params, now);
    } else if (method == "textDocument/didSave") {
      // A saved config or baseline changes what every buffer shows.
      std::string path = path_of_uri(params.at("textDocument").at("uri").get<std::string>());
      std::string name = path.substr(path.rfind('/') + 1);
      if (name == ".keyhound.yml" || path == workspace_.baseline_path()) {
        workspace_.forget_added_rules();
        rescan_all(now);
      } else if (documents_.count(params["textDocument"]["uri"].get<std::string>())) {
        due_[params["textDocument"]["uri"].get<std::string>()] = now;
      }
    } else if (method == "textDocument/didClose") {
      did_close(params);
    } else if (method == "workspace/didChangeConfiguration") {
      did_change_configuration(params, now);
    } else if (method == "workspace/didChangeWatchedFiles") {
      workspace_.forget_added_rules();
      rescan_all(now);
    }
    // Other notifications ($/cancelRequest, $/setTrace, ...) need nothing from us.
  } catch (const json::exception& e) {
    log_(method + ": bad parameters: " + e.what());
  }
}

json Server::initialize(const json& params) {
  // UTF-16 unless the client offers UTF-8 (general.positionEncodings, LSP 3.17).
  const json* encodings = nullptr;
  if (params.contains("capabilities") && params["capabilities"].contains("general") &&
      params["capabilities"]["general"].contains("positionEncodings"))
    encodings = &params["capabilities"]["general"]["positionEncodings"];
  if (encodings && encodings->is_array())
    for (const auto& offered : *encodings)
      if (offered == "utf-8") encoding_ = PositionEncoding::utf8;
  if (params.contains("capabilities") && params["capabilities"].contains("textDocument") &&
      params["capabilities"]["textDocument"].contains("codeAction"))
    disabled_support_ = params["capabilities"]["textDocument"]["codeAction"].value("disabledSupport", false);
  std::string root;
  if (params.contains("workspaceFolders") && params["workspaceFolders"].is_array() &&
      !params["workspaceFolders"].empty())
    root = path_of_uri(params["workspaceFolders"][0].at("uri").get<std::string>());
  if (root.empty() && params.contains("rootUri") && params["rootUri"].is_string())
    root = path_of_uri(params["rootUri"].get<std::string>());
  if (root.empty() && params.contains("rootPath") && params["rootPath"].is_string())
    root = params["rootPath"].get<std::string>();
  if (!root.empty()) workspace_.set_root(root);
  if (params.contains("initializationOptions") && params["initializationOptions"].is_object())
    did_change_configuration(json{{"settings", {{"keyhound", params["initializationOptions"]}}}},
                             Clock::now());
  return json{
      {"capabilities",
       {{"positionEncoding", to_string(encoding_)},
        {"textDocumentSync", {{"openClose", true}, {"change", 2}, {"save", {{"includeText", false}}}}},
        {"codeActionProvider", {{"codeActionKinds", json::array({"quickfix"})}, {"resolveProvider", false}}},
        {"executeCommandProvider", {{"commands", json::array({kMarkFalsePositive, kRecordConfirmed})}}}}},
      {"serverInfo", {{"name", "keyhound"}, {"version", settings_.version}}}};
}

void Server::did_open(const json& params, Clock::time_point now) {
  const json& item = params.at("textDocument");
  std::string uri = item.at("uri").get<std::string>();
  OpenDocument open{Document(item.at("text").get<std::string>(), item.value("version", std::int64_t{0})),
                    path_of_uri(uri), item.value("languageId", std::string())};
  documents_.insert_or_assign(uri, std::move(open));
  due_[uri] = now;  // the first look is not debounced
}

void Server::did_change(const json& params, Clock::time_point now) {
  std::string uri = params.at("textDocument").at("uri").get<std::string>();
  auto found = documents_.find(uri);
  if (found == documents_.end()) {
    log_("didChange for a document that is not open: " + uri);
    return;
  }
  Document& document = found->second.document;
  for (const auto& change : params.at("contentChanges")) {
    std::string text = change.at("text").get<std::string>();
    if (change.contains("range")) {
      const json& range = change["range"];
      std::size_t start = document.offset_of(position_from(range.at("start")), encoding_);
      std::size_t end = document.offset_of(position_from(range.at("end")), encoding_);
      document.replace(start, std::max(start, end), text);
    } else {
      document.set_text(std::move(text));
    }
  }
  if (params["textDocument"].contains("version") && params["textDocument"]["version"].is_number_integer())
    document.set_version(params["textDocument"]["version"].get<std::int64_t>());
  due_[uri] = now + settings_.debounce;
}

void Server::did_close(const json& params) {
  std::string uri = params.at("textDocument").at("uri").get<std::string>();
  documents_.erase(uri);
  due_.erase(uri);
  send(json{{"jsonrpc", "2.0"},
            {"method", "textDocument/publishDiagnostics"},
            {"params", {{"uri", uri}, {"diagnostics", json::array()}}}});
}

void Server::did_change_configuration(const json& params, Clock::time_point now) {
  // settings.keyhound.minConfidence: "low" | "medium" | "high" (anything else: the config's).
  if (params.contains("settings") && params["settings"].is_object() &&
      params["settings"].contains("keyhound")) {
    const json& ours = params["settings"]["keyhound"];
    if (ours.is_object() && ours.contains("minConfidence") && ours["minConfidence"].is_string()) {
      std::string level = ours["minConfidence"].get<std::string>();
      std::optional<Confidence> chosen = confidence_from(level);
      workspace_.set_min_confidence(chosen ? chosen : settings_.workspace.min_confidence);
    }
  }
  workspace_.forget_added_rules();
  rescan_all(now);
}

void Server::rescan_all(Clock::time_point when) {
  for (const auto& [uri, open] : documents_) due_[uri] = when;
}

std::optional<Clock::time_point> Server::next_deadline() const {
  std::optional<Clock::time_point> first;
  for (const auto& [uri, when] : due_)
    if (!first || when < *first) first = when;
  return first;
}

void Server::on_timer(Clock::time_point now) {
  std::vector<std::string> ready;
  for (const auto& [uri, when] : due_)
    if (when <= now) ready.push_back(uri);
  for (const auto& uri : ready) {
    due_.erase(uri);
    publish(uri);
  }
}

Result<BufferScan> Server::scan(const OpenDocument& open, const std::string* key) {
  std::string name = open.path.empty() ? "<buffer>" : open.path;
  return workspace_.scan(open.path, name, open.document.text(), key);
}

json Server::diagnostic_range(const Document& document, std::size_t start, std::size_t end) const {
  Position from = document.position_of(start, encoding_);
  Position to = document.position_of(end, encoding_);
  return json{{"start", {{"line", from.line}, {"character", from.character}}},
              {"end", {{"line", to.line}, {"character", to.character}}}};
}

void Server::publish(const std::string& uri) {
  auto found = documents_.find(uri);
  if (found == documents_.end()) return;
  const OpenDocument& open = found->second;
  json diagnostics = json::array();
  auto scanned = scan(open);
  auto note = [&](int severity, const std::string& message) {
    diagnostics.push_back(json{{"range", diagnostic_range(open.document, 0, 0)},
                               {"severity", severity},
                               {"source", "keyhound"},
                               {"message", message}});
  };
  if (!scanned) {
    note(1, "keyhound: " + scanned.error().message);
  } else if (!scanned->not_scanned.empty()) {
    note(3, scanned->not_scanned);
  } else {
    for (const auto& found_secret : scanned->findings) {
      const Finding& finding = found_secret.finding;
      const Rule* rule = found_secret.rule;
      std::string name = rule && !rule->name.empty() ? rule->name : finding.rule_id;
      for (const auto& location : finding.locations) {
        std::string message =
            fmt::format("{}: {} (confidence {})", name, finding.masked, to_string(location.confidence));
        if (!location.decoded.empty()) message += ", " + location.decoded + "-encoded";
        if (found_secret.baseline_state == "vaulted-still-in-code")
          message += "; vaulted already: replace the literal (keyhound fix)";
        json diagnostic{
            {"range", diagnostic_range(open.document, location.start_offset, location.end_offset)},
            {"severity", found_secret.baseline_state.empty() ? severity_of(location.confidence) : 1},
            {"source", "keyhound"},
            {"code", finding.rule_id},
            {"message", message},
            {"data", {{"fingerprint", finding.fingerprint}}}};
        if (rule && !rule->references.empty() && rule->references.front().rfind("http", 0) == 0)
          diagnostic["codeDescription"] = {{"href", rule->references.front()}};
        diagnostics.push_back(std::move(diagnostic));
      }
    }
  }
  send(json{{"jsonrpc", "2.0"},
            {"method", "textDocument/publishDiagnostics"},
            {"params",
             {{"uri", uri}, {"version", open.document.version()}, {"diagnostics", std::move(diagnostics)}}}});
}

}  // namespace keyhound::lsp
