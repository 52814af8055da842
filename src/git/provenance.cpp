// Provenance by replaying history oldest first and diffing each commit against its parents over
// the tree graph: unchanged subtrees are skipped, and blobs not wanted are not even compared.
#include "git/provenance.hpp"

#include <algorithm>
#include <map>
#include <thread>
#include <unordered_map>

#include "git/tree_walk.hpp"

namespace keyhound {
namespace {

Introduction introduction_of(git_repository* repo, const git_oid& id, const std::string& path) {
  Introduction origin;
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

Result<IntroductionMap> find_introductions(git_repository* repo, TreeGraph& graph,
                                           const std::vector<CommitNode>& commits,
                                           const std::vector<std::string>& blob_ids, unsigned threads) {
  std::unordered_map<TreeGraph::Node, std::size_t> id_of;  // wanted node -> index in blob_ids
  for (std::size_t i = 0; i < blob_ids.size(); ++i) {
    git_oid oid;
    if (git_oid_fromstr(&oid, blob_ids[i].c_str()) != 0) continue;
    id_of.emplace(graph.node(oid), i);  // added when unknown yet: a tree read later names it
  }
  std::vector<std::uint8_t> wanted(graph.size(), 0);  // by node: the finder looks at nothing else
  for (const auto& [node, id] : id_of) wanted[node] = 1;
  // Oldest first, so the first commit seen bringing in a (blob, path) is the one that counts.
  // With `threads` > 1 the commits are replayed in consecutive ranges at once, each range's
  // firsts merged oldest range first. The caller only asks for that when every tree the commits
  // reach is loaded (or known unreadable) already: the finders then only read the graph.
  using Oldest = std::map<std::pair<TreeGraph::Node, std::string>, std::size_t>;  // (blob, path) -> commit
  const auto parts = static_cast<unsigned>(
      std::clamp<std::size_t>(threads, 1, std::max<std::size_t>(1, commits.size() / 64)));
  std::vector<Oldest> oldest(parts);
  auto replay = [&](unsigned part) {
    NewBlobFinder finder(graph, {});  // warnings were given during the scan
    for (std::size_t index = commits.size() * part / parts; index < commits.size() * (part + 1) / parts;
         ++index) {
      const CommitNode& commit = commits[index];
      finder.run(
          commit.tree, commit.parent_trees,
          [&](TreeGraph::Node blob, const std::string& path) {
            oldest[part].emplace(std::make_pair(blob, path), index);
          },
          &wanted);
      // On one thread the graph may read trees again as it goes, and keep to its budget.
      if (parts == 1) graph.trim();
    }
  };
  std::vector<std::thread> helpers;
  for (unsigned part = 1; part < parts; ++part) helpers.emplace_back(replay, part);
  replay(0);
  for (auto& helper : helpers) helper.join();
  for (unsigned part = 1; part < parts; ++part) oldest[0].merge(oldest[part]);  // keeps the older
  IntroductionMap origins;
  for (const auto& [key, commit] : oldest[0])
    origins[blob_ids[id_of.at(key.first)]].push_back(introduction_of(repo, commits[commit].id, key.second));
  return origins;
}

}  // namespace keyhound
