// Walking trees: every blob below a tree (the staged source), every blob reachable from a set of
// trees, and the blobs a commit brings in over its parents (the last two over a TreeGraph).
#pragma once

#include <deque>
#include <functional>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "git/commits.hpp"
#include "git/tree_graph.hpp"

namespace keyhound {

// One tree object, parsed; entries point into `object`.
struct RawTree {
  struct Entry {
    std::uint32_t mode;
    std::string_view name;
    const git_oid* id;
    bool is_tree() const { return mode == 040000; }
  };
  OdbObjectPtr object;
  std::vector<Entry> entries;
};

// Reads trees one by one through libgit2 (for a single snapshot a graph of the whole history
// would not pay).
class TreeWalker {
 public:
  TreeWalker(git_repository* repo, WarningSink warn);

  // Calls `visit(blob, path)` for every blob below `tree` (each tree read once per call).
  using BlobVisit = std::function<void(const git_oid&, const std::string&)>;
  // `skip(tree, directory)` (directory "" or "a/b/"), when given, leaves out a subtree it
  // returns true for, unread.
  using TreeSkip = std::function<bool(const git_oid&, const std::string&)>;
  void for_each_blob(const git_oid& tree, const BlobVisit& visit, const TreeSkip& skip = nullptr);

 private:
  bool read_tree(const git_oid& id, RawTree& tree);

  OdbPtr odb_;
  WarningSink warn_;
};

// Every blob below a set of trees, each tree walked once over all calls. An unreadable tree is
// a warning (once), a submodule too (once per path: the first path it is met at).
class ReachableBlobs {
 public:
  ReachableBlobs(TreeGraph& graph, WarningSink warn);
  void add_tree(const git_oid& root);
  void add_blob(const git_oid& blob);
  // Each blob once, in the order met.
  std::vector<git_oid> blobs() const;

 private:
  void note_submodule(std::uint32_t link, std::string_view name, const git_oid& commit);

  TreeGraph& graph_;
  WarningSink warn_;
  std::vector<std::uint8_t> walked_trees_;  // by node
  std::vector<std::uint8_t> seen_blobs_;    // by node
  std::vector<TreeGraph::Node> found_;
  // Paths are only needed to name submodules: each pending tree keeps a link to its parent's.
  struct Link {
    std::uint32_t parent;
    std::uint32_t name;
  };
  std::vector<Link> links_;
  std::set<std::string> submodules_;
};

// The blobs a commit brings in over its parents: each blob of `tree` that no parent tree holds
// at the same path with the same id. Subtrees equal to a parent's at the same path are skipped
// whole. With `wanted`, only the blobs it marks (by node) are looked at. Unreadable trees and
// new submodules are warnings (submodules once per path) when `warn` is set.
class NewBlobFinder {
 public:
  NewBlobFinder(TreeGraph& graph, WarningSink warn);
  using Visit = std::function<void(TreeGraph::Node blob, const std::string& path)>;
  void run(const git_oid& tree, const std::vector<git_oid>& parent_trees, const Visit& visit,
           const std::vector<std::uint8_t>* wanted = nullptr);

 private:
  struct Level {
    std::vector<std::int64_t> shift;  // per parent
    std::vector<TreeGraph::Node> parent_subtrees;
    std::vector<TreeGraph::Node> readable;
  };
  void diff(TreeGraph::Node tree, std::size_t depth, const Visit& visit,
            const std::vector<std::uint8_t>* wanted);
  std::optional<std::uint32_t> find_in(TreeGraph::Node parent, std::uint32_t hint,
                                       TreeGraph::Entry entry) const;
  Level& level(std::size_t depth);

  TreeGraph& graph_;
  WarningSink warn_;
  std::string path_;
  std::deque<Level> levels_;  // scratch reused by every diff at that depth
  std::set<std::string> submodules_;
};

}  // namespace keyhound
