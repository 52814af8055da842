#include "finding/finding.hpp"

#include <algorithm>
#include <string>

#include "util/hash.hpp"

namespace keyhound {

std::string fingerprint_of(std::string_view rule_id, std::string_view secret) {
  std::string input(rule_id);
  input.push_back('\0');
  input.append(secret);
  return sha256_hex(input).substr(0, 16);
}

namespace {
// Counts code points, not bytes, so the column matches what an editor shows.
std::size_t utf8_length(std::string_view text) {
  return static_cast<std::size_t>(std::count_if(text.begin(), text.end(), [](char c) {
    return (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  }));
}
}  // namespace

std::string mask_secret(std::string_view secret) {
  // Multi-line secrets (private keys) are masked on their first line only.
  std::string_view first_line = secret.substr(0, secret.find_first_of("\r\n"));
  std::size_t shown = std::min<std::size_t>(4, first_line.size() / 8);
  if (secret.find('\n') != std::string_view::npos) {
    std::string_view head = first_line.substr(0, std::min<std::size_t>(first_line.size(), 40));
    if (head.find("-----BEGIN") == 0) return std::string(head) + "…";
  }
  if (shown == 0) return "…";
  return std::string(secret.substr(0, shown)) + "…" + std::string(first_line.substr(first_line.size() - shown));
}

LineColumn line_column_at(std::string_view bytes, std::size_t offset) {
  offset = std::min(offset, bytes.size());
  std::string_view before = bytes.substr(0, offset);
  LineColumn at;
  at.line = 1 + static_cast<std::uint64_t>(std::count(before.begin(), before.end(), '\n'));
  std::size_t line_start = before.rfind('\n');
  line_start = line_start == std::string_view::npos ? 0 : line_start + 1;
  at.column = 1 + utf8_length(before.substr(line_start));
  return at;
}

}  // namespace keyhound
