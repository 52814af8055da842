// Git sources: the history of a repository's refs, and the changes staged in its index.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "source/source.hpp"

namespace keyhound {

struct GitHistoryOptions {
  std::string repository = ".";       // a work tree, a .git directory or a bare repository
  std::vector<std::string> branches;  // --branch NAME: refs/heads/NAME (or a remote branch)
  std::vector<std::string> refs;      // --ref REV: any revision git understands
  std::string since;                  // --since REV: only what commits after REV introduced
};

// Every distinct blob reachable from the chosen refs (default: every ref, HEAD and the stash
// reflog), each read once, in pack order. Blobs arrive without a path; resolve_origins finds
// the commits that introduced each one at each path.
std::unique_ptr<Source> make_git_history_source(GitHistoryOptions options, SourceOptions source_options);

// What the index ($GIT_INDEX_FILE when set) adds over HEAD: each changed blob with its staged
// path, and only its added lines count.
std::unique_ptr<Source> make_git_staged_source(std::string repository, SourceOptions source_options);

// Facts for the report header.
struct RepositoryInfo {
  std::string root;        // work tree, or the git directory of a bare repository
  std::string head;        // HEAD's commit id, empty before the first commit
  std::string remote_url;  // remote "origin", if any
};
Result<RepositoryInfo> describe_repository(const std::string& path);

// Where git runs this repository's hooks: core.hooksPath (relative to the work tree) or
// <git common dir>/hooks.
Result<std::string> hooks_directory(const std::string& path);

}  // namespace keyhound
