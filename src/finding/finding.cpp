#include "finding/finding.hpp"

#include <algorithm>
#include <string>

#include "util/hash.hpp"

namespace keyhound {

std::string fingerprint_of(std::string_view key, std::string_view rule_id, std::string_view secret) {
  std::string input("keyhound fingerprint");
  input.push_back('\0');
  input.append(rule_id);
  input.push_back('\0');
  input.append(secret);
  std::string out = hmac_sha256_hex(key, input).substr(0, 16);
  std::fill(input.begin(), input.end(), '\0');
  return out;
}

std::string secret_hmac_of(std::string_view key, std::string_view secret) {
  std::string input("keyhound secret");
  input.push_back('\0');
  input.append(secret);
  std::string out = hmac_sha256_hex(key, input);
  std::fill(input.begin(), input.end(), '\0');
  return out;
}

std::string legacy_fingerprint_of(std::string_view rule_id, std::string_view secret) {
  std::string input(rule_id);
  input.push_back('\0');
  input.append(secret);
  std::string out = sha256_hex(input).substr(0, 16);
  std::fill(input.begin(), input.end(), '\0');
  return out;
}

namespace {
// Counts code points, not bytes, so the column matches what an editor shows.
std::size_t utf8_length(std::string_view text) {
  return static_cast<std::size_t>(std::count_if(
      text.begin(), text.end(), [](char c) { return (static_cast<unsigned char>(c) & 0xC0) != 0x80; }));
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
  // `shown` code points from each end: cutting inside a UTF-8 sequence would print garbage.
  auto starts_code_point = [](char c) { return (static_cast<unsigned char>(c) & 0xC0) != 0x80; };
  std::size_t head = 0;
  for (std::size_t points = 0; head < first_line.size(); ++head)
    if (starts_code_point(first_line[head]) && points++ == shown) break;
  std::size_t tail = first_line.size();
  for (std::size_t points = 0; tail > head && points < shown;)
    if (starts_code_point(first_line[--tail])) ++points;
  return std::string(first_line.substr(0, head)) + "…" + std::string(first_line.substr(tail));
}

LineColumn line_column_at(std::string_view bytes, std::size_t offset) {
  return LineCounter(bytes).at(offset);
}

LineColumn advance(LineColumn from, std::string_view span) {
  std::size_t last_newline = span.rfind('\n');
  if (last_newline == std::string_view::npos) return {from.line, from.column + utf8_length(span)};
  auto newlines = static_cast<std::uint64_t>(std::count(span.begin(), span.end(), '\n'));
  return {from.line + newlines, 1 + utf8_length(span.substr(last_newline + 1))};
}

LineColumn LineCounter::at(std::size_t offset) {
  offset = std::min(offset, bytes_.size());
  if (offset < offset_) *this = LineCounter(bytes_);
  for (std::size_t i = offset_; i < offset; ++i) {
    if (bytes_[i] == '\n') {
      ++line_;
      line_start_ = i + 1;
    }
  }
  offset_ = offset;
  return {line_, 1 + utf8_length(bytes_.substr(line_start_, offset - line_start_))};
}

}  // namespace keyhound
