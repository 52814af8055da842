// Provenance by replaying history oldest first and diffing each commit against its parents:
// unchanged subtrees are skipped, so this costs about what `git log --raw` does.
#include "source/git_provenance.hpp"

#include <set>
#include <unordered_map>

#include "source/git_tree_walk.hpp"

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

Result<Source::OriginMap> find_origins(git_repository* repo, const std::vector<CommitNode>& commits,
                                       const std::vector<std::string>& blob_ids) {
  std::unordered_map<git_oid, std::string, OidHash, OidEqual> wanted;
  for (const auto& hex : blob_ids) {
    git_oid oid;
    if (git_oid_fromstr(&oid, hex.c_str()) == 0) wanted.emplace(oid, hex);
  }
  Source::OriginMap origins;
  std::set<std::pair<std::string, std::string>> recorded;  // (blob, path) already attributed
  // Warnings were given during the scan; a second walk must not repeat them.
  TreeWalker walker(repo, [](const SourceWarning&) {});
  for (const auto& commit : commits) {
    walker.for_each_new_blob(commit.tree, commit.parent_trees, [&](const git_oid& blob, const std::string& path) {
      auto found = wanted.find(blob);
      if (found == wanted.end() || !recorded.emplace(found->second, path).second) return;
      origins[found->second].push_back(origin_of(repo, commit.id, path));
    });
  }
  return origins;
}

}  // namespace keyhound
