// Walking trees: every blob below a set of trees (each tree read once), and the blobs a commit
// brings in over its parents. Trees are parsed from their raw objects, without libgit2's
// per-tree allocations and object cache.
#pragma once

#include <functional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "source/git_commits.hpp"
#include "source/git_oid_table.hpp"
#include "source/git_pack.hpp"

namespace keyhound {

// One tree object, parsed; entries point into `packed` or `object`, whichever holds it.
struct RawTree {
  struct Entry {
    std::uint32_t mode;
    std::string_view name;
    const git_oid* id;
    bool is_tree() const { return mode == 040000; }
  };
  std::shared_ptr<const std::string> packed;
  OdbObjectPtr object;
  std::vector<Entry> entries;
};

class TreeWalker {
 public:
  // Trees are read from `packs` when given (through this walker's own reader), else and for
  // loose trees through libgit2.
  TreeWalker(git_repository* repo, WarningSink warn, const PackSet* packs = nullptr);

  // Adds to `blobs` every blob below `tree`; trees already walked are skipped by id.
  void collect_blobs(const git_oid& tree, OidTable& blobs);

  // Calls `visit(blob, path)` for every blob below `tree` (each tree read once per call).
  using BlobVisit = std::function<void(const git_oid&, const std::string&)>;
  void for_each_blob(const git_oid& tree, const BlobVisit& visit);

  // Calls `visit(blob, path)` for each blob of `tree` that no parent tree holds at the same
  // path with the same id; subtrees equal to a parent's at the same path are skipped whole.
  void for_each_new_blob(const git_oid& tree, const std::vector<git_oid>& parent_trees, const BlobVisit& visit);

 private:
  bool read_tree(const git_oid& id, RawTree& tree);
  void new_blobs_below(const RawTree& tree, const std::vector<const RawTree*>& parents, const std::string& prefix,
                       const BlobVisit& visit);
  void note_submodule(const std::string& path, const git_oid& commit);

  OdbPtr odb_;
  const PackSet* packs_ = nullptr;
  std::unique_ptr<PackReader> reader_;
  WarningSink warn_;
  OidTable walked_trees_;
  std::set<std::string> submodules_;
};

}  // namespace keyhound
