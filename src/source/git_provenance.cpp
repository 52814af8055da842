// Provenance by replaying history oldest first and diffing each commit against its parents over
// the tree graph: unchanged subtrees, and subtrees holding no wanted blob, are skipped.
#include "source/git_provenance.hpp"

#include <map>

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

// Which trees hold a wanted blob somewhere below them, worked out once per tree. A tree not
// read yet counts as holding one: finding out would cost more than the diff it might save.
class WantedBelow {
 public:
  WantedBelow(const TreeGraph& graph, const std::vector<std::uint32_t>& wanted)
      : graph_(graph), wanted_(wanted) {}

  bool holds(TreeGraph::Node root) {
    if (State known = state(root); known == kYes || known == kNo) return known == kYes;
    struct Frame {
      TreeGraph::Node tree;
      std::uint32_t next;
      bool found;
    };
    std::vector<Frame> stack = {{root, 0, !graph_.loaded(root)}};
    state_[root] = kBusy;
    while (!stack.empty()) {
      std::size_t top = stack.size() - 1;
      TreeGraph::Node tree = stack[top].tree;
      std::uint32_t count = graph_.entry_count(tree);
      bool descended = false;
      while (!stack[top].found && stack[top].next < count && !descended) {
        TreeGraph::Entry entry = graph_.entry(tree, stack[top].next++);
        TreeGraph::Node target = entry.target();
        if (entry.kind() == TreeGraph::Kind::blob) {
          stack[top].found = target < wanted_.size() && wanted_[target] != kNotWanted;
        } else if (entry.kind() == TreeGraph::Kind::tree) {
          State child = state(target);
          if (child == kYes) {
            stack[top].found = true;
          } else if (child == kUnknown) {  // (kBusy: a forged cycle, which adds nothing)
            state_[target] = kBusy;
            stack.push_back({target, 0, !graph_.loaded(target)});
            descended = true;
          }
        }
      }
      if (descended) continue;
      bool found = stack[top].found;
      state_[tree] = found ? kYes : kNo;
      stack.pop_back();
      if (found && !stack.empty()) stack.back().found = true;
    }
    return state_[root] == kYes;
  }

  static constexpr std::uint32_t kNotWanted = ~std::uint32_t{0};

 private:
  enum State : std::uint8_t { kUnknown, kBusy, kNo, kYes };
  State state(TreeGraph::Node tree) {
    if (state_.size() <= tree) state_.resize(std::max<std::size_t>(graph_.size(), tree + 1), kUnknown);
    return static_cast<State>(state_[tree]);
  }

  const TreeGraph& graph_;
  const std::vector<std::uint32_t>& wanted_;  // by node: index in the wanted list, or kNotWanted
  std::vector<std::uint8_t> state_;           // by node
};

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
  std::vector<std::uint32_t> wanted(graph.size(), WantedBelow::kNotWanted);
  for (std::size_t i = 0; i < wanted_nodes.size(); ++i)
    if (wanted[wanted_nodes[i]] == WantedBelow::kNotWanted)
      wanted[wanted_nodes[i]] = static_cast<std::uint32_t>(i);
  WantedBelow below(graph, wanted);
  NewBlobFinder finder(graph, {});  // warnings were given during the scan
  auto skip = [&](TreeGraph::Node tree) { return !below.holds(tree); };
  // Oldest first, so the first commit seen bringing in a (blob, path) is the one that counts.
  std::map<std::pair<std::size_t, std::string>, std::size_t> oldest;  // (blob, path) -> commit
  for (std::size_t index = 0; index < commits.size(); ++index) {
    const CommitNode& commit = commits[index];
    finder.run(
        commit.tree, commit.parent_trees,
        [&](TreeGraph::Node blob, const std::string& path) {
          if (blob < wanted.size() && wanted[blob] != WantedBelow::kNotWanted)
            oldest.emplace(std::make_pair(wanted_ids[wanted[blob]], path), index);
        },
        skip);
  }
  Source::OriginMap origins;
  for (const auto& [key, commit] : oldest)
    origins[blob_ids[key.first]].push_back(origin_of(repo, commits[commit].id, key.second));
  return origins;
}

}  // namespace keyhound
