// Tree walks for the history source, --since and provenance.
#include "source/git_tree_walk.hpp"

#include <algorithm>
#include <cstring>

namespace keyhound {
namespace {

// A tree object is a run of "<octal mode> <name>\0<20-byte id>".
bool parse_tree(std::string_view data, std::vector<RawTree::Entry>& entries) {
  entries.clear();
  while (!data.empty()) {
    std::uint32_t mode = 0;
    std::size_t at = 0;
    while (at < data.size() && data[at] >= '0' && data[at] <= '7') mode = mode * 8 + (data[at++] - '0');
    if (at == 0 || at >= data.size() || data[at] != ' ') return false;
    std::size_t name_end = data.find('\0', at + 1);
    if (name_end == std::string_view::npos || data.size() - name_end - 1 < GIT_OID_RAWSZ) return false;
    entries.push_back({mode, data.substr(at + 1, name_end - at - 1),
                       reinterpret_cast<const git_oid*>(data.data() + name_end + 1)});
    data.remove_prefix(name_end + 1 + GIT_OID_RAWSZ);
  }
  return true;
}

// Git's tree order: names compared bytewise, a tree's name as if it ended in '/'.
bool entry_before(const RawTree::Entry& entry, std::string_view name, bool is_tree) {
  std::size_t common = std::min(entry.name.size(), name.size());
  int compared = std::memcmp(entry.name.data(), name.data(), common);
  if (compared != 0) return compared < 0;
  auto next = [common](std::string_view text, bool tree) -> unsigned {
    return text.size() > common ? static_cast<unsigned char>(text[common]) : (tree ? '/' : 0);
  };
  return next(entry.name, entry.is_tree()) < next(name, is_tree);
}

}  // namespace

TreeWalker::TreeWalker(git_repository* repo, WarningSink warn, const PackSet* packs)
    : packs_(packs), warn_(std::move(warn)) {
  git_odb* raw = nullptr;
  if (git_repository_odb(&raw, repo) == 0) odb_.reset(raw);
  // Trees are small and each is read about once: a modest cache keeps delta bases at hand.
  if (packs_) reader_ = std::make_unique<PackReader>(*packs_, std::size_t{16} << 20);
}

bool TreeWalker::read_tree(const git_oid& id, RawTree& tree) {
  tree.object.reset();
  tree.packed.reset();
  if (reader_) {
    if (auto position = packs_->find(id)) {
      auto object = reader_->read(*position);
      if (object && object->type == GIT_OBJECT_TREE && parse_tree(*object->bytes, tree.entries)) {
        tree.packed = std::move(object->bytes);
        return true;
      }
    }
  }
  git_odb_object* raw = nullptr;
  if (!odb_ || git_odb_read(&raw, odb_.get(), &id) != 0) {
    warn_({SkipReason::unreadable, oid_hex(id), "tree missing or corrupt, skipped: " + git_error_text()});
    git_error_clear();
    return false;
  }
  tree.object.reset(raw);
  std::string_view data(static_cast<const char*>(git_odb_object_data(raw)), git_odb_object_size(raw));
  if (git_odb_object_type(raw) != GIT_OBJECT_TREE || !parse_tree(data, tree.entries)) {
    warn_({SkipReason::unreadable, oid_hex(id), "not a valid tree object, skipped"});
    return false;
  }
  return true;
}

void TreeWalker::note_submodule(const std::string& path, const git_oid& commit) {
  if (!submodules_.insert(path).second) return;
  warn_({SkipReason::other, path, "submodule (commit " + oid_hex(commit) + ") listed, not entered"});
}

void TreeWalker::collect_blobs(const git_oid& root, OidTable& blobs) {
  // Paths are only needed to name submodules, so they travel with the pending trees.
  std::vector<std::pair<git_oid, std::string>> pending;
  if (walked_trees_.insert(root)) pending.emplace_back(root, "");
  RawTree tree;
  while (!pending.empty()) {
    auto [id, prefix] = std::move(pending.back());
    pending.pop_back();
    if (!read_tree(id, tree)) continue;
    for (const auto& entry : tree.entries) {
      if (entry.is_tree()) {
        if (walked_trees_.insert(*entry.id)) pending.emplace_back(*entry.id, prefix + std::string(entry.name) + "/");
      } else if (entry.mode == 0160000) {
        note_submodule(prefix + std::string(entry.name), *entry.id);
      } else {
        blobs.insert(*entry.id);
      }
    }
  }
}

void TreeWalker::for_each_blob(const git_oid& root, const BlobVisit& visit) {
  std::vector<std::pair<git_oid, std::string>> pending = {{root, ""}};
  RawTree tree;
  while (!pending.empty()) {
    auto [id, prefix] = std::move(pending.back());
    pending.pop_back();
    if (!read_tree(id, tree)) continue;
    for (const auto& entry : tree.entries) {
      std::string path = prefix + std::string(entry.name);
      if (entry.is_tree()) pending.emplace_back(*entry.id, path + "/");
      else if (entry.mode != 0160000) visit(*entry.id, path);
    }
  }
}

void TreeWalker::for_each_new_blob(const git_oid& root, const std::vector<git_oid>& parent_roots,
                                   const BlobVisit& visit) {
  for (const auto& id : parent_roots)
    if (git_oid_equal(&id, &root)) return;  // nothing changed at all
  RawTree tree;
  if (!read_tree(root, tree)) return;
  std::vector<RawTree> parents(parent_roots.size());
  std::vector<const RawTree*> readable;
  for (std::size_t i = 0; i < parent_roots.size(); ++i)
    if (read_tree(parent_roots[i], parents[i])) readable.push_back(&parents[i]);
  new_blobs_below(tree, readable, "", visit);
}

void TreeWalker::new_blobs_below(const RawTree& tree, const std::vector<const RawTree*>& parents,
                                 const std::string& prefix, const BlobVisit& visit) {
  // Entries are sorted in git's tree order in every tree: one cursor per parent walks along.
  std::vector<std::size_t> cursor(parents.size(), 0);
  std::vector<git_oid> parent_subtrees;
  for (const auto& entry : tree.entries) {
    bool unchanged = false;
    parent_subtrees.clear();
    for (std::size_t p = 0; p < parents.size() && !unchanged; ++p) {
      const auto& before_entries = parents[p]->entries;
      std::size_t& at = cursor[p];
      while (at < before_entries.size() && entry_before(before_entries[at], entry.name, entry.is_tree())) ++at;
      if (at == before_entries.size()) continue;
      const RawTree::Entry& before = before_entries[at];
      if (before.name != entry.name || before.is_tree() != entry.is_tree()) continue;
      if (std::memcmp(before.id->id, entry.id->id, GIT_OID_RAWSZ) == 0) unchanged = true;
      else if (entry.is_tree()) parent_subtrees.push_back(*before.id);
    }
    if (unchanged) continue;
    std::string path = prefix + std::string(entry.name);
    if (entry.mode == 0160000) {
      note_submodule(path, *entry.id);
    } else if (!entry.is_tree()) {
      visit(*entry.id, path);
    } else {
      RawTree subtree;
      if (!read_tree(*entry.id, subtree)) continue;
      std::vector<RawTree> below(parent_subtrees.size());
      std::vector<const RawTree*> readable;
      for (std::size_t i = 0; i < parent_subtrees.size(); ++i)
        if (read_tree(parent_subtrees[i], below[i])) readable.push_back(&below[i]);
      new_blobs_below(subtree, readable, path + "/", visit);
    }
  }
}

}  // namespace keyhound
