// Code: the literal becomes the language's SDK call for the secret (a field of it for a pair), and
// the file gets the imports (Go: a helper function too) once, after the imports it already has.
#include <fmt/format.h>

#include <algorithm>
#include <functional>
#include <set>

#include "fix/rewrite_parts.hpp"

namespace keyhound::fix_parts {
namespace {

std::string_view trim(std::string_view text) {
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.front()))) text.remove_prefix(1);
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back()))) text.remove_suffix(1);
  return text;
}

std::string quoted(std::string_view text) {
  return "\"" + std::string(text) + "\"";
}

// How a line at the top of a file counts: part of the preamble (comments, package, shebang),
// an import (that may go on over more lines until one holding `closer`), or the first code.
enum class HeaderLine { blank, preamble, import, code };
struct Classified {
  HeaderLine kind = HeaderLine::code;
  char closer = '\0';  // an import left open until a line holding this
};

// Where new imports go: after the last line of the file's leading imports; else after its
// preamble. `existing` says whether there were imports.
struct ImportPoint {
  std::size_t offset = 0;
  bool existing = false;
  bool after_preamble_line = false;  // a comment or package line comes right before
};

ImportPoint import_point(std::string_view bytes,
                         const std::function<Classified(std::string_view)>& classify) {
  ImportPoint point;
  std::size_t after_preamble = 0, after_imports = 0;
  char open = '\0';
  bool in_block_comment = false;
  for (std::size_t at = 0; at < bytes.size();) {
    std::size_t end = line_end(bytes, at);
    std::size_t next = end < bytes.size() ? end + 1 : end;
    std::string_view line = bytes.substr(at, end - at);
    std::string_view text = trim(line);
    if (open) {
      if (text.find(open) != std::string_view::npos) open = '\0';
      after_imports = next;
    } else if (in_block_comment) {
      if (text.find("*/") != std::string_view::npos) in_block_comment = false;
      after_preamble = next;
    } else if (text.starts_with("/*")) {
      in_block_comment = text.find("*/", 2) == std::string_view::npos;
      after_preamble = next;
    } else {
      Classified kind = classify(line);
      if (kind.kind == HeaderLine::code) break;
      if (kind.kind == HeaderLine::preamble) after_preamble = next;
      if (kind.kind == HeaderLine::import) {
        after_imports = next;
        open = kind.closer;
      }
    }
    at = next;
  }
  point.existing = after_imports > 0;
  point.offset = point.existing ? after_imports : after_preamble;
  point.after_preamble_line = !point.existing && after_preamble > 0;
  return point;
}

// `lines` (each ending in '\n') inserted at the import point, minus those the file already has.
void add_imports(std::string_view bytes, const ImportPoint& point, std::vector<std::string> lines,
                 std::vector<Edit>& edits) {
  std::set<std::string_view> present;
  for (std::size_t at = 0; at < bytes.size();) {
    std::size_t end = line_end(bytes, at);
    present.insert(trim(bytes.substr(at, end - at)));
    at = end + 1;
  }
  std::string text;
  for (const auto& line : lines)
    if (!present.count(trim(line))) text += line;
  if (text.empty()) return;
  if (point.offset > 0 && bytes[point.offset - 1] != '\n') text.insert(0, "\n");
  if (!point.existing) {
    if (point.after_preamble_line) text.insert(0, "\n");
    bool next_is_blank = point.offset < bytes.size() && bytes[point.offset] == '\n';
    if (!next_is_blank && point.offset < bytes.size()) text += "\n";
  }
  edits.push_back({point.offset, point.offset, std::move(text)});
}

Classified python_line(std::string_view line) {
  std::string_view text = trim(line);
  if (text.empty()) return {HeaderLine::blank};
  if (text[0] == '#') return {HeaderLine::preamble};
  if (line.starts_with("import ") || line.starts_with("from ")) {
    bool open = text.find('(') != std::string_view::npos && text.find(')') == std::string_view::npos;
    return {HeaderLine::import, open ? ')' : '\0'};
  }
  if (text.starts_with("\"\"\"") || text.starts_with("'''")) {  // a docstring
    std::string_view quotes = text.substr(0, 3);
    bool closed = text.size() >= 6 && text.find(quotes, 3) != std::string_view::npos;
    return {HeaderLine::preamble, closed ? '\0' : quotes[0]};
  }
  return {HeaderLine::code};
}

Classified javascript_line(std::string_view line, bool commonjs) {
  std::string_view text = trim(line);
  if (text.empty()) return {HeaderLine::blank};
  if (text.starts_with("//") || text.starts_with("#!") || text.starts_with("\"use strict\"") ||
      text.starts_with("'use strict'"))
    return {HeaderLine::preamble};
  bool opens_brace = text.find('{') != std::string_view::npos && text.find('}') == std::string_view::npos;
  if (!commonjs && line.starts_with("import ")) return {HeaderLine::import, opens_brace ? '}' : '\0'};
  if (commonjs && line.starts_with("const ") && text.find("require(") != std::string_view::npos)
    return {HeaderLine::import};
  if (commonjs && line.starts_with("const {") && opens_brace) return {HeaderLine::import, '}'};
  return {HeaderLine::code};
}

Classified java_line(std::string_view line) {
  std::string_view text = trim(line);
  if (text.empty()) return {HeaderLine::blank};
  if (text.starts_with("//") || text.starts_with("*") || text.starts_with("package "))
    return {HeaderLine::preamble};
  if (line.starts_with("import ")) return {HeaderLine::import};
  return {HeaderLine::code};
}

Classified ruby_line(std::string_view line) {
  std::string_view text = trim(line);
  if (text.empty()) return {HeaderLine::blank};
  if (text[0] == '#') return {HeaderLine::preamble};
  if (line.starts_with("require ") || line.starts_with("require_relative ")) return {HeaderLine::import};
  return {HeaderLine::code};
}

Classified csharp_line(std::string_view line) {
  std::string_view text = trim(line);
  if (text.empty()) return {HeaderLine::blank};
  if (text.starts_with("//") || text[0] == '#') return {HeaderLine::preamble};
  if ((line.starts_with("using ") || line.starts_with("global using ")) && text.back() == ';' &&
      text.find('(') == std::string_view::npos)
    return {HeaderLine::import};
  return {HeaderLine::code};
}

// The blocks that enclose `offset` in JavaScript, innermost last: for each `{`, whether it opens
// the body of a function and whether that function is async. Strings, template literals and
// comments are skipped; that is enough to tell an async function from any other block.
struct Block {
  bool function = false;
  bool async = false;
};

bool ends_with_word(std::string_view text, std::string_view word) {
  text = trim(text);
  if (text.size() < word.size() || text.substr(text.size() - word.size()) != word) return false;
  if (text.size() == word.size()) return true;
  char c = text[text.size() - word.size() - 1];
  return !(std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '$');
}

Block block_at_brace(std::string_view bytes, std::size_t brace) {
  std::string_view head = trim(bytes.substr(0, brace));
  Block block;
  if (head.size() >= 2 && head.substr(head.size() - 2) == "=>") {
    std::string_view before = trim(head.substr(0, head.size() - 2));
    block.function = true;
    std::size_t start = before.find_last_of(";{}");
    std::string_view statement = before.substr(start == std::string_view::npos ? 0 : start + 1);
    if (!before.empty() && before.back() == ')') {
      int depth = 0;
      std::size_t i = before.size();
      while (i-- > 0) {
        if (before[i] == ')') ++depth;
        if (before[i] == '(' && --depth == 0) break;
      }
      std::string_view prefix = trim(before.substr(0, i == std::string_view::npos ? 0 : i));
      block.async = ends_with_word(prefix, "async");
    } else {  // x => {
      std::size_t word = statement.find_last_of(" \t\n(,=");
      std::string_view prefix = trim(statement.substr(0, word == std::string_view::npos ? 0 : word));
      block.async = ends_with_word(prefix, "async");
    }
    return block;
  }
  if (head.empty() || head.back() != ')') return block;  // an object, a class body, try/else/finally
  int depth = 0;
  std::size_t i = head.size();
  while (i-- > 0) {
    if (head[i] == ')') ++depth;
    if (head[i] == '(' && --depth == 0) break;
  }
  if (i == std::string_view::npos) return block;
  std::string_view prefix = trim(head.substr(0, i));
  for (std::string_view keyword : {"if", "for", "while", "switch", "catch", "with", "await"})
    if (ends_with_word(prefix, keyword)) return block;
  block.function = true;  // function name(...) {, method(...) {, function(...) {
  std::size_t start = prefix.find_last_of(";{}\n");
  std::string_view statement = prefix.substr(start == std::string_view::npos ? 0 : start + 1);
  for (std::size_t at = statement.find("async"); at != std::string_view::npos;
       at = statement.find("async", at + 1)) {
    bool left =
        at == 0 || !(std::isalnum(static_cast<unsigned char>(statement[at - 1])) || statement[at - 1] == '_');
    bool right = at + 5 >= statement.size() ||
                 !(std::isalnum(static_cast<unsigned char>(statement[at + 5])) || statement[at + 5] == '_');
    if (left && right) block.async = true;
  }
  return block;
}

// Whether `offset` is inside an async function (its innermost enclosing function is async).
bool in_async_function(std::string_view bytes, std::size_t offset) {
  std::vector<std::size_t> braces;
  for (std::size_t i = 0; i < offset; ++i) {
    char c = bytes[i];
    if (c == '/' && i + 1 < offset && bytes[i + 1] == '/') {
      i = line_end(bytes, i);
    } else if (c == '/' && i + 1 < offset && bytes[i + 1] == '*') {
      std::size_t close = bytes.find("*/", i + 2);
      i = close == std::string_view::npos ? offset : close + 1;
    } else if (c == '"' || c == '\'' || c == '`') {
      for (++i; i < offset && bytes[i] != c; ++i)
        if (bytes[i] == '\\') ++i;
    } else if (c == '{') {
      braces.push_back(i);
    } else if (c == '}' && !braces.empty()) {
      braces.pop_back();
    }
  }
  for (std::size_t k = braces.size(); k-- > 0;) {
    Block block = block_at_brace(bytes, braces[k]);
    if (block.function) return block.async;
  }
  return false;
}

// A constant that takes a call: Go's `const x = "..."` becomes `var`; C#'s `const` becomes
// `static readonly` on a field and goes away on a local.
Result<std::vector<Edit>> unconst(std::string_view bytes, std::size_t literal_start, FileLanguage language) {
  std::size_t start = line_start(bytes, literal_start);
  std::string_view before = bytes.substr(start, literal_start - start);
  std::size_t at = before.find("const ");
  if (at != std::string_view::npos && (at == 0 || before[at - 1] == ' ' || before[at - 1] == '\t')) {
    if (language == FileLanguage::go) return std::vector<Edit>{{start + at, start + at + 5, "var"}};
    bool field = before.find("public ") != std::string_view::npos ||
                 before.find("private ") != std::string_view::npos ||
                 before.find("internal ") != std::string_view::npos ||
                 before.find("protected ") != std::string_view::npos;
    if (field) return std::vector<Edit>{{start + at, start + at + 5, "static readonly"}};
    return std::vector<Edit>{{start + at, start + at + 6, ""}};
  }
  if (language == FileLanguage::go) {  // inside a `const (` block?
    std::size_t block = bytes.rfind("\nconst (", literal_start);
    if (block != std::string_view::npos && bytes.find("\n)", block) > literal_start)
      return make_error(
          fmt::format("line {}: the secret is in a Go const block: move it to a var, then fix again",
                      line_number(bytes, literal_start)));
  }
  return std::vector<Edit>{};
}

const char* kGoHelpers = R"(
// secretString reads a secret's current value from AWS Secrets Manager (added by keyhound fix).
func secretString(secretID string) string {
	ctx := context.Background()
	cfg, err := config.LoadDefaultConfig(ctx)
	if err != nil {
		panic("secrets manager: " + err.Error())
	}
	out, err := secretsmanager.NewFromConfig(cfg).GetSecretValue(ctx,
		&secretsmanager.GetSecretValueInput{SecretId: aws.String(secretID)})
	if err != nil {
		panic("secrets manager: " + secretID + ": " + err.Error())
	}
	return aws.ToString(out.SecretString)
}
)";

const char* kGoFieldHelper = R"(
// secretField reads one field of a secret stored as JSON (added by keyhound fix).
func secretField(secretID, field string) string {
	var fields map[string]string
	if err := json.Unmarshal([]byte(secretString(secretID)), &fields); err != nil {
		panic("secrets manager: " + secretID + ": " + err.Error())
	}
	return fields[field]
}
)";

// Go's imports: into the file's import block, or a new block after the package clause.
void add_go_imports(std::string_view bytes, const std::vector<std::string>& paths, std::vector<Edit>& edits) {
  std::vector<std::string> missing;
  for (const auto& path : paths)
    if (bytes.find(quoted(path)) == std::string_view::npos) missing.push_back(path);
  if (missing.empty()) return;
  std::size_t block = bytes.find("\nimport (");
  if (block != std::string_view::npos) {
    // Each path goes where gofmt's sort puts it within the block's first group.
    std::size_t at = line_end(bytes, block + 1) + 1;
    std::size_t i = 0;
    while (at < bytes.size()) {
      std::string_view text = trim(bytes.substr(at, line_end(bytes, at) - at));
      if (text.empty() || text == ")") break;
      std::string_view path = text.substr(text.find('"') == std::string_view::npos ? 0 : text.find('"'));
      std::string batch;
      while (i < missing.size() && quoted(missing[i]) < path) batch += "\t" + quoted(missing[i++]) + "\n";
      if (!batch.empty()) edits.push_back({at, at, batch});
      at = line_end(bytes, at) + 1;
    }
    std::string rest;
    while (i < missing.size()) rest += "\t" + quoted(missing[i++]) + "\n";
    if (!rest.empty()) edits.push_back({at, at, rest});
    return;
  }
  std::string text = "import (\n";
  for (const auto& path : missing) text += "\t" + quoted(path) + "\n";
  text += ")\n";
  std::size_t single = bytes.rfind("\nimport \"");
  std::size_t at;
  if (single != std::string_view::npos) {
    at = line_end(bytes, single + 1) + 1;
  } else {
    std::size_t package = bytes.find("package ");
    at = package == std::string_view::npos ? 0 : std::min(bytes.size(), line_end(bytes, package) + 1);
    text = "\n" + text;
  }
  if (at > bytes.size()) at = bytes.size();
  if (at > 0 && bytes[at - 1] != '\n') text.insert(0, "\n");
  edits.push_back({at, at, text});
}

}  // namespace

Result<std::vector<Edit>> rewrite_code(std::string_view bytes, const std::vector<SecretSite>& sites,
                                       FileLanguage language) {
  std::vector<Edit> edits;
  bool any_field = false;
  std::vector<std::string> module_constants;  // JavaScript (ESM): one per identifier
  std::set<std::string> declared;
  bool typescript = language == FileLanguage::typescript;
  for (const auto& site : sites) {
    std::string_view prefixes = language == FileLanguage::python   ? "rRuUbBfF"
                                : language == FileLanguage::csharp ? "@$"
                                                                   : "";
    KH_TRY_ASSIGN(auto literal, literal_of(bytes, site, language == FileLanguage::shell, prefixes));
    bool field = !site.field.empty();
    any_field = any_field || field;
    std::string name = quoted(site.secret_name);
    std::string replacement;
    switch (language) {
      case FileLanguage::python: {
        std::string call =
            "boto3.client(\"secretsmanager\").get_secret_value(SecretId=" + name + ")[\"SecretString\"]";
        replacement = field ? "json.loads(" + call + ")[" + quoted(site.field) + "]" : call;
        break;
      }
      case FileLanguage::javascript_module:
      case FileLanguage::typescript: {
        // A module-level constant (top-level await), so the use may sit in any function.
        if (declared.insert(site.identifier).second) {
          std::string value = "(await secretsManager.send(new GetSecretValueCommand({ SecretId: " + name +
                              " }))).SecretString" + (typescript ? "!" : "");
          if (field) value = "JSON.parse(" + value + ")." + site.field;
          module_constants.push_back("const " + site.identifier + " = " + value + ";\n");
        }
        replacement = site.identifier;
        break;
      }
      case FileLanguage::javascript_commonjs: {
        if (!in_async_function(bytes, site.start))
          return make_error(
              fmt::format("line {}: CommonJS has no top-level await and the secret is not inside an async "
                          "function: read it in "
                          "one (or make the file an ES module), then fix again",
                          line_number(bytes, site.start)));
        std::string value =
            "(await secretsManager.send(new GetSecretValueCommand({ SecretId: " + name + " }))).SecretString";
        replacement = field ? "JSON.parse(" + value + ")." + site.field : value;
        break;
      }
      case FileLanguage::go: {
        KH_TRY_ASSIGN(auto unconsted, unconst(bytes, literal.start, language));
        edits.insert(edits.end(), unconsted.begin(), unconsted.end());
        replacement =
            field ? "secretField(" + name + ", " + quoted(site.field) + ")" : "secretString(" + name + ")";
        break;
      }
      case FileLanguage::java: {
        if (field)
          return make_error(
              fmt::format("line {}: Java has no JSON parser of its own to read field {} of {}; read it "
                          "with your JSON library",
                          line_number(bytes, site.start), site.field, site.secret_name));
        replacement =
            "SecretsManagerClient.create().getSecretValue(GetSecretValueRequest.builder().secretId(" + name +
            ").build()).secretString()";
        break;
      }
      case FileLanguage::ruby: {
        std::string call =
            "Aws::SecretsManager::Client.new.get_secret_value(secret_id: " + name + ").secret_string";
        replacement = field ? "JSON.parse(" + call + ")[" + quoted(site.field) + "]" : call;
        break;
      }
      case FileLanguage::csharp: {
        KH_TRY_ASSIGN(auto unconsted, unconst(bytes, literal.start, language));
        edits.insert(edits.end(), unconsted.begin(), unconsted.end());
        std::string call =
            "new AmazonSecretsManagerClient().GetSecretValueAsync(new GetSecretValueRequest { SecretId = " +
            name + " }).GetAwaiter().GetResult().SecretString";
        replacement = field ? "JsonDocument.Parse(" + call + ").RootElement.GetProperty(" +
                                  quoted(site.field) + ").GetString()"
                            : call;
        break;
      }
      case FileLanguage::shell: {
        std::string call = "aws secretsmanager get-secret-value --secret-id '" + site.secret_name +
                           "' --query SecretString --output text";
        replacement = "\"$(" + call + (field ? " | jq -er ." + site.field : "") + ")\"";
        break;
      }
      default:
        return make_error("not a code language");
    }
    edits.push_back({literal.start, literal.end, std::move(replacement)});
  }

  switch (language) {
    case FileLanguage::python: {
      std::vector<std::string> lines;
      if (any_field) lines.push_back("import json\n");
      lines.push_back("import boto3\n");
      add_imports(bytes, import_point(bytes, python_line), lines, edits);
      break;
    }
    case FileLanguage::javascript_module:
    case FileLanguage::typescript: {
      std::vector<std::string> lines = {
          "import { SecretsManagerClient, GetSecretValueCommand } from "
          "\"@aws-sdk/client-secrets-manager\";\n",
          "const secretsManager = new SecretsManagerClient({});\n"};
      lines.insert(lines.end(), module_constants.begin(), module_constants.end());
      add_imports(bytes,
                  import_point(bytes, [](std::string_view line) { return javascript_line(line, false); }),
                  lines, edits);
      break;
    }
    case FileLanguage::javascript_commonjs:
      add_imports(bytes,
                  import_point(bytes, [](std::string_view line) { return javascript_line(line, true); }),
                  {"const { SecretsManagerClient, GetSecretValueCommand } = "
                   "require(\"@aws-sdk/client-secrets-manager\");\n",
                   "const secretsManager = new SecretsManagerClient({});\n"},
                  edits);
      break;
    case FileLanguage::go: {
      std::vector<std::string> paths = {"context", "github.com/aws/aws-sdk-go-v2/aws",
                                        "github.com/aws/aws-sdk-go-v2/config",
                                        "github.com/aws/aws-sdk-go-v2/service/secretsmanager"};
      if (any_field) paths.insert(paths.begin() + 1, "encoding/json");
      add_go_imports(bytes, paths, edits);
      std::string helpers;
      if (bytes.find("func secretString(") == std::string_view::npos) helpers += kGoHelpers;
      if (any_field && bytes.find("func secretField(") == std::string_view::npos) helpers += kGoFieldHelper;
      if (!helpers.empty()) {
        if (!bytes.empty() && bytes.back() != '\n') helpers.insert(0, "\n");
        edits.push_back({bytes.size(), bytes.size(), helpers});
      }
      break;
    }
    case FileLanguage::java:
      add_imports(bytes, import_point(bytes, java_line),
                  {"import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;\n",
                   "import software.amazon.awssdk.services.secretsmanager.model.GetSecretValueRequest;\n"},
                  edits);
      break;
    case FileLanguage::ruby: {
      std::vector<std::string> lines = {"require \"aws-sdk-secretsmanager\"\n"};
      if (any_field) lines.push_back("require \"json\"\n");
      add_imports(bytes, import_point(bytes, ruby_line), lines, edits);
      break;
    }
    case FileLanguage::csharp: {
      std::vector<std::string> lines = {"using Amazon.SecretsManager;\n",
                                        "using Amazon.SecretsManager.Model;\n"};
      if (any_field) lines.push_back("using System.Text.Json;\n");
      add_imports(bytes, import_point(bytes, csharp_line), lines, edits);
      break;
    }
    default:
      break;
  }
  return edits;
}

}  // namespace keyhound::fix_parts
