// Git sources: the history of a repository's refs, and the changes staged in its index.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "git/history.hpp"          // HistoryScope
#include "git/repository_info.hpp"  // describe_repository, hooks_directory
#include "git/warning.hpp"          // GitProblem
#include "source/source.hpp"

namespace keyhound {

using GitHistoryOptions = HistoryScope;

// Every distinct blob reachable from the chosen refs (default: every ref, HEAD and the stash
// reflog), each read once, in pack order. Blobs arrive without a path; resolve_origins finds
// the commits that introduced each one at each path.
std::unique_ptr<Source> make_git_history_source(GitHistoryOptions options, SourceOptions source_options);

// What the index ($GIT_INDEX_FILE when set) adds over HEAD: each changed blob with its staged
// path, and only its added lines count.
std::unique_ptr<Source> make_git_staged_source(std::string repository, SourceOptions source_options);

// The source's reason for a blob the git readers could not hand over.
SkipReason skip_reason(GitProblem problem);

}  // namespace keyhound
