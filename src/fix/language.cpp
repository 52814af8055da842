// Names first; content decides only between forms that share an extension.
#include "fix/language.hpp"

#include <cctype>
#include <filesystem>
#include <string>

namespace keyhound {
namespace {

bool has_line_starting(std::string_view bytes, std::string_view start) {
  for (std::size_t at = 0; at < bytes.size();) {
    if (bytes.substr(at, start.size()) == start) return true;
    std::size_t next = bytes.find('\n', at);
    if (next == std::string_view::npos) break;
    at = next + 1;
  }
  return false;
}

// CommonJS when it requires or exports the CommonJS way and imports nothing the ESM way.
bool looks_commonjs(std::string_view bytes) {
  bool commonjs = bytes.find("require(") != std::string_view::npos ||
                  bytes.find("module.exports") != std::string_view::npos;
  return commonjs && !has_line_starting(bytes, "import ") && !has_line_starting(bytes, "export ");
}

}  // namespace

FileLanguage language_of(std::string_view path, std::string_view bytes) {
  std::filesystem::path p{std::string(path)};
  std::string name = p.filename().string();
  std::string extension = p.extension().string();
  for (char& c : extension) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (name == ".env" || name.rfind(".env.", 0) == 0 || extension == ".env") return FileLanguage::dotenv;
  if (extension == ".py") return FileLanguage::python;
  if (extension == ".mjs") return FileLanguage::javascript_module;
  if (extension == ".cjs") return FileLanguage::javascript_commonjs;
  if (extension == ".js" || extension == ".jsx")
    return looks_commonjs(bytes) ? FileLanguage::javascript_commonjs : FileLanguage::javascript_module;
  if (extension == ".cts") return FileLanguage::javascript_commonjs;
  if (extension == ".ts" || extension == ".tsx" || extension == ".mts")
    return looks_commonjs(bytes) ? FileLanguage::javascript_commonjs : FileLanguage::typescript;
  if (extension == ".go") return FileLanguage::go;
  if (extension == ".java") return FileLanguage::java;
  if (extension == ".rb") return FileLanguage::ruby;
  if (extension == ".cs") return FileLanguage::csharp;
  if (extension == ".sh" || extension == ".bash" || extension == ".zsh") return FileLanguage::shell;
  if (extension == ".properties") return FileLanguage::properties;
  if (extension == ".yml" || extension == ".yaml") {
    if (name.rfind("docker-compose", 0) == 0 || name.rfind("compose.", 0) == 0)
      return FileLanguage::docker_compose;
    if (has_line_starting(bytes, "apiVersion:") && has_line_starting(bytes, "kind:"))
      return FileLanguage::kubernetes;
    return FileLanguage::yaml;
  }
  return FileLanguage::unknown;
}

const char* to_string(FileLanguage language) {
  switch (language) {
    case FileLanguage::python:
      return "python";
    case FileLanguage::javascript_module:
      return "javascript";
    case FileLanguage::javascript_commonjs:
      return "javascript (CommonJS)";
    case FileLanguage::typescript:
      return "typescript";
    case FileLanguage::go:
      return "go";
    case FileLanguage::java:
      return "java";
    case FileLanguage::ruby:
      return "ruby";
    case FileLanguage::csharp:
      return "c#";
    case FileLanguage::shell:
      return "shell";
    case FileLanguage::dotenv:
      return "dotenv";
    case FileLanguage::yaml:
      return "yaml";
    case FileLanguage::properties:
      return "properties";
    case FileLanguage::docker_compose:
      return "docker compose";
    case FileLanguage::kubernetes:
      return "kubernetes";
    case FileLanguage::unknown:
      return "unknown";
  }
  return "unknown";
}

}  // namespace keyhound
