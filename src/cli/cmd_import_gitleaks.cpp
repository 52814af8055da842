// keyhound rules import-gitleaks FILE.toml: a team's gitleaks rules as a keyhound rule file.
#include <iostream>

#include "cli/common.hpp"
#include "rules/import_gitleaks.hpp"
#include "util/file.hpp"

namespace keyhound::cli {
namespace {

struct ImportOptions {
  std::string input;
  std::string output;         // rule file; stdout when empty
  std::string config_output;  // allowlist settings for .keyhound.yml
  std::string prefix = "custom";
  bool skip_untranslatable = false;
};

int run_import(const ImportOptions& options) {
  auto text = read_whole_file(options.input);
  if (!text) return fail(text.error().message);
  auto imported = import_gitleaks(*text, options.input, GitleaksImportOptions{options.prefix});
  if (!imported) return fail(imported.error().message);
  for (const auto& problem : imported->problems)
    std::cerr << "keyhound: " << (options.skip_untranslatable ? "warning: skipped: " : "error: ") << problem
              << '\n';
  if (!imported->problems.empty() && !options.skip_untranslatable)
    return fail(std::to_string(imported->problems.size()) +
                " part(s) do not translate; nothing written (--skip-untranslatable writes the rest)");
  for (const auto& note : imported->notes) warn(note);
  if (imported->converted == 0) return fail("no rule of " + options.input + " translates");

  if (options.output.empty())
    std::cout << imported->rules_yaml;
  else if (auto written = write_file_atomically(options.output, imported->rules_yaml); !written)
    return fail(written.error().message);
  if (!imported->config_yaml.empty()) {
    if (options.config_output.empty())
      std::cerr << "keyhound: add to .keyhound.yml (or use --config-output FILE):\n" << imported->config_yaml;
    else if (auto written = write_file_atomically(options.config_output, imported->config_yaml); !written)
      return fail(written.error().message);
  }
  std::cerr << "keyhound: " << imported->converted << " rule(s) converted\n";
  return kClean;
}

}  // namespace

void add_import_gitleaks_command(CLI::App& rules, int& exit_code) {
  auto options = std::make_shared<ImportOptions>();
  CLI::App* command =
      rules.add_subcommand("import-gitleaks", "Convert gitleaks rules (TOML) into a keyhound rule file");
  command->add_option("file", options->input, "gitleaks configuration (.toml)")->required();
  command->add_option("-o,--output", options->output, "Write the rules to FILE instead of stdout")
      ->type_name("FILE");
  command
      ->add_option("--config-output", options->config_output,
                   "Write the allowlists (.keyhound.yml settings) to FILE")
      ->type_name("FILE");
  command->add_option("--prefix", options->prefix, "Provider part of the new rule ids (default: custom)")
      ->type_name("NAME");
  command->add_flag("--skip-untranslatable", options->skip_untranslatable,
                    "Write the rules that translate even when others do not");
  command->callback([options, &exit_code] { exit_code = run_import(*options); });
}

}  // namespace keyhound::cli
