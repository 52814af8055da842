// Provenance by replaying history oldest first and diffing each commit against its parents:
// unchanged subtrees are skipped, so this costs about what `git log --raw` does.
#include "source/git_provenance.hpp"

#include <map>
#include <memory>
#include <unordered_map>

#include "source/git_tree_walk.hpp"
#include "source/git_workers.hpp"

namespace keyhound {
namespace {

Origin origin_of(git_repository* repo, const git_oid& id, const std::string& path) {
  Origin origin;
  origin.path = path;
  origin.commit = oid_hex(id);
  git_commit* raw = nullptr;
  if (git_commit_lookup(&raw, repo, &id) != 0) return origin;
  CommitPtr commit(raw);
  if (const git_signature* author = git_commit_author(raw)) {
    origin.author_name = author->name ? author->name : "";
    origin.author_email = author->email ? author->email : "";
  }
  origin.commit_time = git_commit_time(raw);
  origin.commit_time_offset = git_commit_time_offset(raw);
  if (const char* summary = git_commit_summary(raw)) origin.summary = summary;
  return origin;
}

}  // namespace

Result<Source::OriginMap> find_origins(git_repository* repo, const PackSet* packs, const std::vector<CommitNode>& commits,
                                       const std::vector<std::string>& blob_ids, unsigned threads) {
  std::unordered_map<git_oid, std::size_t, OidHash, OidEqual> wanted;  // -> index in blob_ids
  for (std::size_t i = 0; i < blob_ids.size(); ++i) {
    git_oid oid;
    if (git_oid_fromstr(&oid, blob_ids[i].c_str()) == 0) wanted.emplace(oid, i);
  }
  // Each worker diffs its share of the commits; per (blob, path) the oldest commit wins.
  struct Seen {
    std::size_t commit;
    std::size_t blob;
    std::string path;
  };
  threads = std::max(1u, threads);
  std::vector<std::vector<Seen>> seen(threads);
  std::vector<std::unique_ptr<TreeWalker>> walkers(threads);
  auto status = run_git_workers(
      git_repository_path(repo), commits.size(), threads, 16,
      [&](unsigned worker, git_repository* worker_repo, std::size_t index) {
        // Warnings were given during the scan; a second walk must not repeat them.
        if (!walkers[worker]) walkers[worker] = std::make_unique<TreeWalker>(worker_repo, [](const SourceWarning&) {}, packs);
        // Newest first: packs store older trees as deltas of newer ones, so the bases come first.
        index = commits.size() - 1 - index;
        const CommitNode& commit = commits[index];
        walkers[worker]->for_each_new_blob(commit.tree, commit.parent_trees,
                                           [&](const git_oid& blob, const std::string& path) {
                                             auto found = wanted.find(blob);
                                             if (found != wanted.end()) seen[worker].push_back({index, found->second, path});
                                           });
      });
  walkers.clear();
  if (!status) return status.error();
  std::map<std::pair<std::size_t, std::string>, std::size_t> oldest;  // (blob, path) -> commit
  for (auto& list : seen)
    for (auto& item : list) {
      auto [at, inserted] = oldest.emplace(std::make_pair(item.blob, std::move(item.path)), item.commit);
      if (!inserted) at->second = std::min(at->second, item.commit);
    }
  Source::OriginMap origins;
  for (const auto& [key, commit] : oldest)
    origins[blob_ids[key.first]].push_back(origin_of(repo, commits[commit].id, key.second));
  return origins;
}

}  // namespace keyhound
