#include "support/support.hpp"

#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <random>
#include <sstream>

#include "support/build_paths.hpp"

namespace keyhound::testing {
namespace fs = std::filesystem;

TempDir::TempDir() {
  std::random_device random;
  for (int attempt = 0; attempt < 100; ++attempt) {
    fs::path candidate = fs::temp_directory_path() / ("keyhound-test-" + std::to_string(random()));
    if (fs::create_directory(candidate)) {
      path_ = candidate;
      return;
    }
  }
  throw std::runtime_error("cannot create a temp directory");
}

TempDir::~TempDir() {
  std::error_code ec;
  fs::permissions(path_, fs::perms::owner_all, fs::perm_options::add, ec);
  fs::remove_all(path_, ec);
}

fs::path TempDir::write(const std::string& relative, const std::string& content) const {
  fs::path target = path_ / relative;
  fs::create_directories(target.parent_path());
  std::ofstream(target, std::ios::binary) << content;
  return target;
}

std::string shell_quote(const std::string& text) {
  std::string out = "'";
  for (char c : text) {
    if (c == '\'')
      out += "'\\''";
    else
      out.push_back(c);
  }
  return out + "'";
}

std::string read_text(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream content;
  content << in.rdbuf();
  return content.str();
}

CommandResult run_command(const std::string& command_line, const std::string* input) {
  TempDir scratch;
  fs::path out_file = scratch.path() / "out", err_file = scratch.path() / "err",
           in_file = scratch.path() / "in";
  std::string redirect_in = "/dev/null";
  if (input) {
    std::ofstream(in_file, std::ios::binary) << *input;
    redirect_in = in_file.string();
  }
  std::string full = "( " + command_line + " ) <" + shell_quote(redirect_in) + " >" +
                     shell_quote(out_file.string()) + " 2>" + shell_quote(err_file.string());
  int status = std::system(full.c_str());
  CommandResult result;
  result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  result.out = read_text(out_file);
  result.err = read_text(err_file);
  return result;
}

std::string source_dir() {
  return KEYHOUND_SOURCE_DIR;
}

CommandResult run_keyhound(const std::vector<std::string>& args, const std::string& cwd,
                           const std::string* input) {
  // One database cache in the build tree, shared by every test process (ctest runs each test
  // in its own process): the rules compile once per build, not once per test.
  std::string line;
  if (!cwd.empty()) line += "cd " + shell_quote(cwd) + " && ";
  line += "KEYHOUND_CACHE_DIR=" + shell_quote(KEYHOUND_TEST_CACHE_DIR) + " " + shell_quote(KEYHOUND_BIN);
  for (const auto& arg : args) line += " " + shell_quote(arg);
  return run_command(line, input);
}

std::string user_fingerprint_key() {
  return read_text(std::filesystem::path(KEYHOUND_TEST_CACHE_DIR) / "fingerprint.key").substr(0, 64);
}

std::string base64(std::string_view bytes, bool url_safe, bool pad) {
  const char* alphabet = url_safe ? "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
                                  : "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  for (std::size_t i = 0; i < bytes.size(); i += 3) {
    std::uint32_t n = static_cast<unsigned char>(bytes[i]) << 16;
    if (i + 1 < bytes.size()) n |= static_cast<unsigned char>(bytes[i + 1]) << 8;
    if (i + 2 < bytes.size()) n |= static_cast<unsigned char>(bytes[i + 2]);
    out += alphabet[(n >> 18) & 63];
    out += alphabet[(n >> 12) & 63];
    if (i + 1 < bytes.size())
      out += alphabet[(n >> 6) & 63];
    else if (pad)
      out += '=';
    if (i + 2 < bytes.size())
      out += alphabet[n & 63];
    else if (pad)
      out += '=';
  }
  return out;
}

}  // namespace keyhound::testing
