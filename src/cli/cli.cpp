#include "cli/cli.hpp"

#include <exception>
#include <iostream>

#include "cli/common.hpp"

namespace keyhound {

int run_cli(int argc, char** argv) {
  CLI::App app{"keyhound: find hardcoded credentials in files and git history, and vault them"};
  app.set_version_flag("--version", std::string("keyhound ") + KEYHOUND_VERSION);
  app.require_subcommand(1);
  int exit_code = cli::kClean;
  cli::add_scan_command(app, exit_code);
  cli::add_rules_command(app, exit_code);
  cli::add_baseline_command(app, exit_code);
  cli::add_install_hook_command(app, exit_code);
  cli::add_vault_command(app, exit_code);
  cli::add_fix_command(app, exit_code);
  cli::add_alerts_command(app, exit_code);
  cli::add_version_command(app, exit_code);
  cli::add_lsp_command(app, exit_code);
  cli::add_completion_command(app, exit_code);  // last: it describes the commands above
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    int code = app.exit(e);
    return code == 0 ? cli::kClean : cli::kError;
  } catch (const std::exception& e) {
    // Messages of our own code never carry secret values; library messages name files only.
    return cli::fail(e.what());
  }
  return exit_code;
}

}  // namespace keyhound
