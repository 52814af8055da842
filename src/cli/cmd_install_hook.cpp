// keyhound install-hook: writes a plain git pre-commit hook that runs `keyhound scan --staged`.
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <iostream>

#include "cli/common.hpp"
#include "source/git.hpp"
#include "util/file.hpp"

namespace keyhound::cli {
namespace {

struct InstallHookOptions {
  std::string repository = ".";
  bool force = false;
};

// The running binary, so the hook works without keyhound on PATH; PATH is the fallback.
std::string own_path() {
  std::error_code ec;
  auto path = std::filesystem::read_symlink("/proc/self/exe", ec);
  return ec ? std::string() : path.string();
}

std::string hook_script() {
  std::string binary = own_path();
  std::string script =
      "#!/bin/sh\n"
      "# keyhound pre-commit hook (written by `keyhound install-hook`).\n"
      "# Scans what this commit adds; a secret refuses the commit. Bypass once: git commit --no-verify\n";
  script += "keyhound=" + single_quoted(binary.empty() ? "keyhound" : binary) + "\n";
  script += "[ -x \"$keyhound\" ] || keyhound=keyhound\n";
  script += "exec \"$keyhound\" scan --staged\n";
  return script;
}

int run(const InstallHookOptions& options) {
  auto hooks = hooks_directory(options.repository);
  if (!hooks) return fail(hooks.error().message);
  std::filesystem::path hook = std::filesystem::path(*hooks) / "pre-commit";
  std::string script = hook_script();
  std::error_code ec;
  if (std::filesystem::exists(hook, ec)) {
    auto existing = read_whole_file(hook.string());
    if (existing && *existing == script) {
      std::cout << "keyhound pre-commit hook already installed: " << hook.string() << '\n';
      return kClean;
    }
    if (!options.force)
      return fail(hook.string() +
                  " exists and is not keyhound's hook; move it away, or use --force to replace it");
  }
  std::filesystem::create_directories(*hooks, ec);
  if (auto written = write_file_atomically(hook.string(), script); !written)
    return fail(written.error().message);
  if (::chmod(hook.c_str(), 0755) != 0) return fail("cannot make " + hook.string() + " executable");
  std::cout << "installed keyhound pre-commit hook: " << hook.string() << '\n';
  return kClean;
}

}  // namespace

void add_install_hook_command(CLI::App& app, int& exit_code) {
  auto options = std::make_shared<InstallHookOptions>();
  CLI::App* command =
      app.add_subcommand("install-hook", "Install a git pre-commit hook that runs `keyhound scan --staged`");
  command->add_option("repository", options->repository, "Repository (default: .)");
  command->add_flag("--force", options->force, "Replace an existing pre-commit hook that is not keyhound's");
  command->callback([options, &exit_code] { exit_code = run(*options); });
}

}  // namespace keyhound::cli
