// Provenance by replaying history oldest first and diffing each commit against its parents over
// the tree graph: unchanged subtrees are skipped, and blobs not wanted are not even compared.
#include "source/git_provenance.hpp"

#include <map>

#include "source/git_tree_walk.hpp"

namespace keyhound {
namespace {

constexpr std::uint32_t kNotWanted = ~std::uint32_t{0};

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

Result<Source::OriginMap> find_origins(git_repository* repo, TreeGraph& graph,
                                       const std::vector<CommitNode>& commits,
                                       const std::vector<std::string>& blob_ids) {
  std::vector<TreeGraph::Node> wanted_nodes;
  std::vector<std::size_t> wanted_ids;
  for (std::size_t i = 0; i < blob_ids.size(); ++i) {
    git_oid oid;
    if (git_oid_fromstr(&oid, blob_ids[i].c_str()) != 0) continue;
    wanted_nodes.push_back(graph.node(oid));  // added when unknown yet: a tree read later names it
    wanted_ids.push_back(i);
  }
  // By node: the index in wanted_nodes, and whether the finder should look at it at all.
  std::vector<std::uint32_t> wanted(graph.size(), kNotWanted);
  std::vector<std::uint8_t> marked(graph.size(), 0);
  for (std::size_t i = 0; i < wanted_nodes.size(); ++i)
    if (wanted[wanted_nodes[i]] == kNotWanted) {
      wanted[wanted_nodes[i]] = static_cast<std::uint32_t>(i);
      marked[wanted_nodes[i]] = 1;
    }
  NewBlobFinder finder(graph, {});  // warnings were given during the scan
  // Oldest first, so the first commit seen bringing in a (blob, path) is the one that counts.
  std::map<std::pair<std::size_t, std::string>, std::size_t> oldest;  // (blob, path) -> commit
  for (std::size_t index = 0; index < commits.size(); ++index) {
    const CommitNode& commit = commits[index];
    finder.run(
        commit.tree, commit.parent_trees,
        [&](TreeGraph::Node blob, const std::string& path) {
          oldest.emplace(std::make_pair(wanted_ids[wanted[blob]], path), index);
        },
        &marked);
  }
  Source::OriginMap origins;
  for (const auto& [key, commit] : oldest)
    origins[blob_ids[key.first]].push_back(origin_of(repo, commits[commit].id, key.second));
  return origins;
}

}  // namespace keyhound
