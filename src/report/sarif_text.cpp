#include "report/sarif_text.hpp"

#include <fmt/format.h>

#include <cctype>

namespace keyhound {
namespace {

bool is_alnum(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) != 0;
}

bool is_unreserved(char c) {
  return is_alnum(c) || c == '-' || c == '.' || c == '_' || c == '~';
}

std::string percent_encode(std::string_view text, std::string_view keep) {
  std::string out;
  for (char c : text) {
    if (is_unreserved(c) || keep.find(c) != std::string_view::npos)
      out.push_back(c);
    else
      out += fmt::format("%{:02X}", static_cast<unsigned char>(c));
  }
  return out;
}

constexpr const char* kRemediation[] = {
    "Revoke or rotate the secret with its provider first: once committed, treat it as leaked.",
    "Remove it from the code, and from the git history if the repository is shared (git filter-repo), "
    "then load the new value at run time.",
    "Store the new value in a secrets manager: `keyhound vault` moves confirmed secrets into AWS Secrets "
    "Manager and prints how the code can fetch them.",
    "If it is not a secret (a test fixture, a public value), record that in the baseline with "
    "`keyhound baseline set FINGERPRINT false_positive --note WHY` or add a `keyhound:allow` comment on the "
    "line.",
};

}  // namespace

std::string sarif_rule_name(std::string_view name, std::string_view id) {
  std::string out;
  bool word_start = true;
  for (char c : name.empty() ? id : name) {
    if (!is_alnum(c)) {
      word_start = true;
      continue;
    }
    if (word_start)
      out.push_back(static_cast<char>(std::toupper(static_cast<unsigned char>(c))));
    else
      out.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
    word_start = false;
  }
  if (out.empty() || std::isdigit(static_cast<unsigned char>(out[0]))) out.insert(0, "Secret");
  return out;
}

std::string sarif_sentence(std::string_view text) {
  std::string out(text);
  while (!out.empty() && std::isspace(static_cast<unsigned char>(out.back()))) out.pop_back();
  if (out.empty() || (out.back() != '.' && out.back() != '!' && out.back() != '?')) out.push_back('.');
  return out;
}

std::string sarif_help_text(const Rule& rule) {
  std::string out = fmt::format("{} ({}): a credential written into the source.", rule.name, rule.id);
  if (!rule.description.empty()) out += " " + sarif_sentence(rule.description);
  out += "\n\nTo fix it:";
  int step = 1;
  for (const char* line : kRemediation) out += fmt::format("\n{}. {}", step++, line);
  if (!rule.references.empty()) {
    out += "\n\nReferences:";
    for (const auto& reference : rule.references) out += "\n- " + reference;
  }
  return out;
}

std::string sarif_help_markdown(const Rule& rule) {
  std::string out = fmt::format("**{}** (`{}`): a credential written into the source.", rule.name, rule.id);
  if (!rule.description.empty()) out += " " + sarif_sentence(rule.description);
  out += "\n\n**To fix it:**\n";
  int step = 1;
  for (const char* line : kRemediation) out += fmt::format("\n{}. {}", step++, line);
  if (!rule.references.empty()) {
    out += "\n\n**References:**\n";
    for (const auto& reference : rule.references) out += fmt::format("\n- <{}>", reference);
  }
  return out;
}

std::string percent_encode_path(std::string_view path) {
  return percent_encode(path, "/");
}

std::string file_uri(std::string_view absolute_path, bool directory) {
  std::string out = "file://" + percent_encode(absolute_path, "/");
  if (directory && (out.empty() || out.back() != '/')) out.push_back('/');
  return out;
}

std::string sanitize_repository_uri(std::string_view remote) {
  if (remote.empty()) return {};
  if (remote.front() == '/') return file_uri(remote, false);
  auto scheme_end = remote.find("://");
  std::string scheme, rest;
  if (scheme_end == std::string_view::npos) {
    // scp-like syntax: [user@]host:path
    auto colon = remote.find(':');
    if (colon == std::string_view::npos || remote.substr(0, colon).find('/') != std::string_view::npos)
      return {};
    std::string_view host = remote.substr(0, colon);
    if (auto at = host.rfind('@'); at != std::string_view::npos) host = host.substr(at + 1);
    std::string_view path = remote.substr(colon + 1);
    if (host.empty() || path.empty()) return {};
    return fmt::format("ssh://{}/{}", percent_encode(host, ".-"),
                       percent_encode(path.front() == '/' ? path.substr(1) : path, "/"));
  }
  scheme.assign(remote.substr(0, scheme_end));
  if (scheme.empty() || !std::isalpha(static_cast<unsigned char>(scheme[0]))) return {};
  for (char c : scheme)
    if (!is_alnum(c) && c != '+' && c != '-' && c != '.') return {};
  std::string_view authority_and_path = remote.substr(scheme_end + 3);
  auto slash = authority_and_path.find('/');
  std::string_view authority = authority_and_path.substr(0, slash);
  std::string_view path =
      slash == std::string_view::npos ? std::string_view{} : authority_and_path.substr(slash);
  // Credentials in the remote (https://user:token@host) never leave the machine.
  if (auto at = authority.rfind('@'); at != std::string_view::npos) authority = authority.substr(at + 1);
  if (authority.empty() && scheme != "file") return {};
  return fmt::format("{}://{}{}", scheme, percent_encode(authority, ":[]"),
                     percent_encode(path, "/%:@!$&'()*+,;="));
}

}  // namespace keyhound
