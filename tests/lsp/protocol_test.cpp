// `keyhound lsp` through its real binary, over pipes: framing, sync, diagnostics with exact
// UTF-16/UTF-8 ranges, code actions and their exact edits, the commands, and bad input.
#include <gtest/gtest.h>

#include <filesystem>
#include <nlohmann/json.hpp>

#include "baseline/baseline.hpp"
#include "finding/finding.hpp"
#include "lsp/lsp_client.hpp"
#include "support/support.hpp"

namespace keyhound {
namespace {

using nlohmann::json;
using testing::LspClient;
using testing::TempDir;

// Synthetic keys (random, right shape).
const std::string kKey = "AKIAQ7TRZ3W5NXKLM2PB";
const std::string kOtherKey = "AKIAV3MJ7HQ2WZXRT5KD";
const std::string kThirdKey = "AKIAR4NQ6XZ2TW7MJH3C";
const std::string kIamReference =
    "https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_access-keys.html";

// A line with text outside the BMP and outside ASCII before the key: UTF-16 and UTF-8
// positions differ there. `s = "日本🎉"; k = "` is 5+2+2+8 = 17 UTF-16 units, 5+6+4+8 = 23 bytes.
const std::string kLine = "s = \"日本🎉\"; k = \"" + kKey + "\"\n";
constexpr int kKeyUtf16 = 17;
constexpr int kKeyUtf8 = 23;

json range(int line, int start, int end_line, int end) {
  return json{{"start", {{"line", line}, {"character", start}}},
              {"end", {{"line", end_line}, {"character", end}}}};
}

std::string uri_of(const std::filesystem::path& path) {
  return "file://" + path.string();
}

struct Session {
  TempDir dir;
  std::unique_ptr<LspClient> client;
  explicit Session(const std::vector<std::string>& args = {}, bool git = false) {
    if (git) {
      auto made = testing::run_command("cd " + testing::shell_quote(dir.str()) + " && git init -q .");
      EXPECT_EQ(made.exit_code, 0) << made.err;
    }
    client = std::make_unique<LspClient>(args, dir.str(), (dir.path() / ".lsp-stderr").string());
  }
  std::string stderr_text() const { return testing::read_text(dir.path() / ".lsp-stderr"); }
  void open(const std::string& uri, const std::string& text, const std::string& language = "python",
            int version = 1) {
    client->notify(
        "textDocument/didOpen",
        {{"textDocument", {{"uri", uri}, {"languageId", language}, {"version", version}, {"text", text}}}});
  }
  void shutdown() {
    int id = client->request("shutdown", nullptr);
    EXPECT_EQ(client->response(id)["result"], nullptr);
    client->notify("exit", nullptr);
    EXPECT_EQ(client->wait_exit(), 0);
  }
};

TEST(LspProtocol, InitializeAnswersCapabilitiesAndNegotiatesUtf16) {
  Session session;
  json answer = session.client->initialize(uri_of(session.dir.path()));
  const json& capabilities = answer["result"]["capabilities"];
  EXPECT_EQ(capabilities["positionEncoding"], "utf-16");
  EXPECT_EQ(capabilities["textDocumentSync"]["change"], 2);
  EXPECT_EQ(capabilities["textDocumentSync"]["openClose"], true);
  EXPECT_EQ(capabilities["codeActionProvider"]["codeActionKinds"], json::array({"quickfix"}));
  EXPECT_EQ(capabilities["executeCommandProvider"]["commands"],
            json::array({"keyhound.markFalsePositive", "keyhound.recordConfirmed"}));
  EXPECT_EQ(answer["result"]["serverInfo"]["name"], "keyhound");
  session.shutdown();
}

TEST(LspProtocol, DiagnosticRangesAreUtf16CodeUnitsOnNonAsciiLines) {
  Session session;
  session.client->initialize(uri_of(session.dir.path()), {"utf-16"});
  std::string uri = uri_of(session.dir.path() / "app.py");
  session.open(uri, "# first line\n" + kLine);
  json published = session.client->diagnostics(uri);
  EXPECT_EQ(published["version"], 1);
  ASSERT_EQ(published["diagnostics"].size(), 1u) << published.dump();
  const json& diagnostic = published["diagnostics"][0];
  EXPECT_EQ(diagnostic["range"], range(1, kKeyUtf16, 1, kKeyUtf16 + 20));
  EXPECT_EQ(diagnostic["severity"], 1);  // high confidence: Error
  EXPECT_EQ(diagnostic["code"], "aws.access-key-id");
  EXPECT_EQ(diagnostic["codeDescription"]["href"], kIamReference);
  EXPECT_EQ(diagnostic["source"], "keyhound");
  EXPECT_EQ(diagnostic["message"], "AWS access key ID: " + mask_secret(kKey) + " (confidence high)");
  EXPECT_EQ(published.dump().find(kKey), std::string::npos) << "the secret itself must never be sent";
  session.shutdown();
}

TEST(LspProtocol, Utf8PositionsWhenTheClientOffersThem) {
  Session session;
  json answer = session.client->initialize(uri_of(session.dir.path()), {"utf-8", "utf-16"});
  EXPECT_EQ(answer["result"]["capabilities"]["positionEncoding"], "utf-8");
  std::string uri = uri_of(session.dir.path() / "app.py");
  session.open(uri, kLine);
  json published = session.client->diagnostics(uri);
  ASSERT_EQ(published["diagnostics"].size(), 1u) << published.dump();
  EXPECT_EQ(published["diagnostics"][0]["range"], range(0, kKeyUtf8, 0, kKeyUtf8 + 20));
  session.shutdown();
}

TEST(LspProtocol, IncrementalChangesMoveAndClearDiagnostics) {
  Session session({"--debounce", "50"});
  session.client->initialize(uri_of(session.dir.path()));
  std::string uri = uri_of(session.dir.path() / "app.py");
  session.open(uri, kLine);
  ASSERT_EQ(session.client->diagnostics(uri)["diagnostics"].size(), 1u);

  // Replace "🎉" (UTF-16 characters 7-9 of line 0) by "x": the key moves one unit left; and
  // insert a line above it.
  session.client->notify(
      "textDocument/didChange",
      {{"textDocument", {{"uri", uri}, {"version", 2}}},
       {"contentChanges", json::array({{{"range", range(0, 7, 0, 9)}, {"text", "x"}},
                                       {{"range", range(0, 0, 0, 0)}, {"text", "import os\n"}}})}});
  json moved = session.client->diagnostics(uri);
  EXPECT_EQ(moved["version"], 2);
  ASSERT_EQ(moved["diagnostics"].size(), 1u) << moved.dump();
  EXPECT_EQ(moved["diagnostics"][0]["range"], range(1, kKeyUtf16 - 1, 1, kKeyUtf16 - 1 + 20));

  // Delete the key's last character: no longer a key.
  session.client->notify(
      "textDocument/didChange",
      {{"textDocument", {{"uri", uri}, {"version", 3}}},
       {"contentChanges",
        json::array({{{"range", range(1, kKeyUtf16 + 18, 1, kKeyUtf16 + 19)}, {"text", ""}}})}});
  json cleared = session.client->diagnostics(uri);
  EXPECT_EQ(cleared["version"], 3);
  EXPECT_EQ(cleared["diagnostics"], json::array());

  // A full-text change brings another key.
  session.client->notify("textDocument/didChange",
                         {{"textDocument", {{"uri", uri}, {"version", 4}}},
                          {"contentChanges", json::array({{{"text", "key = '" + kOtherKey + "'\n"}}})}});
  json full = session.client->diagnostics(uri);
  ASSERT_EQ(full["diagnostics"].size(), 1u);
  EXPECT_EQ(full["diagnostics"][0]["range"], range(0, 7, 0, 27));
  session.shutdown();
}

TEST(LspProtocol, ChangesInQuickSuccessionAreScannedOnceAfterTheLast) {
  Session session({"--debounce", "300"});
  session.client->initialize(uri_of(session.dir.path()));
  std::string uri = uri_of(session.dir.path() / "app.py");
  session.open(uri, "x = 1\n");
  EXPECT_EQ(session.client->diagnostics(uri)["diagnostics"], json::array());
  std::string typed = "k = '" + kKey + "'\n";
  for (int version = 2; version <= 6; ++version)
    session.client->notify("textDocument/didChange",
                           {{"textDocument", {{"uri", uri}, {"version", version}}},
                            {"contentChanges", json::array({{{"text", typed.substr(0, 6 + version * 4)}}})}});
  json published = session.client->diagnostics(uri);
  EXPECT_EQ(published["version"], 6) << "one scan, of the last version";
  EXPECT_TRUE(session.client->silent_for(std::chrono::milliseconds(600)));
  session.shutdown();
}

TEST(LspProtocol, ConfigAllowCommentsAndBaselineAreRespected) {
  Session session;
  session.dir.write(".keyhound.yml", "allowlist:\n  regexes: ['^AKIAV3MJ']\n");
  session.client->initialize(uri_of(session.dir.path()));
  std::string uri = uri_of(session.dir.path() / "app.py");
  session.open(uri, "a = '" + kKey + "'  # keyhound:allow aws.access-key-id\nb = '" + kOtherKey + "'\nc = '" +
                        kThirdKey + "'\n");
  json published = session.client->diagnostics(uri);
  ASSERT_EQ(published["diagnostics"].size(), 1u) << published.dump() << session.stderr_text();
  EXPECT_EQ(published["diagnostics"][0]["range"], range(2, 5, 2, 25));
  session.shutdown();
}

TEST(LspProtocol, SavingTheConfigRescansOpenBuffersAndClosingClearsThem) {
  Session session;
  session.client->initialize(uri_of(session.dir.path()));
  std::string uri = uri_of(session.dir.path() / "app.py");
  session.open(uri, "a = '" + kKey + "'\n");
  ASSERT_EQ(session.client->diagnostics(uri)["diagnostics"].size(), 1u);
  // The settings changed: every open buffer is looked at again.
  session.client->notify("workspace/didChangeConfiguration",
                         {{"settings", {{"keyhound", {{"minConfidence", "high"}}}}}});
  EXPECT_EQ(session.client->diagnostics(uri)["diagnostics"].size(), 1u);
  // The config now allows that key; saving it rescans app.py, which was not touched.
  session.dir.write(".keyhound.yml", "allowlist:\n  regexes: ['^" + kKey.substr(0, 8) + "']\n");
  session.client->notify("textDocument/didSave",
                         {{"textDocument", {{"uri", uri_of(session.dir.path() / ".keyhound.yml")}}}});
  EXPECT_EQ(session.client->diagnostics(uri)["diagnostics"], json::array());
  session.client->notify("textDocument/didClose", {{"textDocument", {{"uri", uri}}}});
  json closed = session.client->diagnostics(uri);
  EXPECT_EQ(closed["diagnostics"], json::array());
  EXPECT_FALSE(closed.contains("version"));
  session.shutdown();
}

TEST(LspProtocol, ABadConfigIsOneErrorDiagnosticNamingIt) {
  Session session;
  session.dir.write(".keyhound.yml", "unknown_key: 1\n");
  session.client->initialize(uri_of(session.dir.path()));
  std::string uri = uri_of(session.dir.path() / "app.py");
  session.open(uri, "a = '" + kKey + "'\n");
  json published = session.client->diagnostics(uri);
  ASSERT_EQ(published["diagnostics"].size(), 1u) << published.dump();
  EXPECT_EQ(published["diagnostics"][0]["severity"], 1);
  EXPECT_EQ(published["diagnostics"][0]["range"], range(0, 0, 0, 0));
  std::string message = published["diagnostics"][0]["message"];
  EXPECT_NE(message.find(".keyhound.yml:1"), std::string::npos) << message;
  session.shutdown();
}

json code_actions(LspClient& client, const std::string& uri, const json& at) {
  int id = client.request(
      "textDocument/codeAction",
      {{"textDocument", {{"uri", uri}}}, {"range", at}, {"context", {{"diagnostics", json::array()}}}});
  return client.response(id)["result"];
}

const json* action_titled(const json& actions, const std::string& prefix) {
  for (const auto& action : actions)
    if (action["title"].get<std::string>().rfind(prefix, 0) == 0) return &action;
  return nullptr;
}

TEST(LspProtocol, AllowHereInsertsTheMarkerInTheFilesCommentSyntax) {
  Session session;
  session.client->initialize(uri_of(session.dir.path()));
  struct Case {
    std::string file, language, text;
    json edit_range;
    std::string inserted;
  };
  std::vector<Case> cases = {
      {"app.py", "python", kLine, range(0, 38, 0, 38), " # keyhound:allow aws.access-key-id"},
      {"main.go", "go", "k := \"" + kKey + "\" // the key\n", range(0, 38, 0, 38),
       " // keyhound:allow aws.access-key-id"},
      {"page.html", "html", "<p>" + kKey + "</p>\r\n", range(0, 27, 0, 27),
       " <!-- keyhound:allow aws.access-key-id -->"},
      {"seed.sql", "sql", "-- " + kKey, range(0, 23, 0, 23), " -- keyhound:allow aws.access-key-id"},
  };
  for (const auto& c : cases) {
    std::string uri = uri_of(session.dir.path() / c.file);
    session.open(uri, c.text, c.language);
    ASSERT_EQ(session.client->diagnostics(uri)["diagnostics"].size(), 1u) << c.file;
    json actions = code_actions(*session.client, uri, range(0, 0, 0, 1000));
    const json* allow = action_titled(actions, "Allow here");
    ASSERT_NE(allow, nullptr) << actions.dump();
    EXPECT_EQ((*allow)["title"], "Allow here: keyhound:allow aws.access-key-id");
    EXPECT_EQ((*allow)["edit"]["changes"][uri],
              json::array({{{"range", c.edit_range}, {"newText", c.inserted}}}))
        << c.file;
    // Applied, the finding is gone.
    session.client->notify(
        "textDocument/didChange",
        {{"textDocument", {{"uri", uri}, {"version", 2}}},
         {"contentChanges", json::array({{{"range", c.edit_range}, {"text", c.inserted}}})}});
    EXPECT_EQ(session.client->diagnostics(uri)["diagnostics"], json::array()) << c.file;
  }
  // JSON has no comments: no marker to offer.
  std::string uri = uri_of(session.dir.path() / "keys.json");
  session.open(uri, "{\"k\": \"" + kKey + "\"}\n", "json");
  ASSERT_EQ(session.client->diagnostics(uri)["diagnostics"].size(), 1u);
  EXPECT_EQ(action_titled(code_actions(*session.client, uri, range(0, 10, 0, 10)), "Allow here"), nullptr);
  session.shutdown();
}

TEST(LspProtocol, MarkAsFalsePositiveWritesTheBaselineEntry) {
  Session session;
  session.client->initialize(uri_of(session.dir.path()));
  std::string uri = uri_of(session.dir.path() / "src" / "app.py");
  std::filesystem::create_directories(session.dir.path() / "src");
  session.open(uri, kLine);
  ASSERT_EQ(session.client->diagnostics(uri)["diagnostics"].size(), 1u);
  json actions = code_actions(*session.client, uri, range(0, kKeyUtf16 + 3, 0, kKeyUtf16 + 3));
  const json* mark = action_titled(actions, "Mark as false positive");
  ASSERT_NE(mark, nullptr) << actions.dump();
  EXPECT_FALSE(mark->contains("edit"));
  EXPECT_EQ((*mark)["command"]["command"], "keyhound.markFalsePositive");
  int id = session.client->request(
      "workspace/executeCommand",
      {{"command", (*mark)["command"]["command"]}, {"arguments", (*mark)["command"]["arguments"]}});
  json done = session.client->response(id);
  EXPECT_EQ(done["result"], nullptr) << done.dump();
  // The buffer is scanned again against the new baseline: nothing left to show.
  EXPECT_EQ(session.client->diagnostics(uri)["diagnostics"], json::array());

  auto baseline = read_baseline((session.dir.path() / ".keyhound-baseline.json").string());
  ASSERT_TRUE(baseline) << baseline.error().message;
  ASSERT_EQ(baseline->entries.size(), 1u);
  const BaselineEntry& entry = baseline->entries.begin()->second;
  EXPECT_EQ(entry.status, TriageStatus::false_positive);
  EXPECT_EQ(entry.rule_id, "aws.access-key-id");
  EXPECT_EQ(entry.fingerprint, fingerprint_of(baseline->fingerprint_key, "aws.access-key-id", kKey));
  ASSERT_EQ(entry.locations.size(), 1u);
  EXPECT_EQ(entry.locations[0].path, "src/app.py");
  EXPECT_EQ(entry.locations[0].line, 1u);
  EXPECT_EQ(entry.locations[0].start_offset, static_cast<std::uint64_t>(kKeyUtf8));
  EXPECT_EQ(testing::read_text(session.dir.path() / ".keyhound-baseline.json").find(kKey), std::string::npos);

  // `keyhound scan --baseline` agrees: the saved file reports nothing.
  session.dir.write("src/app.py", kLine);
  auto scan =
      testing::run_keyhound({"scan", "--baseline", ".keyhound-baseline.json", "src"}, session.dir.str());
  EXPECT_EQ(scan.exit_code, 0) << scan.out << scan.err;

  // The same command twice: the action has been used up.
  id = session.client->request("workspace/executeCommand", {{"command", (*mark)["command"]["command"]},
                                                            {"arguments", (*mark)["command"]["arguments"]}});
  EXPECT_EQ(session.client->response(id)["error"]["code"], -32600);
  session.shutdown();
}

TEST(LspProtocol, MoveToSecretsManagerRewritesTheLiteralAndRecordsItConfirmed) {
  Session session({}, /*git=*/true);
  session.client->initialize(uri_of(session.dir.path()));
  std::string uri = uri_of(session.dir.path() / "app.py");
  std::string before = "import os\n\nKEY = \"" + kKey + "\"\n";
  session.open(uri, before);
  ASSERT_EQ(session.client->diagnostics(uri)["diagnostics"].size(), 1u);
  json actions = code_actions(*session.client, uri, range(2, 8, 2, 8));
  const json* move = action_titled(actions, "Move to Secrets Manager");
  ASSERT_NE(move, nullptr) << actions.dump();
  std::string repo = session.dir.path().filename().string();
  std::string title = (*move)["title"];
  std::string name = title.substr(std::string("Move to Secrets Manager as ").size());
  EXPECT_EQ(name.rfind("keyhound/" + repo + "/aws.access-key-id/", 0), 0u) << title;
  EXPECT_EQ(
      (*move)["edit"]["changes"][uri],
      json::parse(
          R"([{"range":{"start":{"line":1,"character":0},"end":{"line":1,"character":0}},"newText":"import boto3\n"},
                            {"range":{"start":{"line":2,"character":6},"end":{"line":2,"character":28}},
                             "newText":"boto3.client(\"secretsmanager\").get_secret_value(SecretId=\")" +
          name + R"(\")[\"SecretString\"]"}])"))
      << (*move)["edit"].dump();
  EXPECT_EQ((*move)["command"]["command"], "keyhound.recordConfirmed");

  // The client applies the edit, then runs the command.
  json edits = (*move)["edit"]["changes"][uri];
  session.client->notify(
      "textDocument/didChange",
      {{"textDocument", {{"uri", uri}, {"version", 2}}},
       {"contentChanges", json::array({{{"range", edits[1]["range"]}, {"text", edits[1]["newText"]}},
                                       {{"range", edits[0]["range"]}, {"text", edits[0]["newText"]}}})}});
  int id = session.client->request(
      "workspace/executeCommand",
      {{"command", (*move)["command"]["command"]}, {"arguments", (*move)["command"]["arguments"]}});
  EXPECT_EQ(session.client->response(id)["result"], nullptr) << session.stderr_text();
  json published = session.client->diagnostics(uri);
  EXPECT_EQ(published["diagnostics"], json::array());

  auto baseline = read_baseline((session.dir.path() / ".keyhound-baseline.json").string());
  ASSERT_TRUE(baseline) << baseline.error().message;
  ASSERT_EQ(baseline->entries.size(), 1u);
  const BaselineEntry& entry = baseline->entries.begin()->second;
  EXPECT_EQ(entry.status, TriageStatus::confirmed);
  EXPECT_EQ(name, "keyhound/" + repo + "/aws.access-key-id/" + entry.fingerprint);
  ASSERT_EQ(entry.locations.size(), 1u);
  EXPECT_EQ(entry.locations[0].blob_id, git_blob_id(before));
  // The vault re-reads the secret from that blob, which the repository now holds.
  auto blob = testing::run_command("cd " + testing::shell_quote(session.dir.str()) +
                                   " && git cat-file blob " + entry.locations[0].blob_id);
  EXPECT_EQ(blob.exit_code, 0) << blob.err;
  EXPECT_EQ(blob.out, before);
  auto plan = testing::run_keyhound({"vault", "--dry-run"}, session.dir.str());
  EXPECT_EQ(plan.exit_code, 0) << plan.out << plan.err;
  EXPECT_NE(plan.out.find(name), std::string::npos) << plan.out;
  session.shutdown();
}

TEST(LspProtocol, MoveIsDisabledWithAReasonWhereItCannotRewrite) {
  Session session({}, /*git=*/true);
  session.client->initialize(uri_of(session.dir.path()));
  std::string uri = uri_of(session.dir.path() / "notes.txt");
  session.open(uri, "key " + kKey + "\n", "plaintext");
  ASSERT_EQ(session.client->diagnostics(uri)["diagnostics"].size(), 1u);
  json actions = code_actions(*session.client, uri, range(0, 5, 0, 5));
  const json* move = action_titled(actions, "Move to Secrets Manager");
  ASSERT_NE(move, nullptr) << actions.dump();
  EXPECT_FALSE(move->contains("edit"));
  EXPECT_NE((*move)["disabled"]["reason"].get<std::string>().find("not a language"), std::string::npos);
  session.shutdown();
}

TEST(LspProtocol, BadInputNeverEndsTheServer) {
  Session session({"--max-file-size", "1K"});
  LspClient& client = *session.client;
  // Before initialize: requests are refused.
  int early = client.request("textDocument/codeAction", json::object());
  EXPECT_EQ(client.response(early)["error"]["code"], -32002);
  client.initialize(uri_of(session.dir.path()));

  client.send_raw("Content-Length: 9\r\n\r\n{not json");
  json parse_error = client.next();
  EXPECT_EQ(parse_error["id"], nullptr);
  EXPECT_EQ(parse_error["error"]["code"], -32700);

  std::string invalid_utf8 = "{\"jsonrpc\":\"2.0\",\"id\":77,\"method\":\"x\xff\xfe\"}";
  client.send_raw("Content-Length: " + std::to_string(invalid_utf8.size()) + "\r\n\r\n" + invalid_utf8);
  EXPECT_EQ(client.next()["error"]["code"], -32700);

  client.send_raw("X-Nonsense: yes\r\n\r\n");  // a header without Content-Length
  EXPECT_EQ(client.next()["error"]["code"], -32700);

  client.send(json::array({1, 2}));  // a batch: not LSP
  EXPECT_EQ(client.next()["error"]["code"], -32600);

  int unknown = client.request("textDocument/unheardOf", json::object());
  json not_found = client.response(unknown);
  EXPECT_EQ(not_found["error"]["code"], -32601);
  client.notify("custom/notification", json::object());  // unknown notifications: ignored

  int bad_params = client.request("textDocument/codeAction", {{"textDocument", 5}});
  EXPECT_EQ(client.response(bad_params)["error"]["code"], -32602);

  // Positions past the end of a line and of the document.
  std::string uri = uri_of(session.dir.path() / "app.py");
  session.open(uri, "a = 1\n");
  EXPECT_EQ(client.diagnostics(uri)["diagnostics"], json::array());
  client.notify("textDocument/didChange",
                {{"textDocument", {{"uri", uri}, {"version", 2}}},
                 {"contentChanges",
                  json::array({{{"range", range(0, 400, 90, 3)}, {"text", " # k = '" + kKey + "'"}}})}});
  json appended = client.diagnostics(uri);
  ASSERT_EQ(appended["diagnostics"].size(), 1u) << appended.dump();
  EXPECT_EQ(appended["diagnostics"][0]["range"], range(0, 13, 0, 33));
  EXPECT_EQ(code_actions(client, uri, range(500, 0, 900, 9)), json::array());

  // A buffer over --max-file-size: one informational diagnostic.
  std::string big_uri = uri_of(session.dir.path() / "big.py");
  session.open(big_uri, std::string(2000, 'a') + "\nk = '" + kKey + "'\n");
  json big = client.diagnostics(big_uri);
  ASSERT_EQ(big["diagnostics"].size(), 1u);
  EXPECT_EQ(big["diagnostics"][0]["severity"], 3);
  EXPECT_EQ(big["diagnostics"][0]["message"],
            "keyhound: not scanned: 2028 bytes is over --max-file-size (1K)");

  // A message declared larger than the server takes is refused (what follows is its body: the
  // stream cannot be resynchronised, so this comes last).
  client.send_raw("Content-Length: 999999999999\r\n\r\n");
  EXPECT_EQ(client.next()["error"]["code"], -32700);
  session.client->close_input();
  EXPECT_EQ(client.wait_exit(), 1) << "end of input without shutdown";
}

TEST(LspProtocol, ShutdownThenExitEndsWithZeroAndRequestsAfterShutdownAreRefused) {
  Session session;
  session.client->initialize(uri_of(session.dir.path()));
  int id = session.client->request("shutdown", nullptr);
  EXPECT_EQ(session.client->response(id)["result"], nullptr);
  int late = session.client->request("textDocument/codeAction", json::object());
  EXPECT_EQ(session.client->response(late)["error"]["code"], -32600);
  session.client->notify("exit", nullptr);
  EXPECT_EQ(session.client->wait_exit(), 0);
}

TEST(LspProtocol, ExitWithoutShutdownEndsWithOne) {
  Session session;
  session.client->initialize(uri_of(session.dir.path()));
  session.client->notify("exit", nullptr);
  EXPECT_EQ(session.client->wait_exit(), 1);
}

}  // namespace
}  // namespace keyhound
