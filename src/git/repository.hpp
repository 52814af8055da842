// Opening repositories and finding their object directories (internal to the git sources).
#pragma once

#include <string>
#include <vector>

#include "git/handles.hpp"
#include "util/result.hpp"

namespace keyhound {

// Opens the repository at or above `path`; "not a git repository" errors name the path.
Result<RepositoryPtr> open_repository(const std::string& path);

// Opens the repository whose git directory is exactly `git_dir` (a worker's own handle).
Result<RepositoryPtr> reopen_repository(const std::string& git_dir);

// The object directory and those named by objects/info/alternates, recursively.
std::vector<std::string> object_directories(git_repository* repo);

// Process-wide libgit2 settings for bulk reading, applied once per scan.
void tune_libgit2_for_scanning();

}  // namespace keyhound
