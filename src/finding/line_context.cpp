#include "finding/line_context.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <string>

#include "finding/confidence.hpp"

namespace keyhound {
namespace {

constexpr std::string_view kEllipsis = "\xe2\x80\xa6";  // … in UTF-8

bool is_space(char c) {
  return c == ' ' || c == '\t' || c == '\r';
}

std::string_view trim_left(std::string_view text) {
  while (!text.empty() && is_space(text.front())) text.remove_prefix(1);
  return text;
}

bool only_space_or_string_prefix(std::string_view text) {
  return std::all_of(text.begin(), text.end(), [](char c) {
    return is_space(c) || std::string_view("rRuUbBfF").find(c) != std::string_view::npos;
  });
}

// "#define", "#include", "#!": not comments.
bool is_directive(std::string_view after_hash) {
  static constexpr std::array<std::string_view, 14> kDirectives = {
      "define", "include", "if",    "ifdef", "ifndef",  "elif",   "else",
      "endif",  "pragma",  "undef", "error", "warning", "import", "region"};
  if (after_hash.starts_with("!")) return true;
  std::size_t word = 0;
  while (word < after_hash.size() && std::isalpha(static_cast<unsigned char>(after_hash[word]))) ++word;
  std::string_view name = after_hash.substr(0, word);
  return std::find(kDirectives.begin(), kDirectives.end(), name) != kDirectives.end();
}

// "//registry.npmjs.org/:_authToken=" (.npmrc) and "//cdn.host/x": a host, not a comment.
bool is_protocol_relative_url(std::string_view after_slashes) {
  std::size_t host = 0;
  while (host < after_slashes.size() && (std::isalnum(static_cast<unsigned char>(after_slashes[host])) ||
                                         after_slashes[host] == '.' || after_slashes[host] == '-'))
    ++host;
  return host > 0 && host < after_slashes.size() &&
         (after_slashes[host] == '/' || after_slashes[host] == ':') &&
         after_slashes.substr(0, host).find('.') != std::string_view::npos;
}

// True when `prefix` (the line up to the secret) opens a comment that reaches the secret.
bool in_line_comment(std::string_view prefix) {
  std::string_view text = trim_left(prefix);
  if (text.starts_with("#")) return !is_directive(text.substr(1));
  if (text.starts_with("//")) return !is_protocol_relative_url(text.substr(2));
  for (std::string_view opener : {"-- ", "--\t", ";", "<!--", "* ", "/*", "REM ", "rem "})
    if (text.starts_with(opener)) return true;
  if (text == "*") return true;
  // A comment after code: " # ...", " // ...", " /* ...", outside any quotes.
  int single = 0, dual = 0;
  for (std::size_t i = 0; i < prefix.size(); ++i) {
    char c = prefix[i];
    if (c == '\'') ++single;
    if (c == '"') ++dual;
    if (single % 2 || dual % 2 || i == 0 || !is_space(prefix[i - 1])) continue;
    std::string_view rest = prefix.substr(i);
    if (rest.starts_with("# ") || rest.starts_with("// ") ||
        (rest.starts_with("/*") && rest.find("*/") == std::string_view::npos))
      return true;
  }
  return false;
}

bool cut_short(std::string_view bytes, std::size_t start, std::size_t end) {
  std::string_view secret = bytes.substr(start, end - start);
  if (secret.find("...") != std::string_view::npos || secret.find(kEllipsis) != std::string_view::npos)
    return true;
  std::string_view after = bytes.substr(end, 3);
  std::string_view before = bytes.substr(start >= 3 ? start - 3 : 0, std::min<std::size_t>(start, 3));
  return after == "..." || after == kEllipsis || before == "..." || before == kEllipsis;
}

std::string letters_and_digits(std::string_view text) {
  std::string out;
  for (unsigned char c : text)
    if (std::isalnum(c)) out.push_back(static_cast<char>(std::tolower(c)));
  return out;
}

// password = "password1", DB_PASSWORD=db_password_2: the value is its own key's name.
bool repeats_key_name(std::string_view prefix, std::string_view secret) {
  std::size_t end = prefix.size();
  while (end > 0 && std::string_view(" \t\"'`=:>(@[{,").find(prefix[end - 1]) != std::string_view::npos)
    --end;
  std::size_t begin = end;
  while (begin > 0 && (std::isalnum(static_cast<unsigned char>(prefix[begin - 1])) ||
                       std::string_view("_.-").find(prefix[begin - 1]) != std::string_view::npos))
    --begin;
  std::string key = letters_and_digits(prefix.substr(begin, end - begin));
  std::string value = letters_and_digits(secret);
  while (!value.empty() && std::isdigit(static_cast<unsigned char>(value.back()))) value.pop_back();
  if (key.empty() || value.size() < 5) return false;
  if (key == value ||
      (key.size() > value.size() && key.compare(key.size() - value.size(), value.size(), value) == 0))
    return true;
  // RUBY2_KEYWORDS_KEY = "_aj_ruby2_keywords": the name without its credential word, as a value.
  for (std::string_view word : {"key", "token", "secret", "password", "passwd", "pwd"}) {
    if (key.size() < word.size() + 5 || key.compare(key.size() - word.size(), word.size(), word) != 0)
      continue;
    std::string stem = key.substr(0, key.size() - word.size());
    if (value.find(stem) != std::string::npos && stem.size() * 2 >= value.size()) return true;
  }
  return false;
}

}  // namespace

void LineContext::scan(State& state, std::size_t line_start, std::size_t from, std::size_t to) const {
  for (std::size_t i = from; i < to;) {
    std::string_view rest = bytes_.substr(i, to - i);
    if (state.triple_quote) {
      if (rest.size() >= 3 && rest[0] == state.triple_quote && rest[1] == rest[0] && rest[2] == rest[0]) {
        state.triple_quote = 0;
        state.docstring = false;
        i += 3;
      } else {
        ++i;
      }
      continue;
    }
    if (state.in_block_comment) {
      std::string_view close = state.block_close == '*' ? "*/" : "-->";
      if (rest[0] == close[0] && rest.starts_with(close)) {
        state.in_block_comment = false;
        i += close.size();
      } else {
        ++i;
      }
      continue;
    }
    // Only these bytes can open anything: the rest are skipped without a comparison (this loop
    // runs over every byte of a blob that matched, and of every buffer an editor rescans).
    char c = rest[0];
    if (c != '"' && c != '\'' && c != '<' && c != '/' && c != '#') {
      ++i;
      continue;
    }
    std::string_view before = bytes_.substr(line_start, i - line_start);
    if (rest.starts_with("\"\"\"") || rest.starts_with("'''")) {
      state.triple_quote = rest[0];
      state.docstring = only_space_or_string_prefix(before);
      i += 3;
    } else if (rest.starts_with("<!--")) {
      state.in_block_comment = true;
      state.block_close = '-';
      i += 4;
    } else if (rest.starts_with("/*") && trim_left(before).empty()) {
      state.in_block_comment = true;
      state.block_close = '*';
      i += 2;
    } else if ((rest[0] == '#' || rest.starts_with("//")) && trim_left(before).empty()) {
      return;  // a comment line: nothing in it opens anything
    } else {
      ++i;
    }
  }
}

LineContext::Carry LineContext::carry_at(std::size_t line_start) {
  advance_to(line_start);
  Carry carry;
  carry.state_ = state_;
  return carry;
}

void LineContext::advance_to(std::size_t line) {
  if (line < line_start_) {
    line_start_ = 0;
    state_ = origin_;
  }
  while (line_start_ < line) {
    std::size_t line_end = std::min(bytes_.find('\n', line_start_), line);
    std::string_view text = trim_left(bytes_.substr(line_start_, line_end - line_start_));
    if (!state_.triple_quote && !state_.in_block_comment &&
        (text.starts_with("```") || text.starts_with("~~~")))
      state_.in_fence = !state_.in_fence;
    else
      scan(state_, line_start_, line_start_, line_end);
    line_start_ = line_end + 1;
  }
}

Reasons LineContext::at(std::size_t start, std::size_t end) {
  std::size_t line = start == 0 ? std::string_view::npos : bytes_.rfind('\n', start - 1);
  line = line == std::string_view::npos ? 0 : line + 1;
  advance_to(line);
  State here = state_;
  scan(here, line, line, start);
  std::string_view prefix = bytes_.substr(line, start - line);
  Reasons reasons = 0;
  if (here.in_fence) reasons |= kInFence;
  if (here.triple_quote && here.docstring) reasons |= kDocstring;
  if (here.in_block_comment || in_line_comment(prefix)) reasons |= kComment;
  if (cut_short(bytes_, start, end)) reasons |= kTruncated;
  if (repeats_key_name(prefix, bytes_.substr(start, end - start))) reasons |= kKeyName;
  return reasons;
}

}  // namespace keyhound
