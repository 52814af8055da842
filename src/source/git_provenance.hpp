// Provenance: for blobs that produced findings, the commits that introduced them at each path.
#pragma once

#include <string>
#include <vector>

#include "source/git_commits.hpp"
#include "source/git_tree_graph.hpp"

namespace keyhound {

// For each wanted blob id (hex), one origin per path it was seen at: the oldest of `commits`
// (given oldest first) whose tree holds it there while no parent's did. Trees come from `graph`
// (read there as needed, silently: the scan gave the warnings); only the wanted blobs are
// compared. `threads` > 1 replays ranges of commits at once, and is only for a graph that
// already holds every tree the commits reach (after a ReachableBlobs walk over all of them).
Result<Source::OriginMap> find_origins(git_repository* repo, TreeGraph& graph,
                                       const std::vector<CommitNode>& commits,
                                       const std::vector<std::string>& blob_ids, unsigned threads = 1);

}  // namespace keyhound
