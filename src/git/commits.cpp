// Ref resolution and a commit-graph walk that survives shallow clones and missing objects.
#include "git/commits.hpp"

#include <algorithm>
#include <queue>
#include <unordered_map>

#include "git/oid_table.hpp"

namespace keyhound {
namespace {

// Adds what `object` finally names (through annotated tags) to the tips.
void add_tip(git_repository* repo, const git_oid& id, ScanTips& tips) {
  git_object* raw = nullptr;
  if (git_object_lookup(&raw, repo, &id, GIT_OBJECT_ANY) != 0) return;
  ObjectPtr object(raw);
  git_object* peeled_raw = nullptr;
  while (git_object_type(object.get()) == GIT_OBJECT_TAG) {
    if (git_tag_peel(&peeled_raw, reinterpret_cast<git_tag*>(object.get())) != 0) return;
    object.reset(peeled_raw);
  }
  const git_oid* target = git_object_id(object.get());
  switch (git_object_type(object.get())) {
    case GIT_OBJECT_COMMIT:
      tips.commits.push_back(*target);
      break;
    case GIT_OBJECT_TREE:
      tips.trees.push_back(*target);
      break;
    case GIT_OBJECT_BLOB:
      tips.blobs.push_back(*target);
      break;
    default:
      break;
  }
}

}  // namespace

Result<git_oid> resolve_commit(git_repository* repo, const std::string& revision) {
  git_object* raw = nullptr;
  if (git_revparse_single(&raw, repo, revision.c_str()) != 0)
    return make_error("unknown revision '" + revision + "': " + git_error_text());
  ObjectPtr object(raw);
  git_object* commit_raw = nullptr;
  if (git_object_peel(&commit_raw, object.get(), GIT_OBJECT_COMMIT) != 0)
    return make_error("revision '" + revision + "' does not name a commit");
  ObjectPtr commit(commit_raw);
  return *git_object_id(commit.get());
}

Result<ScanTips> resolve_tips(git_repository* repo, const std::vector<std::string>& branches,
                              const std::vector<std::string>& revisions, const WarningSink& warn) {
  ScanTips tips;
  for (const auto& branch : branches) {
    git_reference* raw = nullptr;
    if (git_branch_lookup(&raw, repo, branch.c_str(), GIT_BRANCH_LOCAL) != 0 &&
        git_branch_lookup(&raw, repo, branch.c_str(), GIT_BRANCH_REMOTE) != 0)
      return make_error("--branch: no branch named '" + branch + "'");
    ReferencePtr reference(raw);
    git_object* commit = nullptr;
    if (git_reference_peel(&commit, reference.get(), GIT_OBJECT_COMMIT) != 0)
      return make_error("--branch: '" + branch + "' does not point at a commit");
    ObjectPtr owned(commit);
    tips.commits.push_back(*git_object_id(commit));
  }
  for (const auto& revision : revisions) {
    git_object* raw = nullptr;
    if (git_revparse_single(&raw, repo, revision.c_str()) != 0)
      return make_error("--ref: unknown revision '" + revision + "'");
    ObjectPtr object(raw);
    add_tip(repo, *git_object_id(object.get()), tips);
  }
  if (!branches.empty() || !revisions.empty()) return tips;

  git_reference_iterator* raw_iterator = nullptr;
  if (git_reference_iterator_new(&raw_iterator, repo) != 0)
    return make_error("cannot list references: " + git_error_text());
  ReferenceIteratorPtr iterator(raw_iterator);
  git_reference* raw = nullptr;
  while (git_reference_next(&raw, iterator.get()) == 0) {
    ReferencePtr reference(raw);
    git_oid target;
    if (git_reference_name_to_id(&target, repo, git_reference_name(reference.get())) != 0) {
      warn({GitProblem::unreadable, git_reference_name(reference.get()),
            "reference does not resolve; skipped"});
      continue;
    }
    add_tip(repo, target, tips);
  }
  git_oid head;
  if (git_reference_name_to_id(&head, repo, "HEAD") == 0) add_tip(repo, head, tips);
  // Older stashes live only in the stash's reflog.
  git_reflog* raw_reflog = nullptr;
  if (git_reflog_read(&raw_reflog, repo, "refs/stash") == 0) {
    ReflogPtr reflog(raw_reflog);
    for (std::size_t i = 0; i < git_reflog_entrycount(reflog.get()); ++i)
      add_tip(repo, *git_reflog_entry_id_new(git_reflog_entry_byindex(reflog.get(), i)), tips);
  }
  git_error_clear();
  return tips;
}

std::vector<CommitNode> walk_commits(git_repository* repo, const std::vector<git_oid>& tips,
                                     const std::vector<git_oid>& hidden, const WarningSink& warn) {
  bool shallow = git_repository_is_shallow(repo) == 1;
  // Everything reachable from `hidden` is out (a plain walk: it has no order to keep).
  OidTable excluded;
  std::vector<git_oid> pending(hidden.begin(), hidden.end());
  while (!pending.empty()) {
    git_oid id = pending.back();
    pending.pop_back();
    if (!excluded.insert(id)) continue;
    git_commit* raw = nullptr;
    if (git_commit_lookup(&raw, repo, &id) != 0) continue;
    CommitPtr commit(raw);
    for (unsigned i = 0; i < git_commit_parentcount(raw); ++i)
      pending.push_back(*git_commit_parent_id(raw, i));
  }

  std::vector<CommitNode> nodes;
  std::unordered_map<git_oid, std::size_t, OidHash, OidEqual> index;
  pending.assign(tips.begin(), tips.end());
  while (!pending.empty()) {
    git_oid id = pending.back();
    pending.pop_back();
    if (excluded.contains(id) || index.count(id)) continue;
    git_commit* raw = nullptr;
    if (git_commit_lookup(&raw, repo, &id) != 0) {
      // Past a shallow clone's boundary parents are absent by design.
      if (!shallow)
        warn({GitProblem::unreadable, oid_hex(id), "commit missing or corrupt: " + git_error_text()});
      git_error_clear();
      continue;
    }
    CommitPtr commit(raw);
    CommitNode node;
    node.id = id;
    node.tree = *git_commit_tree_id(raw);
    node.time = git_commit_time(raw);
    for (unsigned i = 0; i < git_commit_parentcount(raw); ++i) {
      node.parents.push_back(*git_commit_parent_id(raw, i));
      pending.push_back(node.parents.back());
      // A parent past a shallow boundary cannot be diffed against: the commit then adds everything.
      git_commit* parent_raw = nullptr;
      if (git_commit_lookup(&parent_raw, repo, &node.parents.back()) == 0) {
        CommitPtr parent(parent_raw);
        node.parent_trees.push_back(*git_commit_tree_id(parent_raw));
      }
    }
    index.emplace(id, nodes.size());
    nodes.push_back(std::move(node));
  }

  // Kahn's algorithm: a commit is ready once its parents are out; the oldest ready goes next.
  std::vector<std::vector<std::size_t>> children(nodes.size());
  std::vector<std::size_t> waiting(nodes.size(), 0);
  for (std::size_t i = 0; i < nodes.size(); ++i) {
    auto& parents = nodes[i].parents;
    parents.erase(
        std::remove_if(parents.begin(), parents.end(), [&](const git_oid& p) { return !index.count(p); }),
        parents.end());
    for (const auto& parent : parents) {
      children[index[parent]].push_back(i);
      ++waiting[i];
    }
  }
  auto later = [&](std::size_t a, std::size_t b) {
    if (nodes[a].time != nodes[b].time) return nodes[a].time > nodes[b].time;
    return git_oid_cmp(&nodes[a].id, &nodes[b].id) > 0;
  };
  std::priority_queue<std::size_t, std::vector<std::size_t>, decltype(later)> ready(later);
  for (std::size_t i = 0; i < nodes.size(); ++i)
    if (waiting[i] == 0) ready.push(i);
  std::vector<CommitNode> ordered;
  ordered.reserve(nodes.size());
  while (!ready.empty()) {
    std::size_t next = ready.top();
    ready.pop();
    for (std::size_t child : children[next])
      if (--waiting[child] == 0) ready.push(child);
    ordered.push_back(std::move(nodes[next]));
  }
  return ordered;
}

}  // namespace keyhound
