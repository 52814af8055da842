// The server on strings, with times given by the test: the debouncer, the comment syntaxes.
#include "lsp/server.hpp"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "lsp/comments.hpp"

namespace keyhound::lsp {
namespace {

using nlohmann::json;
using namespace std::chrono_literals;

ServerSettings test_settings() {
  ServerSettings settings;
  settings.debounce = 150ms;
  settings.workspace.user_fingerprint_key = std::string(64, 'a');
  settings.workspace.min_confidence = Confidence::low;
  settings.workspace.load_matcher = [](const std::vector<std::string>&) {
    Rule rule;
    rule.id = "test.token";
    rule.name = "Test token";
    rule.pattern = R"(\b(TK[A-Z2-7]{18})\b)";
    rule.confidence = Confidence::high;
    rule.file = "test.yml";
    rule.line = 1;
    return Matcher::build({rule}, MatcherOptions{});
  };
  return settings;
}

struct Harness {
  std::vector<json> sent;
  Server server{test_settings(), [this](const std::string& body) { sent.push_back(json::parse(body)); },
                [](const std::string&) {}};
  void message(const json& body, Clock::time_point now) { server.on_frame(Frame{body.dump(), ""}, now); }
  std::vector<json> published() {
    std::vector<json> out;
    for (const auto& message : sent)
      if (message.value("method", "") == "textDocument/publishDiagnostics") out.push_back(message["params"]);
    return out;
  }
};

TEST(LspServer, DebouncesChangesUntilQuietForTheDebounceTime) {
  Harness h;
  Clock::time_point t0{};
  h.message({{"jsonrpc", "2.0"},
             {"id", 1},
             {"method", "initialize"},
             {"params", {{"capabilities", json::object()}}}},
            t0);
  h.message({{"jsonrpc", "2.0"}, {"method", "initialized"}, {"params", json::object()}}, t0);
  const std::string uri = "untitled:Untitled-1";
  h.message(
      {{"jsonrpc", "2.0"},
       {"method", "textDocument/didOpen"},
       {"params",
        {{"textDocument", {{"uri", uri}, {"languageId", "plaintext"}, {"version", 1}, {"text", "x\n"}}}}}},
      t0);
  EXPECT_EQ(h.server.next_deadline(), t0);  // opening is not debounced
  h.server.on_timer(t0);
  ASSERT_EQ(h.published().size(), 1u);
  EXPECT_EQ(h.server.next_deadline(), std::nullopt);

  auto change = [&](int version, const std::string& text, Clock::time_point at) {
    h.message({{"jsonrpc", "2.0"},
               {"method", "textDocument/didChange"},
               {"params",
                {{"textDocument", {{"uri", uri}, {"version", version}}},
                 {"contentChanges", json::array({{{"text", text}}})}}}},
              at);
  };
  change(2, "TKQ7ZW3MXR5NTJ2KPLVD\n", t0 + 10ms);
  EXPECT_EQ(h.server.next_deadline(), t0 + 160ms);
  change(3, "TKR4NV6ZQX2MWJ7TKPCH\n", t0 + 100ms);
  EXPECT_EQ(h.server.next_deadline(), t0 + 250ms);
  h.server.on_timer(t0 + 200ms);
  EXPECT_EQ(h.published().size(), 1u) << "still typing: no scan yet";
  h.server.on_timer(t0 + 250ms);
  auto published = h.published();
  ASSERT_EQ(published.size(), 2u);
  EXPECT_EQ(published[1]["version"], 3);
  ASSERT_EQ(published[1]["diagnostics"].size(), 1u);
  EXPECT_EQ(published[1]["diagnostics"][0]["code"], "test.token");
  EXPECT_EQ(published[1]["diagnostics"][0]["range"],
            json::parse(R"({"start":{"line":0,"character":0},"end":{"line":0,"character":20}})"));
  EXPECT_EQ(h.server.next_deadline(), std::nullopt);
}

TEST(LspComments, SyntaxFromTheLanguageIdElseTheFileName) {
  EXPECT_EQ(comment_syntax("a.txt", "python")->open, "#");
  EXPECT_EQ(comment_syntax("/x/main.rs", "")->open, "//");
  EXPECT_EQ(comment_syntax("/x/.env.local", "plaintext")->open, "#");
  EXPECT_EQ(comment_syntax("/x/q.sql", "")->open, "--");
  auto html = comment_syntax("/x/index.html", "");
  EXPECT_EQ(html->open, "<!--");
  EXPECT_EQ(html->close, "-->");
  EXPECT_FALSE(comment_syntax("/x/keys.json", "json").has_value());
  EXPECT_FALSE(comment_syntax("/x/notes.unknownext", "").has_value());
}

TEST(LspComments, TheMarkerGoesAtTheEndOfTheLineBeforeItsBreak) {
  CommentSyntax hash{"#", ""};
  auto at = allow_marker("a = 1\nkey = 'v'\r\nz\n", 8, "x.y", hash);
  EXPECT_EQ(at.at, 15u);
  EXPECT_EQ(at.text, " # keyhound:allow x.y");
  auto after_space = allow_marker("key = v \n", 6, "x.y", CommentSyntax{"/*", "*/"});
  EXPECT_EQ(after_space.at, 8u);
  EXPECT_EQ(after_space.text, "/* keyhound:allow x.y */");
}

}  // namespace
}  // namespace keyhound::lsp
