// LSP languageIds (the editors' own names) first; the extension covers "plaintext" and editors
// that send nothing useful.
#include "lsp/comments.hpp"

#include <algorithm>
#include <cctype>
#include <filesystem>

namespace keyhound::lsp {
namespace {

std::string lower(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

bool one_of(std::string_view value, std::initializer_list<std::string_view> names) {
  return std::find(names.begin(), names.end(), value) != names.end();
}

std::optional<CommentSyntax> by_language(std::string_view id) {
  if (one_of(id, {"python",     "shellscript", "sh",           "bash",       "zsh",  "ruby",       "yaml",
                  "perl",       "r",           "makefile",     "dockerfile", "toml", "properties", "dotenv",
                  "powershell", "elixir",      "coffeescript", "julia",      "nim",  "terraform",  "hcl",
                  "nix",        "tcl",         "cmake",        "gitignore",  "conf", "crystal"}))
    return CommentSyntax{"#", ""};
  if (one_of(id, {"javascript",
                  "javascriptreact",
                  "typescript",
                  "typescriptreact",
                  "go",
                  "java",
                  "c",
                  "cpp",
                  "csharp",
                  "rust",
                  "swift",
                  "kotlin",
                  "scala",
                  "php",
                  "dart",
                  "groovy",
                  "jsonc",
                  "objective-c",
                  "objective-cpp",
                  "fsharp",
                  "zig",
                  "proto",
                  "solidity",
                  "scss",
                  "less"}))
    return CommentSyntax{"//", ""};
  if (one_of(id, {"sql", "lua", "haskell", "elm", "ada"})) return CommentSyntax{"--", ""};
  if (one_of(id, {"html", "xml", "markdown", "vue", "svelte", "xsl"})) return CommentSyntax{"<!--", "-->"};
  if (one_of(id, {"css"})) return CommentSyntax{"/*", "*/"};
  if (one_of(id, {"ini"})) return CommentSyntax{";", ""};
  if (one_of(id, {"erlang", "latex", "tex"})) return CommentSyntax{"%", ""};
  return std::nullopt;
}

std::optional<CommentSyntax> by_name(std::string_view path) {
  std::filesystem::path p{std::string(path)};
  std::string name = lower(p.filename().string());
  std::string extension = lower(p.extension().string());
  if (name == ".env" || name.rfind(".env.", 0) == 0 || name == "dockerfile" || name == "makefile")
    return CommentSyntax{"#", ""};
  static const std::pair<std::string_view, std::string_view> kExtensions[] = {{".py", "python"},
                                                                              {".sh", "sh"},
                                                                              {".bash", "sh"},
                                                                              {".zsh", "sh"},
                                                                              {".rb", "ruby"},
                                                                              {".yml", "yaml"},
                                                                              {".yaml", "yaml"},
                                                                              {".pl", "perl"},
                                                                              {".toml", "toml"},
                                                                              {".properties", "properties"},
                                                                              {".env", "dotenv"},
                                                                              {".tf", "terraform"},
                                                                              {".hcl", "hcl"},
                                                                              {".ps1", "powershell"},
                                                                              {".ex", "elixir"},
                                                                              {".exs", "elixir"},
                                                                              {".r", "r"},
                                                                              {".cfg", "conf"},
                                                                              {".conf", "conf"},
                                                                              {".js", "javascript"},
                                                                              {".mjs", "javascript"},
                                                                              {".cjs", "javascript"},
                                                                              {".jsx", "javascript"},
                                                                              {".ts", "typescript"},
                                                                              {".tsx", "typescript"},
                                                                              {".mts", "typescript"},
                                                                              {".cts", "typescript"},
                                                                              {".go", "go"},
                                                                              {".java", "java"},
                                                                              {".c", "c"},
                                                                              {".h", "c"},
                                                                              {".cc", "cpp"},
                                                                              {".cpp", "cpp"},
                                                                              {".hpp", "cpp"},
                                                                              {".cs", "csharp"},
                                                                              {".rs", "rust"},
                                                                              {".swift", "swift"},
                                                                              {".kt", "kotlin"},
                                                                              {".kts", "kotlin"},
                                                                              {".scala", "scala"},
                                                                              {".php", "php"},
                                                                              {".dart", "dart"},
                                                                              {".groovy", "groovy"},
                                                                              {".gradle", "groovy"},
                                                                              {".sql", "sql"},
                                                                              {".lua", "lua"},
                                                                              {".hs", "haskell"},
                                                                              {".html", "html"},
                                                                              {".htm", "html"},
                                                                              {".xml", "xml"},
                                                                              {".md", "markdown"},
                                                                              {".css", "css"},
                                                                              {".scss", "scss"},
                                                                              {".ini", "ini"},
                                                                              {".tex", "tex"},
                                                                              {".erl", "erlang"}};
  for (const auto& [ext, language] : kExtensions)
    if (extension == ext) return by_language(language);
  return std::nullopt;
}

}  // namespace

std::optional<CommentSyntax> comment_syntax(std::string_view path, std::string_view language_id) {
  std::string id = lower(language_id);
  if (id == "json") return std::nullopt;  // no comments at all
  if (auto syntax = by_language(id)) return syntax;
  return by_name(path);
}

Insertion allow_marker(std::string_view text, std::size_t offset, std::string_view rule_id,
                       const CommentSyntax& syntax) {
  offset = std::min(offset, text.size());
  std::size_t end = offset;
  while (end < text.size() && text[end] != '\n' && text[end] != '\r') ++end;
  Insertion insertion;
  insertion.at = end;
  bool needs_space = end > 0 && text[end - 1] != ' ' && text[end - 1] != '\t' && text[end - 1] != '\n';
  insertion.text =
      std::string(needs_space ? " " : "") + syntax.open + " keyhound:allow " + std::string(rule_id);
  if (!syntax.close.empty()) insertion.text += " " + syntax.close;
  return insertion;
}

}  // namespace keyhound::lsp
