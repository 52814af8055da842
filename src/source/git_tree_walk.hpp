// Walking trees: every blob below a set of trees (each tree read once), and the blobs a commit
// brings in over its parents.
#pragma once

#include <functional>
#include <set>
#include <string>
#include <unordered_set>
#include <vector>

#include "source/git_commits.hpp"

namespace keyhound {

using OidSet = std::unordered_set<git_oid, OidHash, OidEqual>;

class TreeWalker {
 public:
  TreeWalker(git_repository* repo, WarningSink warn) : repo_(repo), warn_(std::move(warn)) {}

  // Adds to `blobs` every blob below `tree`; trees already walked are skipped by id.
  void collect_blobs(const git_oid& tree, OidSet& blobs);

  // Calls `visit(blob, path)` for each blob of `tree` that no parent tree holds at the same
  // path with the same id; subtrees equal to a parent's at the same path are skipped whole.
  using BlobVisit = std::function<void(const git_oid&, const std::string&)>;
  void for_each_new_blob(const git_oid& tree, const std::vector<git_oid>& parent_trees, const BlobVisit& visit);

 private:
  TreePtr lookup(const git_oid& id);
  void new_blobs_below(const git_tree* tree, const std::vector<const git_tree*>& parents,
                       const std::string& prefix, const BlobVisit& visit);
  void note_submodule(const std::string& path, const git_oid& commit);

  git_repository* repo_;
  WarningSink warn_;
  OidSet walked_trees_;
  std::set<std::string> submodules_;
};

}  // namespace keyhound
