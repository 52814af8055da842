#include "finding/confidence.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <map>
#include <unordered_set>

#include "finding/evidence_data.hpp"
#include "match/checksums.hpp"

namespace keyhound {
namespace {

struct ReasonName {
  Reason reason;
  const char* name;
};
constexpr std::array<ReasonName, 16> kReasonNames = {{
    {kTestPath, "test-path"},
    {kExamplePath, "example-path"},
    {kDocPath, "doc-path"},
    {kVendoredPath, "vendored-path"},
    {kGeneratedPath, "generated-path"},
    {kComment, "comment"},
    {kDocstring, "docstring"},
    {kDocExample, "doc-example"},
    {kTruncated, "truncated"},
    {kKeyName, "key-name"},
    {kPublishedExample, "published-example"},
    {kDictionaryWord, "dictionary-word"},
    {kChecksum, "checksum"},
    {kChecksumMismatch, "checksum-mismatch"},
    {kStructure, "structure"},
    {kStructureMismatch, "structure-mismatch"},
}};

// Evidence that a value was written as an example, a test input or a document: a generic rule
// (which only sees "password = ...") cannot tell such a value from a real one by its shape.
constexpr Reasons kExampleEvidence = kTestPath | kExamplePath | kDocPath | kVendoredPath | kGeneratedPath |
                                     kComment | kDocstring | kDocExample | kTruncated | kKeyName |
                                     kDictionaryWord;

std::string lowercase(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

template <std::size_t N>
bool one_of(std::string_view word, const std::array<std::string_view, N>& words) {
  return std::find(words.begin(), words.end(), word) != words.end();
}

constexpr std::array<std::string_view, 20> kTestFolders = {
    "test",      "tests",     "testing",  "__tests__", "spec",         "specs",    "testdata",
    "test_data", "test-data", "fixtures", "fixture",   "__fixtures__", "mocks",    "mock",
    "__mocks__", "e2e",       "testutil", "testutils", "test_utils",   "unittests"};
constexpr std::array<std::string_view, 7> kExampleFolders = {"example", "examples", "_examples", "sample",
                                                             "samples", "demo",     "demos"};
constexpr std::array<std::string_view, 8> kDocFolders = {"doc",    "docs", "documentation", "guide",
                                                         "guides", "man",  "wiki",          "_docs"};
constexpr std::array<std::string_view, 10> kVendoredFolders = {
    "vendor",   "node_modules",     "third_party",   "third-party",   "thirdparty",
    "3rdparty", "bower_components", "site-packages", "dist-packages", ".venv"};
constexpr std::array<std::string_view, 10> kDocExtensions = {
    ".md", ".markdown", ".mdx", ".rst", ".adoc", ".asciidoc", ".textile", ".rdoc", ".pod", ".texi"};

Reasons folder_reasons(const std::string& folder) {
  Reasons reasons = 0;
  if (one_of(folder, kTestFolders) || folder.ends_with("_test") || folder.ends_with("_tests") ||
      folder.ends_with("-tests") || folder.starts_with("test_") || folder.starts_with("tests_"))
    reasons |= kTestPath;
  if (one_of(folder, kExampleFolders)) reasons |= kExamplePath;
  if (one_of(folder, kDocFolders)) reasons |= kDocPath;
  if (one_of(folder, kVendoredFolders)) reasons |= kVendoredPath;
  return reasons;
}

Reasons file_name_reasons(std::string_view name) {
  std::string lower = lowercase(name);
  std::string_view stem = std::string_view(name).substr(0, name.find('.'));
  std::string_view lower_stem = std::string_view(lower).substr(0, lower.find('.'));
  Reasons reasons = 0;
  // foo_test.go, test_foo.py, foo.spec.ts, foo.test.js, FooTest.java, FooTests.cs, foo_spec.rb
  if (lower_stem.starts_with("test_") || lower_stem.starts_with("tests_") || lower_stem == "test" ||
      lower_stem == "tests" || lower_stem == "conftest" || lower_stem.ends_with("_test") ||
      lower_stem.ends_with("-test") || lower_stem.ends_with("_tests") || lower_stem.ends_with("_spec") ||
      lower_stem.ends_with("-spec") || lower.find(".test.") != std::string::npos ||
      lower.find(".spec.") != std::string::npos || stem.ends_with("Test") || stem.ends_with("Tests") ||
      stem.ends_with("Spec"))
    reasons |= kTestPath;
  // config.example, .env.sample, settings.py.dist, example.yml, sample_config.json
  for (std::string_view marker : {".example", ".sample", ".dist", ".template"})
    if (lower.ends_with(marker) || lower.find(std::string(marker) + ".") != std::string::npos)
      reasons |= kExamplePath;
  if (lower_stem.starts_with("example") || lower_stem.starts_with("sample")) reasons |= kExamplePath;
  for (std::string_view extension : kDocExtensions)
    if (lower.ends_with(extension)) reasons |= kDocPath;
  for (std::string_view prefix : {"readme", "changelog", "changes", "news", "history"})
    if (lower_stem == prefix) reasons |= kDocPath;
  for (std::string_view suffix : {".min.js", ".min.mjs", ".min.css", "-min.js", ".bundle.js", ".js.map"})
    if (lower.ends_with(suffix)) reasons |= kGeneratedPath;
  return reasons;
}

const std::unordered_set<std::string>& published_examples() {
  static const std::unordered_set<std::string> values = [] {
    std::unordered_set<std::string> out;
    std::string_view text = embedded_evidence_file("published-examples.txt");
    while (!text.empty()) {
      std::string_view line = text.substr(0, text.find('\n'));
      text.remove_prefix(std::min(text.size(), line.size() + 1));
      if (line.empty() || line[0] == '#') continue;
      out.emplace(line.substr(0, line.find("  ")));
    }
    return out;
  }();
  return values;
}

const std::unordered_set<std::string>& common_words() {
  static const std::unordered_set<std::string> words = [] {
    std::unordered_set<std::string> out;
    std::string_view text = embedded_evidence_file("common-words.txt");
    while (!text.empty()) {
      std::string_view line = text.substr(0, text.find('\n'));
      text.remove_prefix(std::min(text.size(), line.size() + 1));
      if (!line.empty() && line[0] != '#') out.emplace(line);
    }
    return out;
  }();
  return words;
}

// "am@z1ng_p@ssw0rd#!", "Summer2024!", "MySecretPassword1": common words, spelled with the
// usual substitutions, between digits and punctuation. Random strings almost never split so.
bool made_of_common_words(std::string_view secret) {
  std::size_t begin = 0, end = secret.size();
  while (begin < end && !std::isalpha(static_cast<unsigned char>(secret[begin]))) ++begin;
  while (end > begin && !std::isalpha(static_cast<unsigned char>(secret[end - 1]))) --end;
  std::string_view core = secret.substr(begin, end - begin);
  if (core.size() < 4) return false;
  std::vector<std::string> pieces(1);
  char previous = 0;
  for (char c : core) {
    char letter = c;
    switch (c) {
      case '@':
      case '4':
        letter = 'a';
        break;
      case '3':
        letter = 'e';
        break;
      case '1':
      case '!':
        letter = 'i';
        break;
      case '0':
        letter = 'o';
        break;
      case '$':
      case '5':
        letter = 's';
        break;
      case '7':
        letter = 't';
        break;
      default:
        break;
    }
    bool is_letter = std::isalpha(static_cast<unsigned char>(letter));
    bool camel_hump =
        std::isupper(static_cast<unsigned char>(c)) && std::islower(static_cast<unsigned char>(previous));
    if ((!is_letter || camel_hump) && !pieces.back().empty()) pieces.emplace_back();
    if (is_letter)
      pieces.back().push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(letter))));
    previous = c;
  }
  if (pieces.back().empty()) pieces.pop_back();
  std::size_t letters = 0;
  bool long_word = false;
  for (const auto& piece : pieces) {
    if (piece.size() < 2 || !common_words().count(piece)) return false;
    letters += piece.size();
    long_word = long_word || piece.size() >= 4;
  }
  return long_word && letters * 2 >= secret.size();
}

Reasons structure_reasons(std::string_view rule_id, std::string_view secret) {
  switch (check_structure(rule_id, secret)) {
    case StructureVerdict::checksum_valid:
      return kChecksum;
    case StructureVerdict::checksum_invalid:
      return kChecksumMismatch;
    case StructureVerdict::structure_valid:
      return kStructure;
    case StructureVerdict::structure_invalid:
      return kStructureMismatch;
    case StructureVerdict::unknown:
      break;
  }
  return 0;
}

bool is_literal(char c) {
  return std::string_view("()[]{}.*+?|^$\\").find(c) == std::string_view::npos;
}

// How many literal characters `pattern` starts with ("ghp_[A-Za-z0-9]" -> 4; an alternation of
// literals "(?:AKIA|ASIA)[A-Z2-7]" -> its shortest branch, 4; "[A-Za-z0-9]" -> 0).
std::size_t literal_prefix_length(std::string_view pattern) {
  while (pattern.starts_with("(?-i:") || pattern.starts_with("(?i:"))
    pattern.remove_prefix(pattern.find(':') + 1);
  if (pattern.starts_with("(?:")) {
    std::size_t shortest = std::string_view::npos, length = 0;
    for (std::size_t i = 3; i < pattern.size(); ++i) {
      char c = pattern[i];
      if (c == '|' || c == ')') {
        shortest = std::min(shortest, length);
        length = 0;
        if (c == ')') return shortest;
      } else if (c == '\\' && i + 1 < pattern.size() &&
                 !std::isalnum(static_cast<unsigned char>(pattern[i + 1]))) {
        ++length;
        ++i;
      } else if (is_literal(c)) {
        ++length;
      } else {
        return 0;  // not an alternation of plain literals
      }
    }
    return 0;
  }
  std::size_t length = 0;
  for (std::size_t i = 0; i < pattern.size(); ++i, ++length) {
    char c = pattern[i];
    if (c == '\\' && i + 1 < pattern.size() && !std::isalnum(static_cast<unsigned char>(pattern[i + 1]))) {
      ++i;
    } else if (!is_literal(c)) {
      break;
    }
  }
  // "ab?" or "ab{0,2}": the last character is optional.
  std::size_t end = std::min(pattern.size(), length);
  if (length > 0 && end < pattern.size() &&
      std::string_view("?*{").find(pattern[end]) != std::string_view::npos)
    --length;
  return length;
}

}  // namespace

std::vector<std::string> reason_names(Reasons reasons) {
  std::vector<std::string> names;
  for (const auto& [reason, name] : kReasonNames)
    if (reasons & reason) names.emplace_back(name);
  return names;
}

Reasons path_reasons(std::string_view path) {
  Reasons reasons = 0;
  std::size_t begin = 0;
  std::string parent;
  while (true) {
    std::size_t slash = path.find('/', begin);
    if (slash == std::string_view::npos) break;
    std::string folder = lowercase(path.substr(begin, slash - begin));
    Reasons found = folder_reasons(folder);
    // com/example/orders is a Java-style package named after a reserved domain, not an example tree.
    if (parent == "com" || parent == "org" || parent == "net") found &= ~kExamplePath;
    reasons |= found;
    parent = std::move(folder);
    begin = slash + 1;
  }
  return reasons | file_name_reasons(path.substr(begin));
}

Reasons value_reasons(std::string_view secret) {
  Reasons reasons = 0;
  if (published_examples().count(std::string(secret)) || secret.find("EXAMPLE") != std::string_view::npos)
    reasons |= kPublishedExample;
  if (made_of_common_words(secret)) reasons |= kDictionaryWord;
  return reasons;
}

std::string path_below_root(std::string_view path, const std::vector<std::string>& roots) {
  while (path.starts_with("./")) path.remove_prefix(2);
  for (std::string_view root : roots) {
    while (root.starts_with("./")) root.remove_prefix(2);
    while (root.size() > 1 && root.back() == '/') root.remove_suffix(1);
    if (root.empty() || root == ".") continue;
    if (path == root) return std::string(path.substr(path.rfind('/') + 1));  // a file given by name
    if (path.size() > root.size() && path.starts_with(root) && path[root.size()] == '/')
      return std::string(path.substr(root.size() + 1));
  }
  return std::string(path);
}

bool has_vendor_prefix(const Rule& rule) {
  std::string_view pattern = rule.pattern;
  std::size_t start = pattern.find("(?P<secret>");
  if (start != std::string_view::npos) {
    start += 11;
  } else {  // the first capturing group
    for (std::size_t i = 0; i < pattern.size(); ++i) {
      if (pattern[i] == '\\') {
        ++i;
      } else if (pattern[i] == '[') {
        for (++i; i < pattern.size() && pattern[i] != ']'; ++i)
          if (pattern[i] == '\\') ++i;
      } else if (pattern[i] == '(' && (i + 1 >= pattern.size() || pattern[i + 1] != '?')) {
        start = i + 1;
        break;
      }
    }
  }
  return start != std::string_view::npos && literal_prefix_length(pattern.substr(start)) >= 3;
}

Assessment assess(const Rule& rule, Reasons evidence) {
  Reasons reasons = evidence & ~kInFence;
  if ((evidence & kInFence) && (evidence & kDocPath)) reasons |= kDocExample;
  Confidence level = rule.confidence;
  if (reasons & kChecksum) level = Confidence::high;
  if (reasons & (kChecksumMismatch | kStructureMismatch | kPublishedExample)) level = Confidence::low;
  if (reasons & kExampleEvidence) {
    if (is_generic(rule))
      level = Confidence::low;
    else if (!(reasons & (kChecksum | kStructure)) && !has_vendor_prefix(rule))
      level = level == Confidence::high ? Confidence::medium : Confidence::low;
  }
  return {level, reasons};
}

void assess_findings(std::vector<Finding>& findings, const RuleList& rules,
                     const std::vector<std::string>& roots) {
  std::map<std::string_view, const Rule*> by_id;
  for (const auto& rule : rules) by_id.emplace(rule.id, &rule);
  for (auto& finding : findings) {
    const Rule& rule = *by_id.at(finding.rule_id);
    Reasons value = value_reasons(finding.secret) | structure_reasons(rule.id, finding.secret);
    finding.rule_confidence = rule.confidence;
    bool first = true;
    for (auto& location : finding.locations) {
      Reasons path = path_reasons(path_below_root(location.origin.path, roots));
      Assessment here = assess(rule, location.reasons | path | value);
      location.confidence = here.confidence;
      location.reasons = here.reasons;
      if (first || here.confidence > finding.confidence) {
        finding.confidence = here.confidence;
        finding.reasons = here.reasons;
        first = false;
      }
    }
  }
}

}  // namespace keyhound
