// Tree walks for the staged source, the history source, --since and provenance.
#include "git/tree_walk.hpp"

#include <algorithm>
#include <cstring>

#include "git/tree_format.hpp"

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

TreeWalker::TreeWalker(git_repository* repo, WarningSink warn) : warn_(std::move(warn)) {
  git_odb* raw = nullptr;
  if (git_repository_odb(&raw, repo) == 0) odb_.reset(raw);
}

bool TreeWalker::read_tree(const git_oid& id, RawTree& tree) {
  tree.object.reset();
  git_odb_object* raw = nullptr;
  if (!odb_ || git_odb_read(&raw, odb_.get(), &id) != 0) {
    warn_({GitProblem::unreadable, oid_hex(id), "tree missing or corrupt, skipped: " + git_error_text()});
    git_error_clear();
    return false;
  }
  tree.object.reset(raw);
  std::string_view data(static_cast<const char*>(git_odb_object_data(raw)), git_odb_object_size(raw));
  if (git_odb_object_type(raw) != GIT_OBJECT_TREE || !parse_tree(data, tree.entries)) {
    warn_({GitProblem::unreadable, oid_hex(id), "not a valid tree object, skipped"});
    return false;
  }
  return true;
}

void TreeWalker::for_each_blob(const git_oid& root, const BlobVisit& visit, const TreeSkip& skip) {
  std::vector<std::pair<git_oid, std::string>> pending = {{root, ""}};
  RawTree tree;
  while (!pending.empty()) {
    auto [id, prefix] = std::move(pending.back());
    pending.pop_back();
    if (skip && skip(id, prefix)) continue;
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
  warn_({GitProblem::not_entered, path, "submodule (commit " + oid_hex(commit) + ") listed, not entered"});
}

NewBlobFinder::NewBlobFinder(TreeGraph& graph, WarningSink warn) : graph_(graph), warn_(std::move(warn)) {}

NewBlobFinder::Level& NewBlobFinder::level(std::size_t depth) {
  while (levels_.size() <= depth) levels_.emplace_back();
  return levels_[depth];
}

void NewBlobFinder::run(const git_oid& root, const std::vector<git_oid>& parent_roots, const Visit& visit,
                        const std::vector<std::uint8_t>* wanted) {
  for (const auto& id : parent_roots)
    if (git_oid_equal(&id, &root)) return;  // nothing changed at all
  // find() first: on a graph that knows every tree already, a run only reads it.
  auto node_of = [&](const git_oid& id) {
    auto known = graph_.find(id);
    return known ? *known : graph_.node(id);
  };
  TreeGraph::Node tree = node_of(root);
  if (!graph_.load(tree, warn_)) return;
  Level& top = level(0);
  top.readable.clear();
  for (const auto& id : parent_roots) {
    TreeGraph::Node parent = node_of(id);
    if (graph_.load(parent, warn_)) top.readable.push_back(parent);
  }
  path_.clear();
  diff(tree, 0, visit, wanted);
}

// The index of the parent's entry with the name and kind of `entry`, if it has one. Versions of
// a directory mostly differ by an entry or two: it is usually at `hint` (where the last match
// puts it) or a step away, which numbered names tell at once; else a binary search in git's
// tree order.
std::optional<std::uint32_t> NewBlobFinder::find_in(TreeGraph::Node parent, std::uint32_t hint,
                                                    TreeGraph::Entry entry) const {
  using Kind = TreeGraph::Kind;
  bool is_tree = entry.kind() == Kind::tree;
  auto same = [&](TreeGraph::Entry other) {
    return other.name == entry.name && (other.kind() == Kind::tree) == is_tree;
  };
  std::uint32_t count = graph_.entry_count(parent);
  for (std::int64_t at : {std::int64_t{hint}, std::int64_t{hint} - 1, std::int64_t{hint} + 1})
    if (at >= 0 && at < count && same(graph_.entry(parent, static_cast<std::uint32_t>(at))))
      return static_cast<std::uint32_t>(at);
  std::uint32_t low = 0, high = count;
  while (low < high) {
    std::uint32_t middle = low + (high - low) / 2;
    TreeGraph::Entry other = graph_.entry(parent, middle);
    if (same(other)) return middle;
    if (tree_order_before(graph_.name(other.name), other.kind() == Kind::tree, graph_.name(entry.name),
                          is_tree))
      low = middle + 1;
    else
      high = middle;
  }
  return std::nullopt;
}

// Loading a tree may grow the graph, so entries and names are fetched afresh, never held.
void NewBlobFinder::diff(TreeGraph::Node tree, std::size_t depth, const Visit& visit,
                         const std::vector<std::uint8_t>* wanted) {
  using Kind = TreeGraph::Kind;
  if (depth >= kMaxTreeDepth) return;
  Level& here = level(depth);
  // Per parent: how far its entries are shifted against this tree's by entries added or removed.
  here.shift.assign(here.readable.size(), 0);
  for (std::uint32_t i = 0, count = graph_.entry_count(tree); i < count; ++i) {
    TreeGraph::Entry entry = graph_.entry(tree, i);
    bool unchanged = false;
    for (std::size_t p = 0; p < here.readable.size() && !unchanged; ++p) {  // the common case, first
      std::int64_t at = std::int64_t{i} + here.shift[p];
      if (at >= 0 && at < graph_.entry_count(here.readable[p])) {
        TreeGraph::Entry same_place = graph_.entry(here.readable[p], static_cast<std::uint32_t>(at));
        unchanged = same_place.name == entry.name && same_place.bits == entry.bits;
      }
    }
    if (unchanged) continue;
    bool is_tree = entry.kind() == Kind::tree;
    if (wanted && entry.kind() == Kind::blob &&
        (entry.target() >= wanted->size() || !(*wanted)[entry.target()]))
      continue;
    here.parent_subtrees.clear();
    for (std::size_t p = 0; p < here.readable.size() && !unchanged; ++p) {
      std::int64_t hint = std::clamp<std::int64_t>(std::int64_t{i} + here.shift[p], 0, UINT32_MAX);
      auto found = find_in(here.readable[p], static_cast<std::uint32_t>(hint), entry);
      if (!found) continue;
      here.shift[p] = std::int64_t{*found} - i;
      TreeGraph::Node target = graph_.entry(here.readable[p], *found).target();
      if (target == entry.target())
        unchanged = true;
      else if (is_tree)
        here.parent_subtrees.push_back(target);
    }
    if (unchanged) continue;
    std::size_t prefix = path_.size();
    if (entry.kind() == Kind::submodule) {
      if (!warn_) continue;
      path_.append(graph_.name(entry.name));
      if (submodules_.insert(path_).second)
        warn_({GitProblem::not_entered, path_,
               "submodule (commit " + oid_hex(graph_.oid(entry.target())) + ") listed, not entered"});
    } else if (!is_tree) {
      path_.append(graph_.name(entry.name));
      visit(entry.target(), path_);
    } else {
      if (!graph_.load(entry.target(), warn_)) continue;
      Level& below = level(depth + 1);
      below.readable.clear();
      for (auto subtree : here.parent_subtrees)
        if (graph_.load(subtree, warn_)) below.readable.push_back(subtree);
      path_.append(graph_.name(entry.name));
      path_ += '/';
      diff(entry.target(), depth + 1, visit, wanted);
    }
    path_.resize(prefix);
  }
}

}  // namespace keyhound
