// Provenance: for blobs that produced findings, the commits that introduced them at each path.
#pragma once

#include <string>
#include <vector>

#include "source/git_commits.hpp"
#include "source/git_pack.hpp"

namespace keyhound {

// For each wanted blob id (hex), one origin per path it was seen at: the oldest of `commits`
// (given oldest first) whose tree holds it there while no parent's did. Commits are diffed by
// `threads` workers, each with its own repository handle and (when `packs` is given) pack reader.
Result<Source::OriginMap> find_origins(git_repository* repo, const PackSet* packs, const std::vector<CommitNode>& commits,
                                       const std::vector<std::string>& blob_ids, unsigned threads);

}  // namespace keyhound
