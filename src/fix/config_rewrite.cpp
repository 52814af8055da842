// Configuration: the literal becomes a reference to an environment variable named after its key
// (a YAML or properties key path the way Spring binds it: spring.datasource.password ->
// SPRING_DATASOURCE_PASSWORD), with a comment naming the secret the deployment must provide.
// Kubernetes: an env value becomes a secretKeyRef, a Secret becomes an ExternalSecret, both
// filled from Secrets Manager by the External Secrets Operator.
#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <optional>
#include <regex>

#include "fix/rewrite_parts.hpp"

namespace keyhound::fix_parts {
namespace {

std::string env_name(std::string_view key) {
  std::string out;
  for (char c : key)
    out.push_back(std::isalnum(static_cast<unsigned char>(c))
                      ? static_cast<char>(std::toupper(static_cast<unsigned char>(c)))
                      : '_');
  if (out.empty() || std::isdigit(static_cast<unsigned char>(out[0]))) out = "SECRET_" + out;
  return out;
}

std::string where_it_lives(const SecretSite& site) {
  return "AWS Secrets Manager secret " + site.secret_name +
         (site.field.empty() ? "" : " (field " + site.field + ")");
}

// A YAML line's key: its column and text ("  - name: x" has the key "name" at column 4).
struct YamlKey {
  std::size_t column = 0;
  std::string_view key;
  bool list_item = false;
};

std::optional<YamlKey> yaml_key(std::string_view line) {
  std::size_t column = 0;
  while (column < line.size() && line[column] == ' ') ++column;
  YamlKey out;
  if (line.substr(column, 2) == "- ") {
    out.list_item = true;
    column += 2;
    while (column < line.size() && line[column] == ' ') ++column;
  }
  if (column >= line.size() || line[column] == '#') return std::nullopt;
  std::size_t colon = line.find(':', column);
  if (colon == std::string_view::npos) return std::nullopt;
  if (colon + 1 < line.size() && line[colon + 1] != ' ' && line[colon + 1] != '\r') return std::nullopt;
  out.column = column;
  out.key = line.substr(column, colon - column);
  if (out.key.size() >= 2 && (out.key.front() == '"' || out.key.front() == '\'') &&
      out.key.back() == out.key.front())
    out.key = out.key.substr(1, out.key.size() - 2);
  return out;
}

std::string_view line_at(std::string_view bytes, std::size_t offset) {
  std::size_t start = line_start(bytes, offset);
  return bytes.substr(start, line_end(bytes, offset) - start);
}

// The keys from the document's root down to the one holding `offset`.
std::vector<std::string_view> yaml_path(std::string_view bytes, std::size_t offset) {
  std::vector<std::string_view> path;
  std::size_t start = line_start(bytes, offset);
  auto own = yaml_key(line_at(bytes, offset));
  if (!own) return path;
  path.push_back(own->key);
  std::size_t column = own->column;
  while (start > 0 && column > 0) {
    start = line_start(bytes, start - 1);
    std::string_view line = line_at(bytes, start);
    if (line == "---") break;
    auto key = yaml_key(line);
    if (!key || key->column >= column) continue;
    path.insert(path.begin(), key->key);
    column = key->column;
  }
  return path;
}

// A comment line above the one holding `offset`, at its indentation.
Edit comment_above(std::string_view bytes, std::size_t offset, const std::string& text) {
  std::size_t start = line_start(bytes, offset);
  std::string_view indent = indentation_at(bytes, offset);
  return {start, start, std::string(indent) + "# " + text + "\n"};
}

// The document (between --- lines) holding `offset`.
std::pair<std::size_t, std::size_t> document_of(std::string_view bytes, std::size_t offset) {
  std::size_t start = 0;
  if (std::size_t at = bytes.rfind("\n---", offset); at != std::string_view::npos)
    start = line_end(bytes, at + 1) + 1;
  std::size_t end = bytes.find("\n---", offset);
  end = end == std::string_view::npos ? bytes.size() : end + 1;
  return {std::min(start, bytes.size()), end};
}

std::string document_value(std::string_view document, const std::string& pattern) {
  std::match_results<std::string_view::const_iterator> match;
  std::regex expression(pattern, std::regex::multiline);
  if (std::regex_search(document.begin(), document.end(), match, expression)) return match[1].str();
  return {};
}

// A Kubernetes object name from a Secrets Manager name (RFC 1123: lowercase, digits, - and .).
std::string kubernetes_name(std::string_view secret_name) {
  std::string out;
  for (char c : secret_name) {
    char lower = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    out.push_back(std::isalnum(static_cast<unsigned char>(lower)) || lower == '.' ? lower : '-');
  }
  while (!out.empty() && !std::isalnum(static_cast<unsigned char>(out.front()))) out.erase(out.begin());
  while (!out.empty() && !std::isalnum(static_cast<unsigned char>(out.back()))) out.pop_back();
  if (out.size() > 253) out.resize(253);
  return out;
}

struct ExternalSecret {
  std::string name;
  std::string namespace_name;
  std::vector<std::pair<std::string, const SecretSite*>> data;  // Kubernetes key -> where it lives
};

std::string external_secret_yaml(const ExternalSecret& secret) {
  std::string out =
      "# Filled from AWS Secrets Manager by the External Secrets Operator (added by keyhound fix;\n"
      "# point secretStoreRef at your store).\n"
      "apiVersion: external-secrets.io/v1beta1\n"
      "kind: ExternalSecret\n"
      "metadata:\n"
      "  name: " +
      secret.name + "\n";
  if (!secret.namespace_name.empty()) out += "  namespace: " + secret.namespace_name + "\n";
  out +=
      "spec:\n"
      "  refreshInterval: 1h\n"
      "  secretStoreRef:\n"
      "    kind: ClusterSecretStore\n"
      "    name: aws-secrets-manager\n"
      "  target:\n"
      "    name: " +
      secret.name +
      "\n"
      "  data:\n";
  for (const auto& [key, site] : secret.data) {
    out += "    - secretKey: " + key + "\n      remoteRef:\n        key: " + site->secret_name + "\n";
    if (!site->field.empty()) out += "        property: " + site->field + "\n";
  }
  return out;
}

Result<std::vector<Edit>> rewrite_kubernetes(std::string_view bytes, const std::vector<SecretSite>& sites) {
  std::vector<Edit> edits;
  std::map<std::string, ExternalSecret> appended;  // env values: one ExternalSecret per secret
  std::map<std::size_t, std::vector<const SecretSite*>> secrets_by_document;  // kind: Secret
  for (const auto& site : sites) {
    KH_TRY_ASSIGN(auto literal, literal_of(bytes, site, true, ""));
    auto [doc_start, doc_end] = document_of(bytes, site.start);
    std::string_view document = bytes.substr(doc_start, doc_end - doc_start);
    std::string kind = document_value(document, "^kind:[ \\t]*([A-Za-z]+)");
    auto key = yaml_key(line_at(bytes, site.start));
    if (kind == "Secret") {
      auto path = yaml_path(bytes, site.start);
      if (path.size() != 2 || path[0] != "stringData")
        return make_error(
            fmt::format("line {}: only a Secret's stringData values are rewritten; rewrite it by hand",
                        line_number(bytes, site.start)));
      secrets_by_document[doc_start].push_back(&site);
      continue;
    }
    if (!key || key->key != "value")
      return make_error(fmt::format("line {}: not a container env value; move it to a Secret, then fix again",
                                    line_number(bytes, site.start)));
    // The env entry's name: the "- name:" line of the same list item.
    std::string_view env;
    for (std::size_t at = line_start(bytes, site.start); at > doc_start;) {
      at = line_start(bytes, at - 1);
      auto above = yaml_key(line_at(bytes, at));
      if (!above || above->column != key->column) break;
      if (above->key == "name") {
        std::string_view line = line_at(bytes, at);
        env = line.substr(line.find(':') + 1);
        while (!env.empty() && env.front() == ' ') env.remove_prefix(1);
        break;
      }
      if (above->list_item) break;
    }
    if (env.empty())
      return make_error(fmt::format("line {}: a value outside a container's env list; rewrite it by hand",
                                    line_number(bytes, site.start)));
    std::string name = kubernetes_name(site.secret_name);
    std::string data_key = site.field.empty() ? "value" : site.field;
    std::string indent(key->column, ' ');
    std::size_t key_start = line_start(bytes, site.start) + key->column;
    edits.push_back({key_start, literal.end,
                     "valueFrom:\n" + indent + "  secretKeyRef:\n" + indent + "    name: " + name + "\n" +
                         indent + "    key: " + data_key});
    ExternalSecret& external = appended[name];
    external.name = name;
    external.namespace_name = document_value(document, "^  namespace:[ \\t]*([a-z0-9.-]+)");
    bool known = std::any_of(external.data.begin(), external.data.end(),
                             [&](const auto& entry) { return entry.first == data_key; });
    if (!known) external.data.emplace_back(data_key, &site);
  }
  for (const auto& [doc_start, secret_sites] : secrets_by_document) {
    auto [start, end] = document_of(bytes, doc_start);
    std::string_view document = bytes.substr(start, end - start);
    ExternalSecret external;
    external.name = document_value(document, "^  name:[ \\t]*([a-z0-9.-]+)");
    external.namespace_name = document_value(document, "^  namespace:[ \\t]*([a-z0-9.-]+)");
    // Every stringData key must be one of the sites: an ExternalSecret replaces the whole Secret.
    std::vector<std::string> left;
    for (std::size_t at = document.find("\nstringData:"); at != std::string_view::npos;) {
      for (std::size_t line = line_end(document, at + 1) + 1; line < document.size();
           line = line_end(document, line) + 1) {
        auto key = yaml_key(document.substr(line, line_end(document, line) - line));
        if (!key || key->column == 0) break;
        // (clang 14 cannot capture a structured binding: `start` goes in by value.)
        bool vaulted = std::any_of(secret_sites.begin(), secret_sites.end(),
                                   [&, document_start = start](const SecretSite* site) {
                                     return line_start(bytes, site->start) == document_start + line;
                                   });
        if (!vaulted) left.emplace_back(key->key);
        for (const SecretSite* site : secret_sites)
          if (line_start(bytes, site->start) == start + line)
            external.data.emplace_back(std::string(key->key), site);
      }
      break;
    }
    if (!left.empty()) {
      std::string keys;
      for (const auto& key : left) keys += (keys.empty() ? "" : ", ") + key;
      return make_error(
          fmt::format("line {}: Secret {} also holds {}, not vaulted: vault them too (or rewrite by "
                      "hand)",
                      line_number(bytes, start), external.name, keys));
    }
    if (external.name.empty())
      return make_error(fmt::format("line {}: a Secret without metadata.name", line_number(bytes, start)));
    edits.push_back({start, end, external_secret_yaml(external)});
  }
  for (const auto& [name, external] : appended) {
    std::string text = "---\n" + external_secret_yaml(external);
    if (!bytes.empty() && bytes.back() != '\n') text.insert(0, "\n");
    edits.push_back({bytes.size(), bytes.size(), std::move(text)});
  }
  return edits;
}

}  // namespace

Result<std::vector<Edit>> rewrite_configuration(std::string_view bytes, const std::vector<SecretSite>& sites,
                                                FileLanguage language) {
  if (language == FileLanguage::kubernetes) return rewrite_kubernetes(bytes, sites);
  std::vector<Edit> edits;
  for (const auto& site : sites) {
    KH_TRY_ASSIGN(auto literal, literal_of(bytes, site, true, ""));
    std::size_t start = line_start(bytes, site.start);
    std::string_view before = bytes.substr(start, literal.start - start);
    std::string variable;
    if (language == FileLanguage::yaml) {
      std::string joined;
      for (auto key : yaml_path(bytes, site.start)) joined += (joined.empty() ? "" : ".") + std::string(key);
      variable = env_name(joined);
    } else {
      // KEY=value, export KEY=value, key: value, key = value, - KEY=value
      std::size_t separator = before.find_last_of("=:");
      std::string_view key =
          separator == std::string_view::npos ? std::string_view() : before.substr(0, separator);
      while (!key.empty() && (key.back() == ' ' || key.back() == '\t')) key.remove_suffix(1);
      std::size_t key_start = key.find_last_of(" \t\"'");
      if (key_start != std::string_view::npos) key = key.substr(key_start + 1);
      variable = env_name(key);
    }
    std::string reference =
        language == FileLanguage::docker_compose ? "${" + variable + ":?}" : "${" + variable + "}";
    // Quoted stays quoted, and double quotes, so that dotenv and Compose still expand it.
    if (literal.quote) reference = "\"" + reference + "\"";
    edits.push_back(
        comment_above(bytes, site.start, variable + ": " + where_it_lives(site) + " (keyhound fix)"));
    edits.push_back({literal.start, literal.end, reference});
  }
  return edits;
}

}  // namespace keyhound::fix_parts
