// keyhound lsp: the language server on stdin/stdout (src/lsp); this file only wires options.
#include <unistd.h>

#include "cli/common.hpp"
#include "lsp/server.hpp"
#include "util/size.hpp"

namespace keyhound::cli {
namespace {

struct LspOptions {
  RuleOptions rules;
  std::string max_file_size = "16M";
  std::string baseline;
  std::string min_confidence;
  int debounce_ms = 150;
};

int run(const LspOptions& options) {
  auto max_size = parse_size(options.max_file_size);
  if (!max_size) return fail(max_size.error().message);
  if (options.debounce_ms < 0 || options.debounce_ms > 10'000)
    return fail("--debounce: give 0 to 10000 milliseconds");
  lsp::ServerSettings settings;
  settings.debounce = std::chrono::milliseconds(options.debounce_ms);
  settings.version = KEYHOUND_VERSION;
  lsp::WorkspaceSettings& workspace = settings.workspace;
  workspace.max_file_size = *max_size;
  workspace.baseline_file = options.baseline;
  if (!options.min_confidence.empty()) {
    workspace.min_confidence = confidence_from(options.min_confidence);
    if (!workspace.min_confidence)
      return fail("--min-confidence: expected low, medium or high, not '" + options.min_confidence + "'");
  }
  workspace.user_fingerprint_key = user_fingerprint_key(warn);
  RuleOptions rules = options.rules;
  workspace.load_matcher = [rules](const std::vector<std::string>& extra) {
    RuleOptions with_extra = rules;
    with_extra.rule_paths.insert(with_extra.rule_paths.end(), extra.begin(), extra.end());
    return load_matcher(with_extra);
  };
  return lsp::run_server(STDIN_FILENO, STDOUT_FILENO, std::move(settings));
}

}  // namespace

void add_lsp_command(CLI::App& app, int& exit_code) {
  auto options = std::make_shared<LspOptions>();
  CLI::App* lsp =
      app.add_subcommand("lsp", "Language server (LSP 3.17 on stdin/stdout): flags secrets as you type");
  add_rule_options(*lsp, options->rules);
  lsp->add_option("--max-file-size", options->max_file_size, "Buffers larger than this are not scanned")
      ->capture_default_str();
  lsp->add_option("--baseline", options->baseline,
                  "Baseline file, relative to the workspace (default: .keyhound-baseline.json)")
      ->type_name("FILE");
  lsp->add_option("--min-confidence", options->min_confidence,
                  "Show findings at this confidence or above (default: the config's, else medium)")
      ->type_name("LEVEL");
  lsp->add_option("--debounce", options->debounce_ms, "Milliseconds after the last change before a rescan")
      ->capture_default_str();
  lsp->callback([options, &exit_code] { exit_code = run(*options); });
}

}  // namespace keyhound::cli
