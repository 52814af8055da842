// Loading the rule set and the matcher, the cache directory and the user's fingerprint key.
#include "pipeline/rule_loading.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>

#include "rules/rule_cache.hpp"
#include "util/file.hpp"
#include "util/hash.hpp"

namespace keyhound {

Result<RuleList> load_rules(const RuleOptions& options, RuleExamples examples) {
  std::vector<RuleSource> sources;  // the user's; the built-in ones are read only when parsed
  for (const auto& path : options.rule_paths) {
    KH_TRY_ASSIGN(auto extra, rule_sources_from_path(path));
    for (auto& source : extra) sources.push_back(std::move(source));
  }
  if (options.no_builtin && sources.empty())
    return make_error("no rules: --no-builtin-rules needs --rules FILE|DIR");
  KH_TRY_ASSIGN(auto rules,
                load_rules_cached(!options.no_builtin, sources, options.no_cache ? "" : default_cache_dir(),
                                  nullptr, examples));
  if (rules.empty()) return make_error("no rules: the rule files hold none");
  return rules;
}

Result<std::unique_ptr<Matcher>> load_matcher(const RuleOptions& options, RuleExamples examples) {
  KH_TRY_ASSIGN(auto rules, load_rules(options, examples));
  MatcherOptions matcher_options;
  if (!options.no_cache) matcher_options.cache_dir = default_cache_dir();
  return Matcher::build(std::move(rules), matcher_options);
}

std::string default_cache_dir() {
  if (const char* dir = std::getenv("KEYHOUND_CACHE_DIR"); dir && *dir) return dir;
  if (const char* dir = std::getenv("XDG_CACHE_HOME"); dir && *dir) return std::string(dir) + "/keyhound";
  if (const char* home = std::getenv("HOME"); home && *home) return std::string(home) + "/.cache/keyhound";
  return {};
}

std::string user_fingerprint_key(const std::function<void(const std::string&)>& warn) {
  std::string dir = default_cache_dir();
  auto valid = [](const std::string& key) {
    return key.size() == 64 && key.find_first_not_of("0123456789abcdef") == std::string::npos;
  };
  if (!dir.empty()) {
    std::string path = dir + "/fingerprint.key";
    for (int attempt = 0; attempt < 2; ++attempt) {
      if (auto text = read_whole_file(path, 4096)) {
        std::string key = text->substr(0, text->find_first_of("\r\n"));
        if (valid(key)) return key;
        break;  // damaged: do not guess, do not overwrite a file we did not make
      }
      std::error_code ec;
      std::filesystem::create_directories(dir, ec);
      // O_EXCL: two scans starting together agree on the first key written.
      int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
      if (fd < 0) continue;  // another scan made it first (read it), or no permission
      std::string key = random_hex(32);
      std::string line = key + "\n";
      bool written =
          !key.empty() && ::write(fd, line.data(), line.size()) == static_cast<ssize_t>(line.size());
      ::close(fd);
      if (written) return key;
      ::unlink(path.c_str());
      break;
    }
    if (warn)
      warn("cannot keep a fingerprint key in " + path +
           ": fingerprints of this scan are keyed for this run only (use --baseline for stable ones)");
  }
  return random_hex(32);
}

}  // namespace keyhound
