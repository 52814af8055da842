// Provenance: for blobs that produced findings, the commits that introduced them at each path.
#pragma once

#include <string>
#include <vector>

#include "source/git_commits.hpp"
#include "source/git_tree_graph.hpp"

namespace keyhound {

// For each wanted blob id (hex), one origin per path it was seen at: the oldest of `commits`
// (given oldest first) whose tree holds it there while no parent's did. Trees come from `graph`
// (read there as needed, silently: the scan gave the warnings); only subtrees that hold a
// wanted blob are compared.
Result<Source::OriginMap> find_origins(git_repository* repo, TreeGraph& graph,
                                       const std::vector<CommitNode>& commits,
                                       const std::vector<std::string>& blob_ids);

}  // namespace keyhound
