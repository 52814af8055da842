// Pieces every command shares: exit codes, error printing, the rule options.
#pragma once

#include <CLI/CLI.hpp>
#include <memory>
#include <string>
#include <vector>

#include "pipeline/rule_loading.hpp"

namespace keyhound::cli {

enum ExitCode { kClean = 0, kFindings = 1, kError = 2 };

// Prints "keyhound: error: <message>" on stderr and returns kError.
int fail(const std::string& message);
void warn(const std::string& message);

// TEXT as one POSIX shell word: 'it'\''s' (the hook script and the completion scripts).
std::string single_quoted(const std::string& text);

// --rules, --no-builtin-rules, --no-cache (RuleOptions: pipeline/rule_loading.hpp).
void add_rule_options(CLI::App& command, RuleOptions& options);

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
