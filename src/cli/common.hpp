// Pieces every command shares: exit codes, error printing, loading rules and the matcher.
#pragma once

#include <CLI/CLI.hpp>

#include <memory>
#include <string>
#include <vector>

#include "match/matcher.hpp"
#include "rules/rule.hpp"
#include "util/result.hpp"

namespace keyhound::cli {

enum ExitCode { kClean = 0, kFindings = 1, kError = 2 };

// Prints "keyhound: error: <message>" on stderr and returns kError.
int fail(const std::string& message);
void warn(const std::string& message);

struct RuleOptions {
  std::vector<std::string> rule_paths;  // --rules FILE|DIR, repeatable
  bool no_builtin = false;              // --no-builtin-rules
  bool no_cache = false;                // --no-cache
};
void add_rule_options(CLI::App& command, RuleOptions& options);

// Built-in rules (unless disabled) plus the user's, validated.
Result<RuleList> load_rules(const RuleOptions& options);

// Where compiled databases are cached: $KEYHOUND_CACHE_DIR, $XDG_CACHE_HOME/keyhound or
// ~/.cache/keyhound.
std::string default_cache_dir();

// The key for fingerprints of scans without a baseline: 64 random hex digits kept (mode 0600) in
// the cache directory as fingerprint.key, made on first use. With no cache directory to keep it
// in, a fresh key for this run only (fingerprints then change from run to run; says so once).
std::string user_fingerprint_key();

Result<std::unique_ptr<Matcher>> load_matcher(const RuleOptions& options);

// Registration of each subcommand; `exit_code` receives the command's result.
void add_scan_command(CLI::App& app, int& exit_code);
void add_rules_command(CLI::App& app, int& exit_code);
void add_baseline_command(CLI::App& app, int& exit_code);
void add_install_hook_command(CLI::App& app, int& exit_code);
void add_vault_command(CLI::App& app, int& exit_code);
void add_fix_command(CLI::App& app, int& exit_code);
void add_alerts_command(CLI::App& app, int& exit_code);
void add_import_gitleaks_command(CLI::App& rules, int& exit_code);  // under `rules`
void add_version_command(CLI::App& app, int& exit_code);
void add_lsp_command(CLI::App& app, int& exit_code);
void add_merge_command(CLI::App& app, int& exit_code);
void add_completion_command(CLI::App& app, int& exit_code);  // also the hidden `manpage`

}  // namespace keyhound::cli
