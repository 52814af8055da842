// A line diff: common head and tail cut, LCS on the (small) middle, hunks with 3 lines of context.
#include "fix/diff.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cstdint>
#include <vector>

namespace keyhound {

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
  if (before == after) return {};
  auto a = split_lines(before), b = split_lines(after);
  // The common head and tail are cut first; what is left is small in practice (a few lines).
  std::size_t head = 0;
  while (head < a.size() && head < b.size() && a[head] == b[head]) ++head;
  std::size_t tail = 0;
  while (tail < a.size() - head && tail < b.size() - head && a[a.size() - 1 - tail] == b[b.size() - 1 - tail])
    ++tail;
  std::size_t n = a.size() - head - tail, m = b.size() - head - tail;
  // Longest common subsequence of the middle, for a minimal set of -/+ lines.
  std::vector<std::vector<std::uint32_t>> lcs(n + 1, std::vector<std::uint32_t>(m + 1, 0));
  for (std::size_t i = n; i-- > 0;)
    for (std::size_t j = m; j-- > 0;)
      lcs[i][j] = a[head + i] == b[head + j] ? lcs[i + 1][j + 1] + 1 : std::max(lcs[i + 1][j], lcs[i][j + 1]);
  struct Line {
    char tag;
    std::string_view text;
  };
  std::vector<Line> script;
  for (std::size_t k = 0; k < head; ++k) script.push_back({' ', a[k]});
  for (std::size_t i = 0, j = 0; i < n || j < m;) {
    if (i < n && j < m && a[head + i] == b[head + j])
      script.push_back({' ', a[head + i++]}), ++j;
    else if (i < n && (j == m || lcs[i + 1][j] >= lcs[i][j + 1]))
      script.push_back({'-', a[head + i++]});
    else
      script.push_back({'+', b[head + j++]});  // removals first, as diff -u prints them
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
      if (script[k].tag != ' ')
        end = k + 1;
      else if (k - end >= 2 * kContext)
        break;
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
