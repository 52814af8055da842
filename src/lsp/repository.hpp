// The two things "Move to Secrets Manager" needs from the workspace's git repository: the name
// `keyhound vault` gives it in secret names, and a place to keep the buffer's bytes so that the
// vault can still re-read the secret after the editor has replaced the literal.
#pragma once

#include <string>
#include <string_view>

#include "util/result.hpp"

namespace keyhound::lsp {

// What `keyhound vault` run in `folder` puts for {repo} in the secret name: the repository's
// work-tree folder name (the folder's own name outside a repository).
std::string vault_repository_name(const std::string& folder);

bool in_git_repository(const std::string& folder);

// Writes `bytes` as a loose blob into the object database of the repository holding `folder`
// (nothing when it is there already) and returns its id. The object is unreachable: no commit
// refers to it, and `git gc` prunes it after its grace period (`git prune` at once).
Result<std::string> keep_blob(const std::string& folder, std::string_view bytes);

}  // namespace keyhound::lsp
