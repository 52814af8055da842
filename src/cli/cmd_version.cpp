// keyhound version: what a bug report needs: the version, the built-in rule set (count and
// hash, the same hash for the same rules) and the libraries that decide what is found.
#include <fmt/format.h>
#include <git2.h>
#include <hs/hs.h>

#include <iostream>

#include "cli/common.hpp"
#include "rules/loader.hpp"
#include "util/hash.hpp"

namespace keyhound::cli {
namespace {

// SHA-256 over every built-in rule file's name and bytes, in embedding order.
std::string builtin_rule_set_hash() {
  Sha256Builder hash;
  for (const auto& source : builtin_rule_sources()) {
    hash.update(source.name);
    hash.update(std::string_view("\0", 1));
    hash.update(source.text);
    hash.update(std::string_view("\0", 1));
  }
  return to_hex(hash.finish()).substr(0, 16);
}

int run_version() {
  auto rules = load_rules(RuleOptions{});
  if (!rules) return fail(rules.error().message);
  int major = 0, minor = 0, revision = 0;
  git_libgit2_version(&major, &minor, &revision);
  std::cout << fmt::format("keyhound {}\n", KEYHOUND_VERSION)
            << fmt::format("rules: {} built-in, set {}\n", rules->size(), builtin_rule_set_hash())
            << fmt::format("hyperscan: {}\n", hs_version())
            << fmt::format("libgit2: {}.{}.{}\n", major, minor, revision);
  return kClean;
}

}  // namespace

void add_version_command(CLI::App& app, int& exit_code) {
  CLI::App* version =
      app.add_subcommand("version", "Show the version, the rule set's hash and library versions");
  version->callback([&exit_code] { exit_code = run_version(); });
}

}  // namespace keyhound::cli
