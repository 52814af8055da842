#include "rules/loader.hpp"

#include <re2/re2.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <filesystem>
#include <map>
#include <set>

#include "rules/embedded.hpp"
#include "util/file.hpp"
#include "util/shown_value.hpp"
#include "util/unknown_key.hpp"

namespace keyhound {

const char* to_string(Confidence confidence) {
  switch (confidence) {
    case Confidence::low:
      return "low";
    case Confidence::medium:
      return "medium";
    case Confidence::high:
      return "high";
  }
  return "medium";
}

std::optional<Confidence> confidence_from(std::string_view name) {
  for (Confidence level : {Confidence::low, Confidence::medium, Confidence::high})
    if (name == to_string(level)) return level;
  return std::nullopt;
}

namespace {

const std::set<std::string> kRuleKeys = {
    "id",         "name",       "pattern",           "keywords",    "prefilter",
    "category",   "confidence", "min_entropy",       "description", "tags",
    "references", "examples",   "negative_examples", "pair",        "verify"};

const std::set<std::string> kVerifyKeys = {"kind",           "method",  "url",     "headers", "basic_user",
                                           "basic_password", "body",    "live",    "revoked", "live_field",
                                           "identity",       "partner", "partner2"};

// Named pieces of pattern that rule files share, written {{name}} in a pattern. `assign` joins
// a key name to its value on one line: `KEY = "v"`, `key: v`, `"key": "v"`, `key => 'v'`,
// `<key>v`, `key="x" value="v"`; never across a line break. Quotes may be escaped (\"), as in the
// JSON source of a notebook cell.
const std::map<std::string, std::string, std::less<>> kPatternPieces = {
    {"assign",
     R"re((?:\\?["'`]?\]?[ \t]{0,5}(?:=>|:=|\?=|=|:|,|>|[ \t])[ \t]{0,5}\\?["'`]?|["'][ \t]{1,3}value[ \t]?=[ \t]?["']))re"},
};

Result<std::vector<std::string>> string_list(const YAML::Node& node, const std::string& what);

Result<std::vector<int>> status_list(const YAML::Node& node, const std::string& what) {
  if (!node.IsSequence()) return make_error(what + " must be a list of HTTP statuses");
  std::vector<int> out;
  for (const auto& item : node) {
    int status = 0;
    try {
      status = item.as<int>();
    } catch (const YAML::Exception&) {
      return make_error(what + " must be a list of HTTP statuses");
    }
    if (status < 100 || status > 599)
      return make_error(what + ": " + std::to_string(status) + " is not an HTTP status");
    out.push_back(status);
  }
  return out;
}

// The host must come from the rule: {secret} never appears in it, and {partner} (a shop name,
// say) only as its leftmost label, so the registrable domain is always the provider's.
Status check_verify_url(const std::string& url) {
  const std::string scheme = "https://";
  if (url.rfind(scheme, 0) != 0) return make_error("verify.url must start with https://");
  std::size_t host_end = url.find('/', scheme.size());
  if (host_end == std::string::npos) return make_error("verify.url needs a path after the host");
  std::string host = url.substr(scheme.size(), host_end - scheme.size());
  if (host.find("{secret}") != std::string::npos)
    return make_error("verify.url: {secret} may not be part of the host");
  std::string fixed = host;
  if (fixed.rfind("{partner}.", 0) == 0) fixed = fixed.substr(10);
  if (fixed.find('{') != std::string::npos || fixed.find('@') != std::string::npos ||
      fixed.find('.') == std::string::npos)
    return make_error("verify.url: the host '" + host +
                      "' must be a fixed domain name (only a leading {partner}. label may vary)");
  return Ok{};
}

Result<VerifySpec> parse_verify(const YAML::Node& node) {
  if (!node.IsMap()) return make_error("'verify' must be a mapping");
  VerifySpec spec;
  for (const auto& entry : node) {
    std::string key = entry.first.as<std::string>();
    if (!kVerifyKeys.count(key)) return unknown_key_error("verify", key, kVerifyKeys);
  }
  auto text = [&](const char* key, std::string& target) {
    if (node[key]) target = node[key].as<std::string>();
  };
  text("kind", spec.kind);
  text("method", spec.method);
  text("url", spec.url);
  text("basic_user", spec.basic_user);
  text("basic_password", spec.basic_password);
  text("body", spec.body);
  text("live_field", spec.live_field);
  text("identity", spec.identity);
  text("partner", spec.partner);
  text("partner2", spec.partner2);
  if (spec.kind != "http" && spec.kind != "aws-sts" && spec.kind != "azure-storage")
    return make_error("verify.kind must be http, aws-sts or azure-storage, not '" + spec.kind + "'");
  if (spec.method != "GET" && spec.method != "HEAD" && spec.method != "POST")
    return make_error("verify.method must be GET, HEAD or POST, not '" + spec.method + "'");
  if (spec.kind == "http") {
    if (spec.url.empty()) return make_error("verify: missing 'url'");
    KH_TRY(check_verify_url(spec.url));
  } else if (!spec.url.empty()) {
    return make_error("verify: kind " + spec.kind + " has its endpoint built in; remove 'url'");
  }
  if (spec.basic_user.empty() != spec.basic_password.empty())
    return make_error("verify: give both basic_user and basic_password, or neither");
  if (node["headers"]) {
    KH_TRY_ASSIGN(auto list, string_list(node["headers"], "verify.headers"));
    for (const auto& header : list)
      if (header.find(':') == std::string::npos)
        return make_error("verify.headers: '" + header + "' is not 'Name: value'");
    spec.headers = std::move(list);
  }
  for (auto [key, target] : {std::pair{"live", &spec.live}, std::pair{"revoked", &spec.revoked}}) {
    if (!node[key]) continue;
    KH_TRY_ASSIGN(auto list, status_list(node[key], std::string("verify.") + key));
    *target = std::move(list);
  }
  for (const std::string* regex : {&spec.partner, &spec.partner2}) {
    if (regex->empty()) continue;
    RE2 partner(*regex, RE2::Quiet);
    if (!partner.ok()) return make_error("verify.partner: " + partner.error());
  }
  bool uses_partner = false;
  for (const std::string* part : {&spec.url, &spec.basic_user, &spec.basic_password, &spec.body})
    uses_partner |= part->find("{partner}") != std::string::npos;
  for (const auto& header : spec.headers) uses_partner |= header.find("{partner}") != std::string::npos;
  bool uses_partner2 = spec.url.find("{partner2}") != std::string::npos ||
                       spec.basic_user.find("{partner2}") != std::string::npos;
  if (uses_partner2 && spec.partner2.empty())
    return make_error("verify: {partner2} is used but no 'partner2' regex is given");
  if (spec.url.find("{partner2}") != std::string::npos && spec.url.find("{partner2}") < spec.url.find('/', 8))
    return make_error("verify.url: only {partner} may be part of the host");
  if (uses_partner && spec.partner.empty())
    return make_error("verify: {partner} is used but no 'partner' regex is given");
  if (spec.kind != "http" && spec.partner.empty())
    return make_error("verify: kind " + spec.kind + " needs a 'partner' regex (the key ID or account name)");
  return spec;
}

bool valid_category(const std::string& category) {
  return std::any_of(std::begin(kCategories), std::end(kCategories),
                     [&](const char* known) { return category == known; });
}

std::string category_list() {
  std::string out;
  for (const char* known : kCategories) out += std::string(out.empty() ? "" : ", ") + known;
  return out;
}

// Replaces every {{name}} with its piece; an unknown name is an error.
Result<std::string> expand_pattern(const std::string& pattern) {
  std::string out;
  std::size_t at = 0;
  while (true) {
    std::size_t open = pattern.find("{{", at);
    if (open == std::string::npos) break;
    std::size_t close = pattern.find("}}", open + 2);
    if (close == std::string::npos) break;
    std::string name = pattern.substr(open + 2, close - open - 2);
    auto piece = kPatternPieces.find(name);
    if (piece == kPatternPieces.end()) return make_error("unknown pattern piece '{{" + name + "}}'");
    out.append(pattern, at, open - at).append(piece->second);
    at = close + 2;
  }
  out.append(pattern, at);
  return out;
}

std::string where(const std::string& file, const YAML::Node& node) {
  return file + ":" + std::to_string(node.Mark().line + 1);
}

// provider.kind: the dot is what tells a rule id from prose after "keyhound:allow".
bool valid_id(const std::string& id) {
  if (id.empty() || !std::isalnum(static_cast<unsigned char>(id.front()))) return false;
  if (id.find('.') == std::string::npos) return false;
  return std::all_of(id.begin(), id.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '-' || c == '_';
  });
}

Result<std::vector<std::string>> string_list(const YAML::Node& node, const std::string& what) {
  if (!node.IsSequence()) return make_error(what + " must be a list of strings");
  std::vector<std::string> out;
  for (const auto& item : node) {
    if (!item.IsScalar()) return make_error(what + " must be a list of strings");
    out.push_back(item.as<std::string>());
  }
  return out;
}

Result<Rule> parse_rule(const YAML::Node& node, const std::string& file, const std::string& file_category) {
  if (!node.IsMap()) return make_error(where(file, node) + ": each rule must be a mapping");
  Rule rule;
  rule.file = file;
  rule.line = node.Mark().line + 1;
  std::string label = where(file, node);
  if (node["id"] && node["id"].IsScalar()) {
    rule.id = node["id"].as<std::string>();
    label += ": rule " + rule.id;
  }
  for (const auto& entry : node) {
    std::string key = entry.first.as<std::string>();
    if (!kRuleKeys.count(key))
      return unknown_key_error(where(file, entry.first) + ": rule " + (rule.id.empty() ? "?" : rule.id), key,
                               kRuleKeys);
  }
  if (rule.id.empty()) return make_error(label + ": rule has no 'id'");
  if (!valid_id(rule.id))
    return make_error(label + ": id must be provider.kind in lowercase letters, digits, '.', '-' or '_'");
  for (const char* required : {"name", "pattern"}) {
    if (!node[required] || !node[required].IsScalar() || node[required].as<std::string>().empty())
      return make_error(label + ": missing '" + required + "'");
  }
  rule.name = node["name"].as<std::string>();
  auto pattern = expand_pattern(node["pattern"].as<std::string>());
  if (!pattern) return make_error(label + ": " + pattern.error().message);
  rule.pattern = std::move(*pattern);
  if (node["prefilter"]) {
    auto prefilter = expand_pattern(node["prefilter"].as<std::string>());
    if (!prefilter) return make_error(label + ": " + prefilter.error().message);
    rule.prefilter = std::move(*prefilter);
  }
  rule.category = node["category"] ? node["category"].as<std::string>() : file_category;
  if (!rule.category.empty() && !valid_category(rule.category))
    return make_error(label + ": category must be one of " + category_list() + ", not " +
                      shown_value(rule.category));
  if (node["confidence"]) {
    std::string value = node["confidence"].as<std::string>();
    auto confidence = confidence_from(value);
    if (!confidence)
      return make_error(label + ": confidence must be high, medium or low, not " + shown_value(value));
    rule.confidence = *confidence;
  }
  if (node["min_entropy"]) {
    try {
      rule.min_entropy = node["min_entropy"].as<double>();
    } catch (const YAML::Exception&) {
      return make_error(label + ": min_entropy must be a number");
    }
    if (rule.min_entropy < 0 || rule.min_entropy > 8)
      return make_error(label + ": min_entropy must be between 0 and 8 bits per byte");
  }
  if (node["description"]) rule.description = node["description"].as<std::string>();
  if (node["pair"]) {  // pair: {name: aws-access-key, field: accessKeyId}
    const YAML::Node& pair = node["pair"];
    if (!pair.IsMap() || !pair["name"] || !pair["field"] || pair.size() != 2)
      return make_error(label + ": pair must be a mapping with 'name' and 'field'");
    rule.pair = pair["name"].as<std::string>();
    rule.pair_field = pair["field"].as<std::string>();
    auto lowercase_word = [](const std::string& text) {
      return !text.empty() &&
             text.find_first_not_of("abcdefghijklmnopqrstuvwxyz0123456789-") == std::string::npos;
    };
    auto field_name = [](const std::string& text) {
      return !text.empty() && std::isalpha(static_cast<unsigned char>(text[0])) &&
             text.find_first_not_of("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_") ==
                 std::string::npos;
    };
    if (!lowercase_word(rule.pair))
      return make_error(label + ": pair name '" + rule.pair + "' must be lowercase letters, digits and -");
    if (!field_name(rule.pair_field))
      return make_error(label + ": pair field '" + rule.pair_field +
                        "' must be an identifier (letters, digits, _; a letter first)");
  }
  struct ListField {
    const char* key;
    std::vector<std::string>* target;
  };
  for (ListField field : {ListField{"references", &rule.references}, ListField{"tags", &rule.tags},
                          ListField{"keywords", &rule.keywords}, ListField{"examples", &rule.examples},
                          ListField{"negative_examples", &rule.negative_examples}}) {
    if (!node[field.key]) continue;
    auto list = string_list(node[field.key], std::string("'") + field.key + "'");
    if (!list) return make_error(label + ": " + list.error().message);
    *field.target = std::move(*list);
  }
  if (node["verify"]) {
    auto verify = parse_verify(node["verify"]);
    if (!verify) return make_error(label + ": " + verify.error().message);
    rule.verify = std::move(*verify);
  }
  if (!rule.keywords.empty() && !rule.prefilter.empty())
    return make_error(label + ": give 'keywords' or 'prefilter', not both");
  for (const auto& keyword : rule.keywords)
    if (keyword.size() < 3)
      return make_error(label + ": keyword '" + keyword +
                        "' is shorter than 3 characters (it would fire everywhere)");
  return rule;
}

}  // namespace

Result<RuleList> parse_rule_file(std::string_view yaml, const std::string& file) {
  YAML::Node root;
  try {
    root = YAML::Load(std::string(yaml));
  } catch (const YAML::Exception& e) {
    return make_error(file + ":" + std::to_string(e.mark.line + 1) + ": invalid YAML: " + e.msg);
  }
  if (!root.IsMap() || !root["rules"]) return make_error(file + ": expected a top-level 'rules:' list");
  for (const auto& entry : root) {
    std::string key = entry.first.as<std::string>();
    if (key != "rules" && key != "category")
      return unknown_key_error(where(file, entry.first), key,
                               std::initializer_list<std::string_view>{"rules", "category"});
  }
  // A file-wide category, which a rule may override.
  std::string file_category;
  if (root["category"]) {
    if (!root["category"].IsScalar())
      return make_error(where(file, root["category"]) + ": 'category' must be a word");
    file_category = root["category"].as<std::string>();
    if (!valid_category(file_category))
      return make_error(where(file, root["category"]) + ": category must be one of " + category_list() +
                        ", not " + shown_value(file_category));
  }
  if (!root["rules"].IsSequence()) return make_error(where(file, root["rules"]) + ": 'rules' must be a list");
  RuleList rules;
  try {
    for (const auto& node : root["rules"]) {
      KH_TRY_ASSIGN(auto rule, parse_rule(node, file, file_category));
      rules.push_back(std::move(rule));
    }
  } catch (const YAML::Exception& e) {
    return make_error(file + ":" + std::to_string(e.mark.line + 1) + ": " + e.msg);
  }
  return rules;
}

std::vector<RuleSource> builtin_rule_sources() {
  std::vector<RuleSource> sources;
  for (const auto& embedded : rules::embedded_rule_files())
    sources.push_back({"rules/" + std::string(embedded.name), std::string(embedded.content), true});
  return sources;
}

Result<std::vector<RuleSource>> rule_sources_from_path(const std::string& path) {
  namespace fs = std::filesystem;
  std::error_code ec;
  std::vector<std::string> files;
  if (fs::is_directory(path, ec)) {
    for (const auto& entry : fs::recursive_directory_iterator(path, ec)) {
      auto ext = entry.path().extension().string();
      if (entry.is_regular_file() && (ext == ".yml" || ext == ".yaml"))
        files.push_back(entry.path().string());
    }
    if (ec) return make_error("cannot list rules directory " + path + ": " + ec.message());
    std::sort(files.begin(), files.end());
    if (files.empty()) return make_error("rules directory " + path + " holds no .yml files");
  } else {
    files.push_back(path);
  }
  std::vector<RuleSource> sources;
  for (const auto& file : files) {
    KH_TRY_ASSIGN(auto text, read_whole_file(file));
    sources.push_back({file, std::move(text)});
  }
  return sources;
}

std::string parsing_fingerprint() {
  std::string out;
  for (const auto& [name, piece] : kPatternPieces) out += name + '\0' + piece + '\0';
  return out;
}

Result<RuleList> parse_rule_sources(const std::vector<RuleSource>& sources) {
  RuleList all;
  for (const auto& source : sources) {
    KH_TRY_ASSIGN(auto rules, parse_rule_file(source.text, source.name));
    for (auto& rule : rules) {
      rule.embedded = source.embedded;
      all.push_back(std::move(rule));
    }
  }
  KH_TRY(validate_rules(all));
  return all;
}

Status validate_rules(const RuleList& rules) {
  std::map<std::string, const Rule*> seen;
  for (const auto& rule : rules) {
    auto [it, inserted] = seen.emplace(rule.id, &rule);
    if (!inserted)
      return make_error(rule.file + ":" + std::to_string(rule.line) + ": duplicate rule id '" + rule.id +
                        "' (first defined at " + it->second->file + ":" + std::to_string(it->second->line) +
                        ")");
  }
  return Ok{};
}

}  // namespace keyhound
