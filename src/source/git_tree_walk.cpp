// Tree walks for the staged source, the history source, --since and provenance.
#include "source/git_tree_walk.hpp"

#include <algorithm>
#include <cstring>

#include "source/git_tree_format.hpp"

namespace keyhound {
namespace {

bool parse_tree(std::string_view data, std::vector<RawTree::Entry>& entries) {
  entries.clear();
  return parse_tree_entries(data, [&](std::uint32_t mode, std::string_view name, const git_oid* id) {
    entries.push_back({mode, name, id});
  });
}

constexpr std::uint32_t kNoLink = ~std::uint32_t{0};
// Deeper than git itself goes (core.maxTreeDepth): only a forged, cyclic tree gets there.
constexpr std::size_t kMaxTreeDepth = 4096;

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

void TreeWalker::for_each_blob(const git_oid& root, const BlobVisit& visit) {
  std::vector<std::pair<git_oid, std::string>> pending = {{root, ""}};
  RawTree tree;
  while (!pending.empty()) {
    auto [id, prefix] = std::move(pending.back());
    pending.pop_back();
    if (!read_tree(id, tree)) continue;
    for (const auto& entry : tree.entries) {
      std::string path = prefix + std::string(entry.name);
      if (entry.is_tree())
        pending.emplace_back(*entry.id, path + "/");
      else if (entry.mode != kSubmoduleMode)
        visit(*entry.id, path);
    }
  }
}

ReachableBlobs::ReachableBlobs(TreeGraph& graph, WarningSink warn) : graph_(graph), warn_(std::move(warn)) {}

void ReachableBlobs::add_tree(const git_oid& root) {
  using Node = TreeGraph::Node;
  auto first_visit = [&](std::vector<std::uint8_t>& seen, Node node) {
    if (seen.size() <= node) seen.resize(std::max<std::size_t>(graph_.size(), node + 1), 0);
    if (seen[node]) return false;
    seen[node] = 1;
    return true;
  };
  // Depth first, children pushed in entry order: the order (and so the path a submodule is
  // named by) is that of a walk reading each tree as it goes.
  std::vector<std::pair<Node, std::uint32_t>> pending;  // (tree, link to its path)
  links_.clear();
  Node start = graph_.node(root);
  if (first_visit(walked_trees_, start)) pending.emplace_back(start, kNoLink);
  while (!pending.empty()) {
    auto [tree, link] = pending.back();
    pending.pop_back();
    if (!graph_.load(tree, warn_)) continue;
    for (std::uint32_t i = 0, count = graph_.entry_count(tree); i < count; ++i) {
      TreeGraph::Entry entry = graph_.entry(tree, i);
      Node target = entry.target();
      switch (entry.kind()) {
        case TreeGraph::Kind::tree:
          if (first_visit(walked_trees_, target)) {
            links_.push_back({link, entry.name});
            pending.emplace_back(target, static_cast<std::uint32_t>(links_.size() - 1));
          }
          break;
        case TreeGraph::Kind::submodule:
          note_submodule(link, graph_.name(entry.name), graph_.oid(target));
          break;
        case TreeGraph::Kind::blob:
          if (first_visit(seen_blobs_, target)) found_.push_back(target);
          break;
      }
    }
  }
}

void ReachableBlobs::add_blob(const git_oid& blob) {
  TreeGraph::Node node = graph_.node(blob);
  if (seen_blobs_.size() <= node) seen_blobs_.resize(graph_.size(), 0);
  if (!seen_blobs_[node]) {
    seen_blobs_[node] = 1;
    found_.push_back(node);
  }
}

std::vector<git_oid> ReachableBlobs::blobs() const {
  std::vector<git_oid> out;
  out.reserve(found_.size());
  for (auto node : found_) out.push_back(graph_.oid(node));
  return out;
}

void ReachableBlobs::note_submodule(std::uint32_t link, std::string_view name, const git_oid& commit) {
  std::vector<std::string_view> directories;
  for (; link != kNoLink; link = links_[link].parent) directories.push_back(graph_.name(links_[link].name));
  std::string path;
  for (auto directory = directories.rbegin(); directory != directories.rend(); ++directory)
    path.append(*directory).append("/");
  path.append(name);
  if (!submodules_.insert(path).second) return;
  warn_({SkipReason::other, path, "submodule (commit " + oid_hex(commit) + ") listed, not entered"});
}

NewBlobFinder::NewBlobFinder(TreeGraph& graph, WarningSink warn) : graph_(graph), warn_(std::move(warn)) {}

NewBlobFinder::Level& NewBlobFinder::level(std::size_t depth) {
  while (levels_.size() <= depth) levels_.emplace_back();
  return levels_[depth];
}

void NewBlobFinder::run(const git_oid& root, const std::vector<git_oid>& parent_roots, const Visit& visit,
                        const Skip& skip) {
  for (const auto& id : parent_roots)
    if (git_oid_equal(&id, &root)) return;  // nothing changed at all
  TreeGraph::Node tree = graph_.node(root);
  if ((skip && skip(tree)) || !graph_.load(tree, warn_)) return;
  Level& top = level(0);
  top.readable.clear();
  for (const auto& id : parent_roots) {
    TreeGraph::Node parent = graph_.node(id);
    if (graph_.load(parent, warn_)) top.readable.push_back(parent);
  }
  path_.clear();
  diff(tree, 0, visit, skip);
}

// Entries are sorted in git's tree order in every tree: one cursor per parent walks along.
// Loading a tree may grow the graph, so entries and names are fetched afresh, never held.
void NewBlobFinder::diff(TreeGraph::Node tree, std::size_t depth, const Visit& visit, const Skip& skip) {
  using Kind = TreeGraph::Kind;
  if (depth >= kMaxTreeDepth) return;
  Level& here = level(depth);
  here.cursor.assign(here.readable.size(), 0);
  std::uint32_t count = graph_.entry_count(tree);
  for (std::uint32_t i = 0; i < count; ++i) {
    TreeGraph::Entry entry = graph_.entry(tree, i);
    bool is_tree = entry.kind() == Kind::tree;
    bool unchanged = false;
    here.parent_subtrees.clear();
    for (std::size_t p = 0; p < here.readable.size() && !unchanged; ++p) {
      TreeGraph::Node parent = here.readable[p];
      std::uint32_t parent_count = graph_.entry_count(parent);
      std::uint32_t& at = here.cursor[p];
      while (at < parent_count) {
        TreeGraph::Entry before = graph_.entry(parent, at);
        // The same name is where the cursor stops anyway: no need to order the names.
        if (before.name == entry.name && (before.kind() == Kind::tree) == is_tree) break;
        if (!tree_order_before(graph_.name(before.name), before.kind() == Kind::tree, graph_.name(entry.name),
                               is_tree))
          break;
        ++at;
      }
      if (at == parent_count) continue;
      TreeGraph::Entry before = graph_.entry(parent, at);
      if (before.name != entry.name || (before.kind() == Kind::tree) != is_tree) continue;
      if (before.target() == entry.target())
        unchanged = true;
      else if (is_tree)
        here.parent_subtrees.push_back(before.target());
    }
    if (unchanged) continue;
    std::size_t prefix = path_.size();
    if (entry.kind() == Kind::submodule) {
      if (!warn_) continue;
      path_.append(graph_.name(entry.name));
      if (submodules_.insert(path_).second)
        warn_({SkipReason::other, path_,
               "submodule (commit " + oid_hex(graph_.oid(entry.target())) + ") listed, not entered"});
    } else if (!is_tree) {
      path_.append(graph_.name(entry.name));
      visit(entry.target(), path_);
    } else {
      if (skip && skip(entry.target())) continue;
      if (!graph_.load(entry.target(), warn_)) continue;
      Level& below = level(depth + 1);
      below.readable.clear();
      for (auto subtree : here.parent_subtrees)
        if (graph_.load(subtree, warn_)) below.readable.push_back(subtree);
      path_.append(graph_.name(entry.name));
      path_ += '/';
      diff(entry.target(), depth + 1, visit, skip);
    }
    path_.resize(prefix);
  }
}

}  // namespace keyhound
