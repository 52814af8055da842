#include "match/checks.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <string>

#include "match/entropy.hpp"

namespace keyhound {
namespace {

std::string lowercase(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

// Words that mark documentation and templates, not credentials.
constexpr std::array<std::string_view, 22> kPlaceholderWords = {
    "example",  "changeme", "change_me", "change-me", "placeholder", "redacted",
    "dummy",    "your_",    "your-",     "yourkey",   "yourtoken",   "yourpassword",
    "replace",  "insert",   "xxxxx",     "*****",     "fakekey",     "fake_",
    "notreal",  "not_real", "not-a-real", "sample_"};

// Fragments that mean the value is looked up elsewhere (environment, template, config).
constexpr std::array<std::string_view, 16> kReferenceMarkers = {
    "${",        "{{",        "}}",         "$(",     "%(",       "<%",
    "%>",        "#{",        "process.env", "environ", "getenv",   "env[",
    "secrets.",  "vault:",    "ssm:",       "os.getenv"};

bool is_placeholder(const std::string& lower) {
  for (auto word : kPlaceholderWords)
    if (lower.find(word) != std::string::npos) return true;
  // <token>, [token], %TOKEN%: a name to fill in.
  if (lower.size() >= 3) {
    char first = lower.front(), last = lower.back();
    if ((first == '<' && last == '>') || (first == '[' && last == ']') ||
        (first == '%' && last == '%'))
      return true;
  }
  return false;
}

bool is_reference(const std::string& lower) {
  for (auto marker : kReferenceMarkers)
    if (lower.find(marker) != std::string::npos) return true;
  // $NAME / $name: a shell or Makefile variable.
  if (lower.size() >= 2 && lower[0] == '$' &&
      (std::isalpha(static_cast<unsigned char>(lower[1])) || lower[1] == '_'))
    return true;
  return false;
}

// One character making up more than half of the value: "aaaaaaaa", "00000000x".
bool is_repetitive(std::string_view secret) {
  if (secret.size() < 8) return false;
  std::array<unsigned, 256> counts{};
  for (unsigned char c : secret) ++counts[c];
  unsigned most = *std::max_element(counts.begin(), counts.end());
  return most * 2 > secret.size();
}

// A run of six or more consecutive characters: "123456", "abcdef", "fedcba".
bool has_sequential_run(std::string_view secret) {
  int up = 1, down = 1;
  for (std::size_t i = 1; i < secret.size(); ++i) {
    int step = static_cast<unsigned char>(secret[i]) - static_cast<unsigned char>(secret[i - 1]);
    bool alnum = std::isalnum(static_cast<unsigned char>(secret[i])) &&
                 std::isalnum(static_cast<unsigned char>(secret[i - 1]));
    up = (alnum && step == 1) ? up + 1 : 1;
    down = (alnum && step == -1) ? down + 1 : 1;
    if (up >= 6 || down >= 6) return true;
  }
  return false;
}

}  // namespace

const char* reason_not_a_secret(std::string_view secret, const Rule& rule) {
  if (secret.empty()) return "empty";
  if (rule.min_entropy > 0 && shannon_entropy(secret) < rule.min_entropy) return "low entropy";
  std::string lower = lowercase(secret);
  if (is_reference(lower)) return "reference";
  if (is_placeholder(lower)) return "placeholder";
  if (is_repetitive(secret)) return "repetitive";
  if (has_sequential_run(secret)) return "sequential";
  return nullptr;
}

}  // namespace keyhound
