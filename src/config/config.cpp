#include "config/config.hpp"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <filesystem>

#include "util/file.hpp"
#include "util/shown_value.hpp"
#include "util/unknown_key.hpp"

namespace keyhound {
namespace {

std::string at(const std::string& file, const YAML::Mark& mark) {
  return file + ":" + std::to_string(mark.line + 1) + ":" + std::to_string(mark.column + 1);
}

Result<std::vector<std::string>> string_list(const YAML::Node& node, const std::string& file,
                                             const std::string& key) {
  if (node.IsNull()) return std::vector<std::string>{};
  if (!node.IsSequence())
    return make_error(at(file, node.Mark()) + ": " + key + ": expected a list of strings");
  std::vector<std::string> out;
  for (const auto& item : node) {
    if (!item.IsScalar() || item.Scalar().empty())
      return make_error(at(file, item.Mark()) + ": " + key + ": expected a list of non-empty strings");
    out.push_back(item.Scalar());
  }
  return out;
}

Status check_keys(const YAML::Node& map, const std::string& file, const std::string& where,
                  std::initializer_list<std::string_view> known) {
  for (const auto& item : map) {
    std::string key = item.first.Scalar();
    if (std::find(known.begin(), known.end(), key) != known.end()) continue;
    return unknown_key_error(at(file, item.first.Mark()), where + key, known);
  }
  return Ok{};
}

// yaml-cpp keeps one of two equal keys without a word; a security setting silently lost to a
// pasted duplicate is worse than an error, so every mapping is checked, nested ones too.
Status check_duplicate_keys(const YAML::Node& node, const std::string& file) {
  if (node.IsMap()) {
    std::vector<std::pair<std::string, YAML::Mark>> seen;
    for (const auto& item : node) {
      std::string key = item.first.IsScalar() ? item.first.Scalar() : "";
      for (const auto& [name, mark] : seen)
        if (name == key)
          return make_error(at(file, item.first.Mark()) + ": duplicate key '" + key + "' (first at line " +
                            std::to_string(mark.line + 1) + ")");
      seen.emplace_back(key, item.first.Mark());
      KH_TRY(check_duplicate_keys(item.second, file));
    }
  } else if (node.IsSequence()) {
    for (const auto& item : node) KH_TRY(check_duplicate_keys(item, file));
  }
  return Ok{};
}

Status read_allowlist(const YAML::Node& node, const std::string& file, RepositoryConfig& config) {
  if (node.IsNull()) return Ok{};
  if (!node.IsMap())
    return make_error(at(file, node.Mark()) + ": allowlist: expected a mapping (regexes, paths, stopwords)");
  KH_TRY(check_keys(node, file, "allowlist.", {"regexes", "paths", "stopwords"}));
  struct Field {
    const char* key;
    std::vector<std::string>* target;
  };
  for (Field field : {Field{"regexes", &config.allow_regexes}, Field{"paths", &config.allow_paths},
                      Field{"stopwords", &config.stopwords}}) {
    if (!node[field.key]) continue;
    KH_TRY_ASSIGN(auto list, string_list(node[field.key], file, std::string("allowlist.") + field.key));
    *field.target = std::move(list);
  }
  return Ok{};
}

}  // namespace

Result<RepositoryConfig> parse_config(std::string_view text, const std::string& file) {
  YAML::Node root;
  try {
    root = YAML::Load(std::string(text));
  } catch (const YAML::ParserException& e) {
    return make_error(at(file, e.mark) + ": malformed YAML: " + e.msg);
  }
  RepositoryConfig config;
  config.file = file;
  if (root.IsNull()) return config;  // an empty file is a valid, empty config
  if (!root.IsMap()) return make_error(at(file, root.Mark()) + ": expected a mapping of settings");
  KH_TRY(check_duplicate_keys(root, file));
  KH_TRY(check_keys(root, file, "",
                    {"exclude", "rules", "allowlist", "disable", "min_confidence", "allow_foreign_comments",
                     "events_bus"}));

  auto list = [&](const char* key, std::vector<std::string>& target) -> Status {
    if (!root[key]) return Ok{};
    KH_TRY_ASSIGN(auto values, string_list(root[key], file, key));
    target = std::move(values);
    return Ok{};
  };
  KH_TRY(list("exclude", config.excludes));
  KH_TRY(list("rules", config.rule_paths));
  KH_TRY(list("disable", config.disabled_rules));
  if (root["allowlist"]) KH_TRY(read_allowlist(root["allowlist"], file, config));
  if (const YAML::Node& level = root["min_confidence"]) {
    std::string value = level.IsScalar() ? level.Scalar() : "";
    config.min_confidence = confidence_from(value);
    if (!config.min_confidence)
      return make_error(at(file, level.Mark()) + ": min_confidence: expected low, medium or high, not " +
                        shown_value(value));
  }

  if (const YAML::Node& foreign = root["allow_foreign_comments"]) {
    std::string value = foreign.IsScalar() ? foreign.Scalar() : "";
    if (value != "true" && value != "false")
      return make_error(at(file, foreign.Mark()) + ": allow_foreign_comments: expected true or false, not " +
                        shown_value(value));
    config.allow_foreign_comments = value == "true";
  }

  if (const YAML::Node& bus = root["events_bus"]) {
    std::string value = bus.IsScalar() ? bus.Scalar() : "";
    bool plausible =
        !value.empty() && value.size() <= 1600 &&
        std::none_of(value.begin(), value.end(), [](unsigned char c) { return c <= ' ' || c == 0x7f; });
    if (!plausible)
      return make_error(at(file, bus.Mark()) + ": events_bus: expected an EventBridge bus name or ARN, not " +
                        shown_value(value));
    config.events_bus = value;
  }

  // Rule paths are relative to the config file, wherever keyhound runs from.
  std::filesystem::path folder = std::filesystem::path(file).parent_path();
  for (auto& path : config.rule_paths)
    if (std::filesystem::path(path).is_relative() && !folder.empty())
      path = (folder / path).lexically_normal().string();
  return config;
}

Result<RepositoryConfig> load_config(const std::string& file) {
  KH_TRY_ASSIGN(auto text, read_whole_file(file));
  return parse_config(text, file);
}

Result<RepositoryConfig> find_nearest_config(const std::string& scanned_path) {
  namespace fs = std::filesystem;
  std::error_code ec;
  fs::path start =
      fs::absolute(scanned_path.empty() || scanned_path == "-" ? "." : scanned_path, ec).lexically_normal();
  if (!start.has_filename()) start = start.parent_path();  // "dir/" -> "dir"
  if (!fs::is_directory(start, ec)) start = start.parent_path();
  // The repository root: the nearest folder above (or at) the start holding .git (a directory,
  // or a file in worktrees and submodules). Without one, only the start folder is looked in.
  fs::path root;
  for (fs::path folder = start;; folder = folder.parent_path()) {
    if (fs::exists(folder / ".git", ec)) {
      root = folder;
      break;
    }
    if (folder == folder.root_path() || folder.empty()) break;
  }
  for (fs::path folder = start;; folder = folder.parent_path()) {
    fs::path candidate = folder / kConfigFileName;
    if (fs::is_regular_file(candidate, ec)) {
      // Named from the current folder when it is below it ("repo/.keyhound.yml"), else in full.
      fs::path shown = candidate.lexically_relative(fs::current_path(ec));
      if (shown.empty() || *shown.begin() == "..") shown = candidate;
      return load_config(shown.string());
    }
    if (root.empty() || folder == root || folder == folder.root_path() || folder.empty()) break;
  }
  return RepositoryConfig{};
}

Result<RepositoryConfig> load_config_in(const std::string& directory) {
  std::filesystem::path candidate = std::filesystem::path(directory) / kConfigFileName;
  std::error_code ec;
  if (!std::filesystem::is_regular_file(candidate, ec)) return RepositoryConfig{};
  return load_config(directory == "." ? std::string(kConfigFileName) : candidate.string());
}

}  // namespace keyhound
