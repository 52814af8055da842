// plan_rewrite per language: which quotes belong to the literal, what replaces it, which import
// goes where. Configuration files get an environment-variable reference named after their key.
#include "fix/rewrite.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <filesystem>

namespace keyhound {
namespace {

std::size_t line_of(std::string_view bytes, std::size_t offset) {
  return 1 + static_cast<std::size_t>(std::count(bytes.begin(), bytes.begin() + std::min(offset, bytes.size()), '\n'));
}

std::string_view line_around(std::string_view bytes, std::size_t offset, std::size_t* line_start) {
  std::size_t begin = bytes.rfind('\n', offset == 0 ? 0 : offset - 1);
  begin = (begin == std::string_view::npos || offset == 0) ? 0 : begin + 1;
  std::size_t end = bytes.find('\n', offset);
  if (end == std::string_view::npos) end = bytes.size();
  *line_start = begin;
  return bytes.substr(begin, end - begin);
}

// The literal with its quotes when the secret is all of a quoted string; whether it was quoted.
struct Literal {
  std::size_t start = 0;
  std::size_t end = 0;
  bool quoted = false;
};

Result<Literal> literal_of(std::string_view bytes, const SecretSite& site, bool bare_allowed) {
  if (site.start >= site.end || site.end > bytes.size())
    return make_error(fmt::format("byte range {}-{} is outside the file", site.start, site.end));
  char before = site.start > 0 ? bytes[site.start - 1] : '\0';
  char after = site.end < bytes.size() ? bytes[site.end] : '\0';
  if ((before == '"' || before == '\'' || before == '`') && after == before)
    return Literal{site.start - 1, site.end + 1, true};
  auto is_value_edge = [](char c) { return c == '\0' || c == '\n' || c == '\r' || c == ' ' || c == '\t' || c == '#'; };
  bool ends_value = is_value_edge(after) || after == ';';
  bool starts_value = before == '=' || before == ':' || before == ' ' || before == '\t';
  if (bare_allowed && starts_value && ends_value) return Literal{site.start, site.end, false};
  return make_error(fmt::format("line {}: the secret is part of a longer string; rewrite it by hand",
                                line_of(bytes, site.start)));
}

// The configuration key on the secret's line ("db.password", "STRIPE_KEY", "stripe_key"), as an
// environment variable name: STRIPE_KEY.
std::string env_name_for(std::string_view bytes, std::size_t offset) {
  std::size_t line_start = 0;
  std::string_view line = line_around(bytes, offset, &line_start);
  std::string_view before = line.substr(0, offset - line_start);
  std::size_t separator = before.find_last_of("=:");
  std::string_view key = separator == std::string_view::npos ? std::string_view() : before.substr(0, separator);
  while (!key.empty() && std::isspace(static_cast<unsigned char>(key.back()))) key.remove_suffix(1);
  std::size_t key_start = key.find_last_of(" \t-\"'");
  if (key_start != std::string_view::npos) key = key.substr(key_start + 1);
  if (key.rfind("export", 0) == 0 && key.size() == 6) key = {};
  std::string out;
  for (char c : key) out.push_back(std::isalnum(static_cast<unsigned char>(c)) ? static_cast<char>(std::toupper(static_cast<unsigned char>(c))) : '_');
  if (out.empty() || std::isdigit(static_cast<unsigned char>(out[0]))) out = "SECRET_" + out;
  return out;
}

// Where an import goes: after the last import at the top of the file, else after a shebang and
// leading comments.
std::size_t import_position(std::string_view bytes, std::initializer_list<std::string_view> import_starts) {
  std::size_t position = 0, cursor = 0, after_header = 0;
  bool in_header = true;
  while (cursor < bytes.size()) {
    std::size_t end = bytes.find('\n', cursor);
    std::size_t next = end == std::string_view::npos ? bytes.size() : end + 1;
    std::string_view line = bytes.substr(cursor, next - cursor);
    bool is_import = std::any_of(import_starts.begin(), import_starts.end(),
                                 [&](std::string_view start) { return line.rfind(start, 0) == 0; });
    if (is_import) position = next;
    bool comment = line.rfind("#", 0) == 0 || line.rfind("//", 0) == 0;
    if (in_header && comment) after_header = next;
    else in_header = false;
    cursor = next;
  }
  return position ? position : after_header;
}

std::string in_quotes(std::string_view text, char quote = '"') {
  return std::string(1, quote) + std::string(text) + std::string(1, quote);
}

}  // namespace

FileLanguage language_of_path(std::string_view path) {
  std::filesystem::path p{std::string(path)};
  std::string name = p.filename().string();
  std::string extension = p.extension().string();
  for (char& c : extension) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (name == ".env" || name.rfind(".env.", 0) == 0 || extension == ".env") return FileLanguage::dotenv;
  if (extension == ".py") return FileLanguage::python;
  if (extension == ".mjs" || extension == ".js" || extension == ".jsx") return FileLanguage::javascript_module;
  if (extension == ".cjs") return FileLanguage::javascript_commonjs;
  if (extension == ".ts" || extension == ".tsx" || extension == ".mts") return FileLanguage::typescript;
  if (extension == ".sh" || extension == ".bash" || extension == ".zsh") return FileLanguage::shell;
  if (extension == ".yml" || extension == ".yaml") return FileLanguage::yaml;
  if (extension == ".properties") return FileLanguage::properties;
  if (extension == ".go") return FileLanguage::go;
  if (extension == ".java" || extension == ".kt") return FileLanguage::java;
  if (extension == ".rb") return FileLanguage::ruby;
  if (extension == ".cs") return FileLanguage::csharp;
  return FileLanguage::unknown;
}

const char* to_string(FileLanguage language) {
  switch (language) {
    case FileLanguage::python: return "python";
    case FileLanguage::javascript_module: return "javascript";
    case FileLanguage::javascript_commonjs: return "javascript (CommonJS)";
    case FileLanguage::typescript: return "typescript";
    case FileLanguage::shell: return "shell";
    case FileLanguage::dotenv: return "dotenv";
    case FileLanguage::yaml: return "yaml";
    case FileLanguage::properties: return "properties";
    case FileLanguage::go: return "go";
    case FileLanguage::java: return "java";
    case FileLanguage::ruby: return "ruby";
    case FileLanguage::csharp: return "c#";
    case FileLanguage::unknown: return "unknown";
  }
  return "unknown";
}

Result<std::vector<Edit>> plan_rewrite(std::string_view bytes, const std::vector<SecretSite>& sites,
                                       FileLanguage language) {
  std::vector<Edit> edits;
  std::string module_constants;  // JavaScript: one top-level constant per secret
  for (const auto& site : sites) {
    bool configuration = language == FileLanguage::dotenv || language == FileLanguage::yaml ||
                         language == FileLanguage::properties || language == FileLanguage::shell;
    auto literal = literal_of(bytes, site, configuration);
    if (!literal) return literal.error();
    std::string replacement;
    switch (language) {
      case FileLanguage::python:
        replacement = "boto3.client(\"secretsmanager\").get_secret_value(SecretId=" + in_quotes(site.secret_name) +
                      ")[\"SecretString\"]";
        break;
      case FileLanguage::javascript_module:
      case FileLanguage::typescript:
        // A module-level constant (top-level await), so the use site may be in any function.
        module_constants += "const " + site.identifier +
                            " = (await secretsManager.send(new GetSecretValueCommand({ SecretId: " +
                            in_quotes(site.secret_name) + " }))).SecretString;\n";
        replacement = site.identifier;
        break;
      case FileLanguage::shell:
        replacement = "\"$(aws secretsmanager get-secret-value --secret-id " + in_quotes(site.secret_name, '\'') +
                      " --query SecretString --output text)\"";
        break;
      case FileLanguage::dotenv:
        // The deployment provides the variable (from Secrets Manager); the file names it.
        replacement = "\"${" + env_name_for(bytes, site.start) + "}\"";
        break;
      case FileLanguage::yaml:
      case FileLanguage::properties:
        replacement = (literal->quoted ? "\"" : "") + std::string("${") + env_name_for(bytes, site.start) + "}" +
                      (literal->quoted ? "\"" : "");
        break;
      default:
        return make_error(fmt::format("line {}: {} files are not rewritten yet; use the snippet `keyhound vault` "
                                      "printed",
                                      line_of(bytes, site.start), to_string(language)));
    }
    edits.push_back({literal->start, literal->end, std::move(replacement)});
  }
  if (language == FileLanguage::python && bytes.find("import boto3\n") == std::string_view::npos)
    edits.push_back({import_position(bytes, {"import ", "from "}), import_position(bytes, {"import ", "from "}),
                     "import boto3\n"});
  if (!module_constants.empty()) {
    std::size_t at = import_position(bytes, {"import "});
    std::string header;
    if (bytes.find("GetSecretValueCommand") == std::string_view::npos)
      header = "import { SecretsManagerClient, GetSecretValueCommand } from \"@aws-sdk/client-secrets-manager\";\n";
    header += "const secretsManager = new SecretsManagerClient({});\n" + module_constants;
    edits.push_back({at, at, header});
  }
  for (auto& edit : edits)  // an import after a last line without its newline
    if (edit.start == edit.end && edit.start > 0 && bytes[edit.start - 1] != '\n') edit.replacement.insert(0, "\n");
  std::stable_sort(edits.begin(), edits.end(), [](const Edit& a, const Edit& b) { return a.start < b.start; });
  for (std::size_t i = 1; i < edits.size(); ++i)
    if (edits[i].start < edits[i - 1].end)
      return make_error(fmt::format("line {}: two secrets overlap", line_of(bytes, edits[i].start)));
  return edits;
}

std::string apply_edits(std::string_view bytes, const std::vector<Edit>& edits) {
  std::string out;
  std::size_t cursor = 0;
  for (const auto& edit : edits) {
    out.append(bytes.substr(cursor, edit.start - cursor));
    out += edit.replacement;
    cursor = edit.end;
  }
  out.append(bytes.substr(cursor));
  return out;
}

namespace {
std::vector<std::string_view> split_lines(std::string_view text) {
  std::vector<std::string_view> lines;
  std::size_t cursor = 0;
  while (cursor < text.size()) {
    std::size_t end = text.find('\n', cursor);
    std::size_t next = end == std::string_view::npos ? text.size() : end + 1;
    lines.push_back(text.substr(cursor, next - cursor));
    cursor = next;
  }
  return lines;
}
}  // namespace

std::string unified_diff(const std::string& path, std::string_view before, std::string_view after) {
  auto a = split_lines(before), b = split_lines(after);
  // The common head and tail are cut first; what is left is small in practice (a few lines).
  std::size_t head = 0;
  while (head < a.size() && head < b.size() && a[head] == b[head]) ++head;
  std::size_t tail = 0;
  while (tail < a.size() - head && tail < b.size() - head && a[a.size() - 1 - tail] == b[b.size() - 1 - tail]) ++tail;
  std::size_t n = a.size() - head - tail, m = b.size() - head - tail;
  // Longest common subsequence of the middle, for a minimal set of -/+ lines.
  std::vector<std::vector<std::uint32_t>> lcs(n + 1, std::vector<std::uint32_t>(m + 1, 0));
  for (std::size_t i = n; i-- > 0;)
    for (std::size_t j = m; j-- > 0;)
      lcs[i][j] = a[head + i] == b[head + j] ? lcs[i + 1][j + 1] + 1 : std::max(lcs[i + 1][j], lcs[i][j + 1]);
  struct Line { char tag; std::string_view text; };
  std::vector<Line> script;
  for (std::size_t k = 0; k < head; ++k) script.push_back({' ', a[k]});
  for (std::size_t i = 0, j = 0; i < n || j < m;) {
    if (i < n && j < m && a[head + i] == b[head + j]) script.push_back({' ', a[head + i++]}), ++j;
    else if (j < m && (i == n || lcs[i][j + 1] >= lcs[i + 1][j])) script.push_back({'+', b[head + j++]});
    else script.push_back({'-', a[head + i++]});
  }
  for (std::size_t k = a.size() - tail; k < a.size(); ++k) script.push_back({' ', a[k]});

  std::string out = "--- a/" + path + "\n+++ b/" + path + "\n";
  constexpr std::size_t kContext = 3;
  std::size_t i = 0;
  while (i < script.size()) {
    while (i < script.size() && script[i].tag == ' ') ++i;
    if (i == script.size()) break;
    std::size_t start = i >= kContext ? i - kContext : 0;
    std::size_t end = i;  // extend while changes are within 2*context of each other
    for (std::size_t k = i; k < script.size(); ++k) {
      if (script[k].tag != ' ') end = k + 1;
      else if (k - end >= 2 * kContext) break;
    }
    end = std::min(script.size(), end + kContext);
    std::size_t a_start = 0, b_start = 0;
    for (std::size_t k = 0; k < start; ++k) {
      if (script[k].tag != '+') ++a_start;
      if (script[k].tag != '-') ++b_start;
    }
    std::size_t a_count = 0, b_count = 0;
    std::string body;
    for (std::size_t k = start; k < end; ++k) {
      if (script[k].tag != '+') ++a_count;
      if (script[k].tag != '-') ++b_count;
      body += script[k].tag;
      body += script[k].text;
      if (script[k].text.empty() || script[k].text.back() != '\n') body += "\n\\ No newline at end of file\n";
    }
    out += fmt::format("@@ -{},{} +{},{} @@\n", a_count ? a_start + 1 : a_start, a_count,
                       b_count ? b_start + 1 : b_start, b_count);
    out += body;
    i = end;
  }
  return out;
}

}  // namespace keyhound
