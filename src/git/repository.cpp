// Opening repositories, their object directories, libgit2 tuning and the report's facts.
#include "git/repository.hpp"

#include <filesystem>
#include <fstream>
#include <set>

#include "git/repository_info.hpp"

namespace keyhound {
namespace fs = std::filesystem;

Result<RepositoryPtr> open_repository(const std::string& path) {
  std::error_code ec;
  if (!fs::exists(path, ec))
    return make_error("cannot open repository " + path + ": no such file or directory");
  git_repository* raw = nullptr;
  int code = git_repository_open_ext(&raw, path.c_str(), 0, nullptr);
  RepositoryPtr repo(raw);
  if (code == GIT_ENOTFOUND) return make_error("not a git repository (or any of its parents): " + path);
  if (code < 0) return make_error("cannot open repository " + path + ": " + git_error_text());
  return repo;
}

Result<RepositoryPtr> reopen_repository(const std::string& git_dir) {
  git_repository* raw = nullptr;
  int code = git_repository_open_ext(&raw, git_dir.c_str(), GIT_REPOSITORY_OPEN_NO_SEARCH, nullptr);
  RepositoryPtr repo(raw);
  if (code < 0) return make_error("cannot open repository " + git_dir + ": " + git_error_text());
  return repo;
}

std::vector<std::string> object_directories(git_repository* repo) {
  std::vector<std::string> out;
  std::set<std::string> seen;
  std::vector<fs::path> pending = {fs::path(git_repository_commondir(repo)) / "objects"};
  while (!pending.empty()) {
    fs::path dir = pending.back().lexically_normal();
    pending.pop_back();
    std::error_code ec;
    fs::path canonical = fs::weakly_canonical(dir, ec);
    if (ec || !seen.insert(canonical.string()).second) continue;
    out.push_back(canonical.string());
    // Alternates: one directory per line, relative ones to this object directory.
    std::ifstream alternates(canonical / "info" / "alternates");
    for (std::string line; std::getline(alternates, line);) {
      if (line.empty() || line[0] == '#') continue;
      fs::path alternate(line);
      pending.push_back(alternate.is_absolute() ? alternate : canonical / alternate);
    }
  }
  return out;
}

void tune_libgit2_for_scanning() {
  // Each blob is read exactly once: caching blobs only costs memory, and a SHA-1 check of every
  // object doubles the work of reading it (git cat-file does not check either; zlib's checksum
  // still catches a damaged object).
  git_libgit2_opts(GIT_OPT_SET_CACHE_OBJECT_LIMIT, GIT_OBJECT_BLOB, static_cast<size_t>(0));
  // Trees: the walks keep their own set of trees already seen, so caching them only fills
  // memory (and costs the time to free it at the end).
  git_libgit2_opts(GIT_OPT_SET_CACHE_OBJECT_LIMIT, GIT_OBJECT_TREE, static_cast<size_t>(0));
  git_libgit2_opts(GIT_OPT_ENABLE_STRICT_HASH_VERIFICATION, 0);
  // Map whole packs on 64-bit machines, as git does, instead of many small windows.
  git_libgit2_opts(GIT_OPT_SET_MWINDOW_SIZE, static_cast<size_t>(1) << 30);
  git_libgit2_opts(GIT_OPT_SET_MWINDOW_MAPPED_LIMIT, static_cast<size_t>(32) << 30);
}

std::string url_without_credentials(std::string url) {
  // Query and fragment first: `?access_token=...` and `#token` carry credentials as often as
  // userinfo does, and nothing a report needs lives there.
  if (std::size_t cut = url.find_first_of("?#"); cut != std::string::npos) url.erase(cut);
  std::size_t scheme = url.find("://");
  if (scheme == std::string::npos) return url;
  std::size_t host = scheme + 3;
  std::size_t slash = url.find('/', host);
  // The last '@' before the path: a password may itself hold an '@'.
  std::size_t at = url.rfind('@', slash == std::string::npos ? std::string::npos : slash);
  if (at != std::string::npos && at >= host) url.erase(host, at + 1 - host);
  return url;
}

Result<RepositoryInfo> describe_repository(const std::string& path) {
  GitLibrary library;
  KH_TRY_ASSIGN(auto repo, open_repository(path));
  RepositoryInfo info;
  const char* workdir = git_repository_workdir(repo.get());
  info.root = workdir ? workdir : git_repository_path(repo.get());
  if (info.root.size() > 1 && info.root.back() == '/') info.root.pop_back();
  git_oid head;
  if (git_reference_name_to_id(&head, repo.get(), "HEAD") == 0) info.head = oid_hex(head);
  git_remote* remote = nullptr;
  if (git_remote_lookup(&remote, repo.get(), "origin") == 0) {
    RemotePtr owned(remote);
    if (const char* url = git_remote_url(remote)) info.remote_url = url_without_credentials(url);
  }
  git_error_clear();
  return info;
}

Result<std::string> hooks_directory(const std::string& path) {
  GitLibrary library;
  KH_TRY_ASSIGN(auto repo, open_repository(path));
  git_config* raw = nullptr;
  if (git_repository_config_snapshot(&raw, repo.get()) == 0) {
    ConfigPtr config(raw);
    git_buf value = GIT_BUF_INIT;
    if (git_config_get_path(&value, config.get(), "core.hooksPath") == 0) {
      fs::path hooks(std::string(value.ptr, value.size));
      git_buf_dispose(&value);
      if (hooks.is_relative()) {
        const char* workdir = git_repository_workdir(repo.get());
        hooks = fs::path(workdir ? workdir : git_repository_path(repo.get())) / hooks;
      }
      return hooks.lexically_normal().string();
    }
  }
  git_error_clear();
  return (fs::path(git_repository_commondir(repo.get())) / "hooks").lexically_normal().string();
}

}  // namespace keyhound
