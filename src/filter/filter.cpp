#include "filter/filter.hpp"

#include <algorithm>
#include <cctype>

#include "source/directory.hpp"

namespace keyhound {
namespace {

std::string lowercase(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(), [](unsigned char c) { return std::tolower(c); });
  return text;
}

}  // namespace

Result<FindingFilter> FindingFilter::make(const RepositoryConfig& config, const RuleList& rules) {
  FindingFilter filter;
  for (const auto& id : config.disabled_rules) {
    auto known = std::find_if(rules.begin(), rules.end(), [&](const Rule& rule) { return rule.id == id; });
    if (known == rules.end())
      return make_error(config.file + ": disable: unknown rule id '" + id + "' (see `keyhound rules list`)");
    filter.dropped_rules_.insert(id);
  }
  for (std::size_t i = 0; i < config.allow_regexes.size(); ++i) {
    RE2::Options options;
    options.set_log_errors(false);
    auto regex = std::make_unique<RE2>(config.allow_regexes[i], options);
    if (!regex->ok())
      return make_error(config.file + ": allowlist.regexes[" + std::to_string(i) + "]: " + regex->error());
    filter.regexes_.push_back(std::move(regex));
  }
  for (const auto& word : config.stopwords) filter.stopwords_.push_back(lowercase(word));
  filter.path_globs_ = config.excludes;
  filter.path_globs_.insert(filter.path_globs_.end(), config.allow_paths.begin(), config.allow_paths.end());
  return filter;
}

bool FindingFilter::empty() const {
  return dropped_rules_.empty() && regexes_.empty() && stopwords_.empty() && path_globs_.empty();
}

bool FindingFilter::allows_secret(const std::string& secret) const {
  for (const auto& regex : regexes_)
    if (RE2::PartialMatch(secret, *regex)) return true;
  if (stopwords_.empty()) return false;
  std::string lower = lowercase(secret);
  return std::any_of(stopwords_.begin(), stopwords_.end(),
                     [&](const std::string& word) { return lower.find(word) != std::string::npos; });
}

std::uint64_t FindingFilter::apply(std::vector<Finding>& findings) const {
  if (empty()) return 0;
  std::uint64_t dropped = 0;
  std::vector<Finding> kept;
  for (auto& finding : findings) {
    if (!path_globs_.empty()) {
      // Git history reaches paths the walker never excluded; directory scans were filtered already.
      std::erase_if(finding.locations, [&](const Location& location) {
        std::string path = location.origin.path;
        if (path.rfind("./", 0) == 0) path.erase(0, 2);
        return path_excluded(path, path_globs_);
      });
    }
    if (finding.locations.empty() || dropped_rules_.count(finding.rule_id) || allows_secret(finding.secret)) {
      ++dropped;
      continue;
    }
    kept.push_back(std::move(finding));
  }
  findings = std::move(kept);
  return dropped;
}

}  // namespace keyhound
