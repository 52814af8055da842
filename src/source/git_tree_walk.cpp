// Tree walks for the history source and for provenance.
#include "source/git_tree_walk.hpp"

namespace keyhound {

TreePtr TreeWalker::lookup(const git_oid& id) {
  git_tree* raw = nullptr;
  if (git_tree_lookup(&raw, repo_, &id) != 0) {
    warn_({SkipReason::unreadable, oid_hex(id), "tree missing or corrupt, skipped: " + git_error_text()});
    git_error_clear();
    return nullptr;
  }
  return TreePtr(raw);
}

void TreeWalker::note_submodule(const std::string& path, const git_oid& commit) {
  if (!submodules_.insert(path).second) return;
  warn_({SkipReason::other, path, "submodule (commit " + oid_hex(commit) + ") listed, not entered"});
}

void TreeWalker::collect_blobs(const git_oid& root, OidSet& blobs) {
  // Paths are only needed to name submodules, so they travel with the pending trees.
  std::vector<std::pair<git_oid, std::string>> pending;
  if (walked_trees_.insert(root).second) pending.emplace_back(root, "");
  while (!pending.empty()) {
    auto [id, prefix] = std::move(pending.back());
    pending.pop_back();
    TreePtr tree = lookup(id);
    if (!tree) continue;
    std::size_t count = git_tree_entrycount(tree.get());
    for (std::size_t i = 0; i < count; ++i) {
      const git_tree_entry* entry = git_tree_entry_byindex(tree.get(), i);
      const git_oid* entry_id = git_tree_entry_id(entry);
      switch (git_tree_entry_filemode(entry)) {
        case GIT_FILEMODE_TREE:
          if (walked_trees_.insert(*entry_id).second)
            pending.emplace_back(*entry_id, prefix + git_tree_entry_name(entry) + "/");
          break;
        case GIT_FILEMODE_COMMIT: note_submodule(prefix + git_tree_entry_name(entry), *entry_id); break;
        default: blobs.insert(*entry_id); break;
      }
    }
  }
}

void TreeWalker::for_each_new_blob(const git_oid& root, const std::vector<git_oid>& parent_roots,
                                   const BlobVisit& visit) {
  TreePtr tree = lookup(root);
  if (!tree) return;
  std::vector<TreePtr> owned;
  std::vector<const git_tree*> parents;
  for (const auto& id : parent_roots) {
    if (git_oid_equal(&id, &root)) return;  // nothing changed at all
    if (TreePtr parent = lookup(id)) {
      parents.push_back(parent.get());
      owned.push_back(std::move(parent));
    }
  }
  new_blobs_below(tree.get(), parents, "", visit);
}

void TreeWalker::new_blobs_below(const git_tree* tree, const std::vector<const git_tree*>& parents,
                                 const std::string& prefix, const BlobVisit& visit) {
  std::size_t count = git_tree_entrycount(tree);
  for (std::size_t i = 0; i < count; ++i) {
    const git_tree_entry* entry = git_tree_entry_byindex(tree, i);
    const char* name = git_tree_entry_name(entry);
    const git_oid* id = git_tree_entry_id(entry);
    git_filemode_t mode = git_tree_entry_filemode(entry);
    bool is_tree = mode == GIT_FILEMODE_TREE;
    bool unchanged = false;
    std::vector<git_oid> parent_subtrees;
    for (const git_tree* parent : parents) {
      const git_tree_entry* before = git_tree_entry_byname(parent, name);
      if (!before) continue;
      bool before_is_tree = git_tree_entry_filemode(before) == GIT_FILEMODE_TREE;
      if (before_is_tree == is_tree && git_oid_equal(git_tree_entry_id(before), id)) {
        unchanged = true;
        break;
      }
      if (is_tree && before_is_tree) parent_subtrees.push_back(*git_tree_entry_id(before));
    }
    if (unchanged) continue;
    std::string path = prefix + name;
    if (mode == GIT_FILEMODE_COMMIT) {
      note_submodule(path, *id);
    } else if (!is_tree) {
      visit(*id, path);
    } else if (TreePtr subtree = lookup(*id)) {
      std::vector<TreePtr> owned;
      std::vector<const git_tree*> below;
      for (const auto& parent_id : parent_subtrees)
        if (TreePtr parent = lookup(parent_id)) {
          below.push_back(parent.get());
          owned.push_back(std::move(parent));
        }
      new_blobs_below(subtree.get(), below, path + "/", visit);
    }
  }
}

}  // namespace keyhound
