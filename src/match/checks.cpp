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
constexpr std::string_view kPlaceholderWords[] = {
    "example", "changeme", "change_me",  "change-me", "placeholder",  "redacted", "dummy",
    "your_",   "your-",    "yourkey",    "yourtoken", "yourpassword", "replace",  "insert",
    "xxxxx",   "*****",    "fakekey",    "fake_",     "notreal",      "not_real", "not-a-real",
    "sample_", "yourapi",  "yoursecret", "keyhere",   "tokenhere"};

// Fragments that mean the value is looked up elsewhere (environment, template, config).
constexpr std::array<std::string_view, 16> kReferenceMarkers = {
    "${",          "{{",      "}}",     "$(",   "%(",       "<%",     "%>",   "#{",
    "process.env", "environ", "getenv", "env[", "secrets.", "vault:", "ssm:", "os.getenv"};

bool is_placeholder(const std::string& lower) {
  for (auto word : kPlaceholderWords)
    if (lower.find(word) != std::string::npos) return true;
  // <token>, [token], %TOKEN%: a name to fill in.
  if (lower.size() >= 3) {
    char first = lower.front(), last = lower.back();
    if ((first == '<' && last == '>') || (first == '[' && last == ']') || (first == '%' && last == '%'))
      return true;
  }
  return false;
}

bool is_reference(const std::string& lower) {
  for (auto marker : kReferenceMarkers)
    if (lower.find(marker) != std::string::npos) return true;
  // $NAME / $name / $env:NAME: a shell, PowerShell or Makefile variable. Not "$y$j9T$...", a
  // crypt(3) hash, whose name is followed by another '$'.
  if (lower.size() >= 2 && lower[0] == '$' &&
      (std::isalpha(static_cast<unsigned char>(lower[1])) || lower[1] == '_')) {
    auto name_end = std::find_if(lower.begin() + 1, lower.end(),
                                 [](unsigned char c) { return !std::isalnum(c) && c != '_'; });
    return name_end == lower.end() || *name_end != '$';
  }
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

// Name endings that look like credentials and are not (lowercase, separators removed).
constexpr std::string_view kNonSecretNameEndings[] = {
    "gpgkey", "gpgkeyid", "signingkeyid", "publictoken", "anonkey", "publicapikey", "destkey", "sourcekey",
    "srckey", "cachekey", "primarykey", "foreignkey", "sortkey", "publickey", "pubkey", "publishablekey",
    "idempotencykey", "partitionkey", "hashkey", "rangekey", "rowkey", "uniquekey", "lookupkey", "indexkey",
    "mapkey", "dictkey", "objectkey", "bucketkey", "storagekey", "messagekey", "translationkey", "i18nkey",
    "labelkey", "routingkey", "groupkey", "querykey", "sitekey", "recaptchakey", "hotkey", "shortcutkey",
    "accesskeyid", "keyid", "monkey", "donkey", "turkey", "hockey", "whiskey", "jockey", "nexttoken",
    "pagetoken", "pagingtoken", "paginationtoken", "continuationtoken", "cursortoken", "synctoken",
    "clienttoken", "csrftoken", "xsrftoken", "csrfmiddlewaretoken", "antiforgerytoken", "authenticitytoken",
    "formtoken", "requestverificationtoken", "maxtoken", "maxtokens", "numtokens", "tokencount", "secretname",
    "secretref", "secretkeyref", "passwordfile", "passwordpolicy", "passwordhash",
    // Names of concurrency, paging and idempotency tokens and of key *names* in APIs.
    "changetoken", "locktoken", "requesttoken", "actiontoken", "statustoken", "producttoken", "purchasetoken",
    "sequencetoken", "forwardtoken", "backwardtoken", "inputtoken", "outputtoken", "resultkey", "limitkey",
    "s3key", "consumerkey", "devicekey"};

std::string normalized_name(std::string_view name) {
  std::string out;
  for (char c : name)
    if (std::isalnum(static_cast<unsigned char>(c)))
      out += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

bool ends_with(std::string_view text, std::string_view suffix) {
  return text.size() >= suffix.size() && text.substr(text.size() - suffix.size()) == suffix;
}

// A generic rule's value without a digit is taken only when long and varied: twelve or more
// characters mixing lower case, upper case and a symbol other than the separators of names
// ("Pa$$wordSecure!"); words and identifiers ("ProcessingSecrets", "my-password",
// "DefaultClusterParameters.Marker", "_RSAPrivateKey") are not. Measured on /usr/lib/python3*:
// counting . _ - / as symbols let 300 dotted and snake_case names through.
bool varied_enough_without_digit(std::string_view secret) {
  bool lower = false, upper = false, symbol = false;
  for (unsigned char c : secret) {
    lower |= std::islower(c) != 0;
    upper |= std::isupper(c) != 0;
    symbol |= !std::isalnum(c) && c != '.' && c != '_' && c != '-' && c != '/';
  }
  return secret.size() >= 12 && lower && upper && symbol;
}

// Keys their vendors publish for browsers and apps to embed: Stripe publishable keys, Mapbox
// public tokens, PostHog project keys. A generic rule sees them under names like NEXT_PUBLIC_*_KEY.
bool is_public_client_key(std::string_view secret) {
  constexpr std::array<std::string_view, 4> kPublicPrefixes = {"pk_live_", "pk_test_", "pk.ey", "phc_"};
  return std::any_of(kPublicPrefixes.begin(), kPublicPrefixes.end(),
                     [&](std::string_view prefix) { return secret.substr(0, prefix.size()) == prefix; });
}

// A dotted name ("fs.s3.cse.enabled", "spring.datasource.url") or a file path ending in an
// extension ("my-app/22a0-stage.war"): what a *_KEY constant names, not a credential.
bool looks_like_a_name_or_path(std::string_view secret) {
  std::size_t dot = secret.rfind('.');
  if (dot != std::string_view::npos && secret.find('/') != std::string_view::npos) {
    std::string_view extension = secret.substr(dot + 1);
    if (!extension.empty() && extension.size() <= 5 &&
        std::all_of(extension.begin(), extension.end(), [](unsigned char c) { return std::isalpha(c); }))
      return true;
  }
  if (dot == std::string_view::npos) return false;
  // Segments of a name are words: short, starting with a letter (a JWT's are long).
  constexpr std::size_t kLongestWord = 40;
  bool segment_start = true;
  std::size_t segment_length = 0;
  for (unsigned char c : secret) {
    if (c == '.') {
      if (segment_start) return false;
      segment_start = true;
      segment_length = 0;
      continue;
    }
    if (++segment_length > kLongestWord) return false;
    if (segment_start) {
      if (!std::isalpha(c)) return false;
      segment_start = false;
    } else if (!std::isalnum(c) && c != '_' && c != '-') {
      return false;
    }
  }
  return !segment_start;
}

// printf-style formats ("VS%0.f0COMNTOOLS", "key-%s-%d"): a template, not a value.
bool has_format_specifier(std::string_view secret) {
  for (std::size_t i = 0; i + 1 < secret.size(); ++i) {
    if (secret[i] != '%') continue;
    std::size_t j = i + 1;
    while (j < secret.size() &&
           (std::isdigit(static_cast<unsigned char>(secret[j])) || secret[j] == '.' || secret[j] == '-'))
      ++j;
    if (j < secret.size() && std::string_view("sdifxXgGeEcu").find(secret[j]) != std::string_view::npos)
      return true;
  }
  return false;
}

}  // namespace

bool is_non_secret_name(std::string_view name) {
  std::string normalized = normalized_name(name);
  if (normalized == "key" || normalized == "keys") return true;  // a dictionary's key, not a credential
  for (auto ending : kNonSecretNameEndings)
    if (ends_with(normalized, ending)) return true;
  return false;
}

const char* reason_not_a_secret(std::string_view secret, const Rule& rule) {
  if (secret.empty()) return "empty";
  if (rule.min_entropy > 0 && shannon_entropy(secret) < rule.min_entropy) return "low entropy";
  std::string lower = lowercase(secret);
  if (is_reference(lower)) return "reference";
  if (is_placeholder(lower)) return "placeholder";
  if (is_repetitive(secret)) return "repetitive";
  if (has_sequential_run(secret)) return "sequential";
  if (is_generic(rule)) {  // names and templates look like values only where any value is taken
    if (looks_like_a_name_or_path(secret)) return "a name or a path";
    if (has_format_specifier(secret)) return "a format string";
    if (is_public_client_key(secret)) return "a public client key";
    if (std::none_of(secret.begin(), secret.end(), [](unsigned char c) { return std::isdigit(c); }) &&
        !varied_enough_without_digit(secret))
      return "no digit and not varied";
  }
  return nullptr;
}

}  // namespace keyhound
