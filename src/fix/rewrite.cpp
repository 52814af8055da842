// plan_rewrite: checks the sites, hands them to the code or configuration rewriter, and checks
// the edits that come back; the small text helpers both rewriters share.
#include "fix/rewrite.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>

#include "fix/rewrite_parts.hpp"

namespace keyhound {
namespace fix_parts {

std::size_t line_number(std::string_view bytes, std::size_t offset) {
  offset = std::min(offset, bytes.size());
  return 1 + static_cast<std::size_t>(
                 std::count(bytes.begin(), bytes.begin() + static_cast<std::ptrdiff_t>(offset), '\n'));
}

std::size_t line_start(std::string_view bytes, std::size_t offset) {
  if (offset == 0) return 0;
  std::size_t newline = bytes.rfind('\n', offset - 1);
  return newline == std::string_view::npos ? 0 : newline + 1;
}

std::size_t line_end(std::string_view bytes, std::size_t offset) {
  std::size_t newline = bytes.find('\n', offset);
  return newline == std::string_view::npos ? bytes.size() : newline;
}

std::string_view indentation_at(std::string_view bytes, std::size_t offset) {
  std::size_t start = line_start(bytes, offset);
  std::size_t end = start;
  while (end < bytes.size() && (bytes[end] == ' ' || bytes[end] == '\t')) ++end;
  return bytes.substr(start, end - start);
}

Result<Literal> literal_of(std::string_view bytes, const SecretSite& site, bool bare_allowed,
                           std::string_view string_prefixes) {
  char before = site.start > 0 ? bytes[site.start - 1] : '\0';
  char after = site.end < bytes.size() ? bytes[site.end] : '\0';
  if ((before == '"' || before == '\'' || before == '`') && after == before) {
    bool tripled = site.start >= 2 && site.end + 1 < bytes.size() && bytes[site.start - 2] == before &&
                   bytes[site.end + 1] == before;
    if (tripled)
      return make_error(fmt::format("line {}: the secret is in a triple-quoted string; rewrite it by hand",
                                    line_number(bytes, site.start)));
    Literal literal{site.start - 1, site.end + 1, before};
    // A string prefix (r"...", @"...") belongs to the literal, unless it ends a longer word.
    while (literal.start > 0 && string_prefixes.find(bytes[literal.start - 1]) != std::string_view::npos &&
           literal.start + 2 >= site.start)
      --literal.start;
    if (literal.start < site.start - 1 && literal.start > 0) {
      char c = bytes[literal.start - 1];
      if (std::isalnum(static_cast<unsigned char>(c)) || c == '_') literal.start = site.start - 1;
    }
    return literal;
  }
  auto ends_value = [](char c) {
    return c == '\0' || c == '\n' || c == '\r' || c == ' ' || c == '\t' || c == '#' || c == ';';
  };
  bool starts_value = before == '=' || before == ':' || before == ' ' || before == '\t';
  if (bare_allowed && starts_value && ends_value(after)) return Literal{site.start, site.end, '\0'};
  return make_error(fmt::format("line {}: the secret is part of a longer string; rewrite it by hand",
                                line_number(bytes, site.start)));
}

}  // namespace fix_parts

namespace {

bool is_configuration(FileLanguage language) {
  switch (language) {
    case FileLanguage::dotenv:
    case FileLanguage::yaml:
    case FileLanguage::properties:
    case FileLanguage::docker_compose:
    case FileLanguage::kubernetes:
      return true;
    default:
      return false;
  }
}

}  // namespace

Result<std::vector<Edit>> plan_rewrite(std::string_view bytes, const std::vector<SecretSite>& sites,
                                       FileLanguage language) {
  if (language == FileLanguage::unknown)
    return make_error(
        "not a language or configuration form keyhound rewrites; use the snippet `keyhound vault` "
        "printed");
  std::vector<SecretSite> sorted = sites;
  std::sort(sorted.begin(), sorted.end(),
            [](const SecretSite& a, const SecretSite& b) { return a.start < b.start; });
  for (std::size_t i = 0; i < sorted.size(); ++i) {
    const SecretSite& site = sorted[i];
    if (site.start >= site.end || site.end > bytes.size())
      return make_error(fmt::format("byte range {}-{} is outside the file", site.start, site.end));
    if (i > 0 && site.start < sorted[i - 1].end)
      return make_error(
          fmt::format("line {}: two secrets overlap", fix_parts::line_number(bytes, site.start)));
  }
  KH_TRY_ASSIGN(auto edits, is_configuration(language)
                                ? fix_parts::rewrite_configuration(bytes, sorted, language)
                                : fix_parts::rewrite_code(bytes, sorted, language));
  std::stable_sort(edits.begin(), edits.end(),
                   [](const Edit& a, const Edit& b) { return a.start < b.start; });
  for (std::size_t i = 1; i < edits.size(); ++i)
    if (edits[i].start < edits[i - 1].end)
      return make_error(fmt::format("line {}: two rewrites overlap; rewrite it by hand",
                                    fix_parts::line_number(bytes, edits[i].start)));
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

}  // namespace keyhound
