// Helpers shared by the tests: temp directories, files, and running the built binary.
#pragma once

#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

namespace keyhound::testing {

// A fresh directory under the system temp dir, removed when the object goes away.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::filesystem::path& path() const { return path_; }
  std::string str() const { return path_.string(); }
  // Writes `content` to path()/relative, creating folders.
  std::filesystem::path write(const std::string& relative, const std::string& content) const;

 private:
  std::filesystem::path path_;
};

struct CommandResult {
  int exit_code = -1;
  std::string out;
  std::string err;
};

// Runs a shell command line; stdin is /dev/null unless `input` is given.
CommandResult run_command(const std::string& command_line, const std::string* input = nullptr);

// Runs the keyhound binary with these arguments (each shell-quoted), with a private cache dir.
CommandResult run_keyhound(const std::vector<std::string>& args, const std::string& cwd = "",
                           const std::string* input = nullptr);

std::string shell_quote(const std::string& text);
std::string source_dir();  // the repository root
std::string read_text(const std::filesystem::path& path);

// The key that scans without a baseline fingerprint with (the tests' cache dir holds it once a
// scan has run): fingerprint_of(user_fingerprint_key(), rule, secret) is what such a scan reports.
std::string user_fingerprint_key();

// RFC 4648 base64 of `bytes` (the URL-safe alphabet with `url_safe`; '=' padding unless !pad).
std::string base64(std::string_view bytes, bool url_safe = false, bool pad = true);

}  // namespace keyhound::testing
