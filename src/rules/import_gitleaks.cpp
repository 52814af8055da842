// gitleaks.toml -> keyhound rules. The regex dialects are close (Go's regexp is RE2 syntax), so a
// rule's pattern carries over after two rewrites (Go's `(?<name>` groups, and the secret group
// named `secret`); anything without a keyhound equivalent is listed as a problem, never guessed.
#include "rules/import_gitleaks.hpp"

#include <fmt/format.h>
#include <re2/re2.h>
#include <toml++/toml.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <set>

#include "rules/loader.hpp"

namespace keyhound {
namespace {

// Imported rules carry `category` and `keywords` as fields (true), or as a comment for a rule
// loader that does not know them (false).
constexpr bool kLoaderKnowsCategoryAndKeywords = true;
constexpr const char* kImportedCategory = "generic";

const std::set<std::string> kTopLevelKeys = {"title", "extend", "rules", "allowlist", "allowlists"};
const std::set<std::string> kRuleKeys = {"id",       "description", "regex", "secretGroup", "entropy",
                                         "keywords", "path",        "tags",  "allowlist",   "allowlists"};

std::string line_of(const std::string& file, const toml::node& node) {
  return file + ":" + std::to_string(node.source().begin.line);
}

// Lowercase, and anything a keyhound id cannot hold becomes '-'.
std::string keyhound_id(const std::string& prefix, const std::string& gitleaks_id) {
  std::string out = prefix + ".";
  for (char c : gitleaks_id) {
    char lower = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    bool ok =
        (lower >= 'a' && lower <= 'z') || (lower >= '0' && lower <= '9') || lower == '-' || lower == '_';
    out += ok ? lower : '-';
  }
  return out;
}

// Rewrites Go's `(?<name>` into RE2's `(?P<name>` and names capture group `secret_group` (1-based;
// 0: the first group, or the whole pattern when it has none) `secret`.
Result<std::string> with_secret_group(const std::string& pattern, long secret_group) {
  std::string out;
  std::vector<std::size_t> groups;  // where each capturing group's '(' landed in `out`
  bool in_class = false;
  for (std::size_t i = 0; i < pattern.size(); ++i) {
    char c = pattern[i];
    if (c == '\\' && i + 1 < pattern.size()) {
      out += pattern.substr(i, 2);
      ++i;
      continue;
    }
    if (in_class) {
      if (c == ']') in_class = false;
      out += c;
      continue;
    }
    if (c == '[') {
      in_class = true;
      out += c;
      // A ']' right after '[' or '[^' is a literal.
      if (i + 1 < pattern.size() && pattern[i + 1] == '^') out += pattern[++i];
      if (i + 1 < pattern.size() && pattern[i + 1] == ']') out += pattern[++i];
      continue;
    }
    if (c == '(') {
      std::string_view rest = std::string_view(pattern).substr(i + 1);
      if (rest.rfind("?<", 0) == 0 && rest.size() > 2 && rest[2] != '=' && rest[2] != '!') {
        groups.push_back(out.size());
        out += "(?P<";
        i += 2;
        continue;
      }
      if (rest.rfind("?P<", 0) == 0 || rest.empty() || rest[0] != '?') groups.push_back(out.size());
    }
    out += c;
  }
  if (secret_group == 0 && groups.empty()) return "(?P<secret>" + out + ")";
  std::size_t index = secret_group == 0 ? 0 : static_cast<std::size_t>(secret_group - 1);
  if (secret_group < 0 || index >= groups.size())
    return make_error("secretGroup = " + std::to_string(secret_group) + " but the regex has " +
                      std::to_string(groups.size()) + " capture group(s)");
  std::size_t at = groups[index];
  if (out.compare(at, 4, "(?P<") == 0) {
    std::size_t name_end = out.find('>', at + 4);
    if (name_end == std::string::npos) return make_error("unterminated group name");
    out.replace(at + 4, name_end - (at + 4), "secret");
  } else {
    out.insert(at + 1, "?P<secret>");
  }
  return out;
}

struct Allowlists {
  std::vector<std::string> regexes, stopwords;
};

// One gitleaks allowlist table into .keyhound.yml's allowlist; what has no equivalent is a problem.
void read_allowlist(const toml::table& table, const std::string& file, const std::string& owner,
                    Allowlists& into, std::vector<std::string>& problems) {
  std::string target = table["regexTarget"].value_or<std::string>("secret");
  auto strings = [&](const char* key) {
    std::vector<std::string> out;
    if (const toml::array* list = table[key].as_array())
      for (const auto& item : *list)
        if (auto text = item.value<std::string>()) out.push_back(*text);
    return out;
  };
  std::string where = line_of(file, table) + ": " + owner + ": ";
  for (const auto& [key, value] : table) {
    std::string name(key.str());
    if (name == "description" || name == "regexTarget" || name == "regexes" || name == "stopwords") continue;
    if (name == "paths")
      problems.push_back(where +
                         "allowlist paths are regexes in gitleaks and globs in keyhound: write them as globs "
                         "under allowlist.paths in .keyhound.yml");
    else if (name == "commits")
      problems.push_back(where +
                         "allowlist commits have no keyhound equivalent: triage those findings in the "
                         "baseline (keyhound baseline set)");
    else if (name == "condition" && table["condition"].value_or<std::string>("OR") == "AND")
      problems.push_back(
          where + "allowlist condition = \"AND\" has no keyhound equivalent (every entry stands alone)");
    else if (name != "condition")
      problems.push_back(where + "allowlist key '" + name + "' has no keyhound equivalent");
  }
  auto regexes = strings("regexes");
  if (!regexes.empty() && target != "secret")
    problems.push_back(where + "allowlist regexTarget = \"" + target +
                       "\" does not translate: keyhound's allowlist regexes match the secret only");
  else
    into.regexes.insert(into.regexes.end(), regexes.begin(), regexes.end());
  auto stopwords = strings("stopwords");
  into.stopwords.insert(into.stopwords.end(), stopwords.begin(), stopwords.end());
}

void read_allowlists_of(const toml::table& owner_table, const std::string& file, const std::string& owner,
                        Allowlists& into, std::vector<std::string>& problems) {
  if (const toml::table* one = owner_table["allowlist"].as_table())
    read_allowlist(*one, file, owner, into, problems);
  if (const toml::array* many = owner_table["allowlists"].as_array())
    for (const auto& item : *many)
      if (const toml::table* table = item.as_table()) read_allowlist(*table, file, owner, into, problems);
}

std::string render_config(const Allowlists& allow) {
  if (allow.regexes.empty() && allow.stopwords.empty()) return {};
  YAML::Emitter out;
  out << YAML::BeginMap << YAML::Key << "allowlist" << YAML::Value << YAML::BeginMap;
  if (!allow.regexes.empty()) {
    out << YAML::Key << "regexes" << YAML::Value << YAML::BeginSeq;
    for (const auto& regex : allow.regexes) out << YAML::SingleQuoted << regex;
    out << YAML::EndSeq;
  }
  if (!allow.stopwords.empty()) out << YAML::Key << "stopwords" << YAML::Value << allow.stopwords;
  out << YAML::EndMap << YAML::EndMap;
  return "# from gitleaks allowlists; keyhound applies them to every rule\n" + std::string(out.c_str()) +
         "\n";
}

}  // namespace

Result<GitleaksImport> import_gitleaks(std::string_view toml_text, const std::string& file,
                                       const GitleaksImportOptions& options) {
  toml::table document;
  try {
    document = toml::parse(toml_text, file);
  } catch (const toml::parse_error& e) {
    return make_error(file + ":" + std::to_string(e.source().begin.line) + ":" +
                      std::to_string(e.source().begin.column) +
                      ": malformed TOML: " + std::string(e.description()));
  }
  GitleaksImport result;
  Allowlists allow;
  for (const auto& [key, value] : document) {
    std::string name(key.str());
    if (name == "extend")
      result.notes.push_back(
          line_of(file, value) +
          ": [extend] is not imported: keyhound's built-in rules stand in for gitleaks' defaults");
    else if (!kTopLevelKeys.count(name))
      result.problems.push_back(line_of(file, value) + ": key '" + name + "' has no keyhound equivalent");
  }
  read_allowlists_of(document, file, "global allowlist", allow, result.problems);

  YAML::Emitter out;
  out << YAML::BeginMap << YAML::Key << "rules" << YAML::Value << YAML::BeginSeq;
  std::set<std::string> ids;
  const toml::array* rules = document["rules"].as_array();
  if (rules == nullptr) return make_error(file + ": no [[rules]] to import");
  for (const auto& node : *rules) {
    const toml::table* rule = node.as_table();
    if (rule == nullptr) continue;
    std::string gitleaks_id = (*rule)["id"].value_or<std::string>("");
    std::string where = line_of(file, *rule) + ": rule " + (gitleaks_id.empty() ? "?" : gitleaks_id) + ": ";
    std::size_t problems_before = result.problems.size();
    if (gitleaks_id.empty()) result.problems.push_back(where + "has no id");
    for (const auto& [key, value] : *rule)
      if (!kRuleKeys.count(std::string(key.str())))
        result.problems.push_back(where + "key '" + std::string(key.str()) + "' has no keyhound equivalent");
    if ((*rule)["path"])
      result.problems.push_back(where +
                                "path restricts the rule to some files; keyhound rules apply to every file");
    std::string regex = (*rule)["regex"].value_or<std::string>("");
    if (regex.empty())
      result.problems.push_back(where + "has no regex (a path-only rule has no keyhound equivalent)");
    auto pattern = with_secret_group(regex, (*rule)["secretGroup"].value_or<long>(0));
    if (!regex.empty() && !pattern) result.problems.push_back(where + pattern.error().message);
    if (pattern && !regex.empty()) {
      RE2 compiled(*pattern, RE2::Quiet);
      if (!compiled.ok())
        result.problems.push_back(where +
                                  "regex does not compile with RE2 (Go-only syntax?): " + compiled.error());
    }
    std::string id = keyhound_id(options.id_prefix, gitleaks_id);
    if (!gitleaks_id.empty() && !ids.insert(id).second)
      result.problems.push_back(where + "duplicate id " + id);
    if (result.problems.size() != problems_before) continue;

    std::vector<std::string> keywords, tags{"gitleaks-import"};
    if (const toml::array* list = (*rule)["keywords"].as_array())
      for (const auto& item : *list)
        if (auto word = item.value<std::string>()) keywords.push_back(*word);
    if (const toml::array* list = (*rule)["tags"].as_array())
      for (const auto& item : *list)
        if (auto tag = item.value<std::string>()) tags.push_back(*tag);
    Allowlists rule_allow;
    read_allowlists_of(*rule, file, "rule " + gitleaks_id, rule_allow, result.problems);
    if (!rule_allow.regexes.empty() || !rule_allow.stopwords.empty())
      result.notes.push_back(where + "its allowlist goes to .keyhound.yml, where it applies to every rule");
    allow.regexes.insert(allow.regexes.end(), rule_allow.regexes.begin(), rule_allow.regexes.end());
    allow.stopwords.insert(allow.stopwords.end(), rule_allow.stopwords.begin(), rule_allow.stopwords.end());

    out << YAML::BeginMap;
    out << YAML::Key << "id" << YAML::Value << id;
    out << YAML::Key << "name" << YAML::Value << (*rule)["description"].value_or(gitleaks_id);
    out << YAML::Key << "pattern" << YAML::Value << YAML::SingleQuoted << *pattern;
    out << YAML::Key << "confidence" << YAML::Value << "medium";
    if (auto entropy = (*rule)["entropy"].value<double>(); entropy && *entropy > 0)
      out << YAML::Key << "min_entropy" << YAML::Value
          << fmt::format("{}", *entropy);  // 3.2, not 3.2000000000000002
    out << YAML::Key << "tags" << YAML::Value << YAML::Flow << tags;
    if constexpr (kLoaderKnowsCategoryAndKeywords) {
      out << YAML::Key << "category" << YAML::Value << kImportedCategory;
      if (!keywords.empty()) out << YAML::Key << "keywords" << YAML::Value << YAML::Flow << keywords;
    } else if (!keywords.empty()) {
      std::string list;
      for (const auto& word : keywords) list += (list.empty() ? "" : ", ") + word;
      out << YAML::Comment("gitleaks keywords: " + list);
    }
    out << YAML::EndMap;
    if (!keywords.empty())
      result.notes.push_back(
          where + "keyhound looks for the pattern near each keyword (gitleaks: anywhere in the file)");
    result.notes.push_back(
        where + "has no examples: add lines it must find (examples) before `keyhound rules check`");
    ++result.converted;
  }
  out << YAML::EndSeq << YAML::EndMap;
  result.rules_yaml = "# keyhound rules converted from " + file + " by `keyhound rules import-gitleaks`\n" +
                      std::string(out.c_str()) + "\n";
  result.config_yaml = render_config(allow);

  // The output must load as keyhound rules; a failure here is a bug of this converter.
  if (result.converted > 0) {
    auto loaded = parse_rule_file(result.rules_yaml, "<converted " + file + ">");
    if (!loaded) return make_error("the converted rules do not load: " + loaded.error().message);
  }
  return result;
}

}  // namespace keyhound
