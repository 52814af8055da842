// Which commits a history scan covers: resolving refs to tips, and walking the commit graph.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "git/handles.hpp"
#include "git/warning.hpp"
#include "util/result.hpp"

namespace keyhound {

struct ScanTips {
  std::vector<git_oid> commits;
  std::vector<git_oid> trees;  // tags that point straight at a tree
  std::vector<git_oid> blobs;  // tags that point straight at a blob
};

// The chosen branches and revisions, or (when both are empty) every ref, HEAD and every entry
// of the stash reflog. A named branch or revision that does not resolve is an error.
Result<ScanTips> resolve_tips(git_repository* repo, const std::vector<std::string>& branches,
                              const std::vector<std::string>& revisions, const WarningSink& warn);

// Resolves one revision to a commit ("main", "v1.0", "HEAD~3", an oid).
Result<git_oid> resolve_commit(git_repository* repo, const std::string& revision);

struct CommitNode {
  git_oid id;
  git_oid tree;
  std::vector<git_oid> parents;       // parents inside the walk (what the order is built on)
  std::vector<git_oid> parent_trees;  // every readable parent's tree, also outside the walk, for diffs
  std::int64_t time = 0;
};

// Every commit reachable from `tips` and not from `hidden`, parents before children and older
// before newer otherwise. Missing objects are warnings; a shallow clone's boundary is not.
std::vector<CommitNode> walk_commits(git_repository* repo, const std::vector<git_oid>& tips,
                                     const std::vector<git_oid>& hidden, const WarningSink& warn);

}  // namespace keyhound
