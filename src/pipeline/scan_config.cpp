// Which .keyhound.yml a scan uses.
#include <filesystem>

#include "pipeline/scan_with_options.hpp"

namespace keyhound {

Result<RepositoryConfig> find_scan_config(const ScanOptions& options) {
  if (!options.config.empty()) {
    if (options.no_config) return make_error("--config and --no-config cannot be combined");
    return load_config(options.config);
  }
  if (options.no_config) return RepositoryConfig{};
  // One rule for every kind of scan: the nearest config from the scanned path (the repository
  // argument of --git/--staged, stdin's current folder) up to the repository root.
  return find_nearest_config(options.paths.empty() ? "." : options.paths.front());
}

std::vector<std::string> walker_globs(const std::vector<std::string>& globs, const std::string& config_file,
                                      const std::string& scan_root) {
  namespace fs = std::filesystem;
  std::error_code ec;
  fs::path config_folder = fs::absolute(config_file, ec).parent_path();
  fs::path root = fs::absolute(scan_root, ec).lexically_normal();
  if (!root.has_filename()) root = root.parent_path();
  std::string prefix = root.lexically_relative(config_folder).generic_string();
  if (config_file.empty() || prefix.empty() || prefix == "." || prefix.rfind("..", 0) == 0) return globs;
  prefix += "/";
  // A glob with a slash is a path from the config's folder; the walker matches paths from the
  // scan root, so those under the root lose the root's part (keeping a leading '/': still
  // anchored at the root) and the others cannot match.
  std::vector<std::string> out;
  for (const auto& glob : globs) {
    if (glob.find('/') == std::string::npos) {
      out.push_back(glob);
      continue;
    }
    std::string path = glob.front() == '/' ? glob.substr(1) : glob;
    if (path.rfind(prefix, 0) == 0 && path.size() > prefix.size())
      out.push_back("/" + path.substr(prefix.size()));
  }
  return out;
}

}  // namespace keyhound
