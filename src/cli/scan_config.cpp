// Which .keyhound.yml a scan uses.
#include <filesystem>

#include "cli/scan_options.hpp"

namespace keyhound::cli {

Result<RepositoryConfig> find_scan_config(const ScanOptions& options, const RepositoryInfo* repository) {
  if (!options.config.empty()) {
    if (options.no_config) return make_error("--config and --no-config cannot be combined");
    return load_config(options.config);
  }
  if (options.no_config) return RepositoryConfig{};
  if (repository) return load_config_in(repository->root);
  std::string target = options.paths.empty() ? "." : options.paths.front();
  std::error_code ec;
  if (options.paths.size() <= 1 && target != "-" && std::filesystem::is_directory(target, ec))
    return load_config_in(target);
  return load_config_in(".");
}

}  // namespace keyhound::cli
