// The tree graph and the walks over it against git itself: every tree's entries (packed ones
// taken over from their delta bases), the reachable blobs, unreadable trees, and diffs.
#include "git/tree_graph.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <set>
#include <sstream>

#include "e2e/git_test_repo.hpp"
#include "git/provenance.hpp"
#include "git/repository.hpp"
#include "git/tree_walk.hpp"

namespace keyhound {
namespace {

using namespace testing;
using Lines = std::vector<std::string>;

Lines split_lines(const std::string& text) {
  Lines lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);)
    if (!line.empty()) lines.push_back(line);
  return lines;
}

// Many versions of a few directories, one file changed at a time: git stores the trees as
// deltas of one another.
void build_history(GitRepo& repo, int commits) {
  for (int f = 0; f < 30; ++f)
    repo.write("lib/file" + std::to_string(f) + ".txt", "file " + std::to_string(f) + "\n");
  repo.write("lib/sub/deep/leaf.txt", "leaf\n");
  for (int i = 0; i < commits; ++i) {
    repo.write("lib/file" + std::to_string(i % 30) + ".txt", "version " + std::to_string(i) + "\n");
    repo.write("lib/sub/note.txt", "note " + std::to_string(i) + "\n");
    repo.write("top" + std::to_string(i % 3) + ".txt", "top " + std::to_string(i) + "\n");
    repo.commit("step " + std::to_string(i));
  }
}

struct Graph {
  explicit Graph(const std::string& path, std::uint64_t budget = TreeGraph::kUnlimited) {
    auto opened = open_repository(path);
    EXPECT_TRUE(opened.ok());
    repo = std::move(*opened);
    packs = std::make_unique<PackSet>(object_directories(repo.get()));
    graph = std::make_unique<TreeGraph>(repo.get(), packs.get(), budget);
  }
  std::vector<CommitNode> commits(const WarningSink& warn) {
    auto tips = resolve_tips(repo.get(), {}, {}, warn);
    EXPECT_TRUE(tips.ok());
    return walk_commits(repo.get(), tips->commits, {}, warn);
  }
  // "mode-kind id\tname" per entry, as `git ls-tree` prints them.
  std::string listing(const git_oid& tree) {
    TreeGraph::Node node = graph->node(tree);
    if (!graph->load(node, {})) return "unreadable";
    std::string out;
    for (std::uint32_t i = 0; i < graph->entry_count(node); ++i) {
      TreeGraph::Entry entry = graph->entry(node, i);
      const char* kind = entry.kind() == TreeGraph::Kind::tree        ? "040000 tree "
                         : entry.kind() == TreeGraph::Kind::submodule ? "160000 commit "
                                                                      : "100644 blob ";
      out += kind + oid_hex(graph->oid(entry.target())) + "\t" + std::string(graph->name(entry.name)) + "\n";
    }
    return out;
  }
  GitLibrary library;
  RepositoryPtr repo;
  std::unique_ptr<PackSet> packs;
  std::unique_ptr<TreeGraph> graph;
};

git_oid oid_of(const std::string& hex) {
  git_oid oid;
  EXPECT_EQ(git_oid_fromstr(&oid, hex.c_str()), 0) << hex;
  return oid;
}

Lines objects_of_type(GitRepo& repo, const std::string& type) {
  Lines out;
  for (const auto& line :
       split_lines(repo.git("cat-file --batch-all-objects --batch-check='%(objectname) %(objecttype)'")))
    if (line.substr(41) == type) out.push_back(line.substr(0, 40));
  return out;
}

// Packs with offset deltas (git's default) and with deltas naming their base by id.
class GitTreeGraphPacked : public ::testing::TestWithParam<bool> {};

TEST_P(GitTreeGraphPacked, EveryTreeHasTheEntriesGitListsEvenWhenStoredAsADelta) {
  GitRepo repo;
  build_history(repo, 40);
  repo.git(GetParam() ? "gc -q" : "-c repack.useDeltaBaseOffset=false repack -q -a -d -f");
  // The reuse of a delta base's entries is what this checks: the pack must hold tree deltas.
  int tree_deltas = 0;
  std::string pack = repo.git("rev-parse --git-path objects/pack");
  for (const auto& file : std::filesystem::directory_iterator(repo.str() + "/" + pack))
    if (file.path().extension() == ".idx")
      for (const auto& line : split_lines(repo.git("verify-pack -v " + shell_quote(file.path().string()))))
        if (line.find(" tree ") != std::string::npos && std::count(line.begin(), line.end(), ' ') >= 6)
          ++tree_deltas;
  ASSERT_GT(tree_deltas, 20);

  Graph graph(repo.str());
  graph.graph->load_packed_trees();
  Lines trees = objects_of_type(repo, "tree");
  ASSERT_GT(trees.size(), 100u);
  for (const auto& tree : trees) {
    // ls-tree prints a blob's real mode; the graph keeps only the kind.
    std::string expected;
    for (const auto& line : split_lines(repo.git("ls-tree " + tree)))
      expected += (line.compare(7, 5, "blob ") == 0 ? "100644" + line.substr(6) : line) + "\n";
    EXPECT_EQ(graph.listing(oid_of(tree)), expected) << tree;
  }
}

INSTANTIATE_TEST_SUITE_P(GitOffsetAndRefDeltas, GitTreeGraphPacked, ::testing::Bool());

TEST(GitTreeGraph, ReachableBlobsAreThoseOfGitRevListPackedLooseAndLazy) {
  GitRepo repo;
  build_history(repo, 12);
  repo.git("checkout -q -b side HEAD~4");
  repo.write("side/only.txt", "side\n");
  repo.commit("side work");
  repo.git("checkout -q main");
  repo.git("gc -q");
  // Loose objects after the pack, and objects nothing reaches.
  repo.write("lib/after-gc.txt", "loose\n");
  repo.commit("after gc");
  TempDir scratch;
  scratch.write("dangling.txt", "dangling\n");
  std::string dangling_blob = repo.git("hash-object -w " + shell_quote(scratch.str() + "/dangling.txt"));
  scratch.write("tree.txt", "100644 blob " + dangling_blob + "\tdangling.txt\n");
  repo.git("mktree < " + shell_quote(scratch.str() + "/tree.txt"));

  std::set<std::string> expected;
  for (const auto& line : split_lines(repo.git("rev-list --objects --all | cut -d' ' -f1 | git cat-file "
                                               "--batch-check='%(objecttype) %(objectname)'")))
    if (line.rfind("blob ", 0) == 0) expected.insert(line.substr(5));
  ASSERT_EQ(expected.count(dangling_blob), 0u);
  ASSERT_GT(expected.size(), 40u);

  for (bool preload : {true, false}) {
    Graph graph(repo.str());
    std::vector<std::string> warnings;
    WarningSink warn = [&](const GitWarning& w) { warnings.push_back(w.where + ": " + w.message); };
    auto commits = graph.commits(warn);
    EXPECT_EQ(commits.size(), 14u);
    if (preload) graph.graph->load_packed_trees();
    ReachableBlobs reachable(*graph.graph, warn);
    for (const auto& commit : commits) reachable.add_tree(commit.tree);
    std::set<std::string> found;
    for (const auto& blob : reachable.blobs()) found.insert(oid_hex(blob));
    EXPECT_EQ(found, expected) << "preload " << preload;
    EXPECT_EQ(reachable.blobs().size(), expected.size());
    EXPECT_EQ(warnings, Lines{});
  }
}

TEST(GitTreeGraph, UnreadableTreeIsReportedOnceAndOnlyWhenReached) {
  GitRepo repo;
  repo.write("a.txt", "a\n");
  repo.write("dir/b.txt", "b\n");
  repo.commit("first");
  // An unreachable tree naming a subtree that does not exist: never a warning.
  TempDir scratch;
  scratch.write("tree.txt", "040000 tree 1234567890123456789012345678901234567890\tghost\n");
  repo.git("mktree --missing < " + shell_quote(scratch.str() + "/tree.txt"));
  std::string dir = repo.git("rev-parse HEAD:dir");
  std::filesystem::remove(repo.str() + "/.git/objects/" + dir.substr(0, 2) + "/" + dir.substr(2));

  Graph graph(repo.str());
  std::vector<std::string> warnings;
  WarningSink warn = [&](const GitWarning& w) { warnings.push_back(w.where + ": " + w.message); };
  auto commits = graph.commits(warn);
  ASSERT_EQ(commits.size(), 1u);
  graph.graph->load_packed_trees();
  ReachableBlobs reachable(*graph.graph, warn);
  reachable.add_tree(commits[0].tree);
  reachable.add_tree(commits[0].tree);
  ASSERT_EQ(reachable.blobs().size(), 1u);
  EXPECT_EQ(oid_hex(reachable.blobs()[0]), repo.git("rev-parse HEAD:a.txt"));
  ASSERT_EQ(warnings.size(), 1u);
  EXPECT_EQ(warnings[0].rfind(dir + ": tree missing or corrupt, skipped", 0), 0u) << warnings[0];
  EXPECT_FALSE(graph.graph->load(graph.graph->node(oid_of(dir)), warn));
  EXPECT_EQ(warnings.size(), 1u);
}

TEST(GitTreeGraph, NewBlobsOfAMergeAndARenameAndOnlyTheWantedOnes) {
  GitRepo repo;
  repo.write("keep.txt", "keep\n");
  repo.write("old/moved.txt", "moved\n");
  repo.commit("first");
  repo.git("checkout -q -b feature");
  repo.write("feature/new.txt", "feature\n");
  repo.commit("feature");
  repo.git("checkout -q main");
  repo.git("mv old/moved.txt renamed.txt");
  repo.write("keep.txt", "changed\n");
  repo.commit("rename");
  repo.git("merge -q --no-ff --no-commit feature");
  repo.write("merge/own.txt", "merge\n");
  repo.commit("merge");

  Graph graph(repo.str());
  auto commits = graph.commits({});
  ASSERT_EQ(commits.size(), 4u);
  const CommitNode& merge = commits.back();
  ASSERT_EQ(merge.parent_trees.size(), 2u);
  NewBlobFinder finder(*graph.graph, {});
  Lines seen;
  auto record = [&](TreeGraph::Node blob, const std::string& path) {
    seen.push_back(path + " " + oid_hex(graph.graph->oid(blob)));
  };
  finder.run(merge.tree, merge.parent_trees, record);
  EXPECT_EQ(seen, (Lines{"merge/own.txt " + repo.git("rev-parse HEAD:merge/own.txt")}));

  const CommitNode& rename = commits[2];
  ASSERT_EQ(oid_hex(rename.id), repo.git("rev-parse HEAD^1"));
  seen.clear();
  finder.run(rename.tree, rename.parent_trees, record);
  EXPECT_EQ(seen, (Lines{"keep.txt " + repo.git("rev-parse HEAD:keep.txt"),
                         "renamed.txt " + repo.git("rev-parse HEAD:renamed.txt")}));

  // The first commit against nothing: every blob, or only those wanted.
  TreeGraph::Node moved = graph.graph->node(oid_of(repo.git("rev-parse HEAD~2:old/moved.txt")));
  std::vector<std::uint8_t> wanted(graph.graph->size(), 0);
  wanted[moved] = 1;
  seen.clear();
  finder.run(commits[0].tree, {}, record);
  EXPECT_EQ(seen, (Lines{"keep.txt " + repo.git("rev-parse HEAD~2:keep.txt"),
                         "old/moved.txt " + repo.git("rev-parse HEAD~2:old/moved.txt")}));
  seen.clear();
  finder.run(commits[0].tree, {}, record, &wanted);
  EXPECT_EQ(seen, (Lines{"old/moved.txt " + repo.git("rev-parse HEAD~2:old/moved.txt")}));
}

// Provenance replayed in ranges of commits at once gives what one replay gives: each blob's
// oldest commit per path, also when the blob leaves and comes back, moves, or shows up in a
// later range only.
TEST(GitTreeGraph, ProvenanceInParallelRangesEqualsOneReplay) {
  GitRepo repo;
  auto wanted_at = [&](const std::string& path) { return repo.git("rev-parse HEAD:" + path); };
  build_history(repo, 30);
  repo.write("cfg/a.env", "KEY=wanted-one\n");
  std::string first = repo.commit("add a");  // in the first of two or three ranges
  std::string one = wanted_at("cfg/a.env");
  build_history(repo, 60);
  repo.write("moved/a.env", "KEY=wanted-one\n");
  repo.git("rm -q cfg/a.env");
  std::string moved = repo.commit("move a");
  repo.git("rm -q moved/a.env");
  repo.commit("drop a");
  build_history(repo, 60);
  repo.write("cfg/a.env", "KEY=wanted-one\n");  // back where it was first: still `first`'s
  repo.write("back/a.env", "KEY=wanted-one\n");
  std::string back = repo.commit("bring a back");  // in the last range
  build_history(repo, 25);
  repo.write("late/b.env", "KEY=wanted-two\n");
  std::string late = repo.commit("add b");
  std::string two = wanted_at("late/b.env");
  std::string unrelated = wanted_at("lib/file3.txt");
  repo.git("repack -q -a -d");

  Graph graph(repo.str());
  auto commits = graph.commits({});
  ASSERT_EQ(commits.size(), 180u);
  graph.graph->load_packed_trees();
  ReachableBlobs reachable(*graph.graph, {});
  for (const auto& commit : commits) reachable.add_tree(commit.tree);

  auto lines = [&](unsigned threads) {
    auto origins =
        find_introductions(graph.repo.get(), *graph.graph, commits, {one, two, unrelated}, threads);
    EXPECT_TRUE(origins.ok());
    Lines out;
    for (const auto& [blob, list] : *origins)
      for (const auto& origin : list) out.push_back(blob + " " + origin.path + " " + origin.commit);
    std::sort(out.begin(), out.end());
    return out;
  };
  Lines serial = lines(1);
  EXPECT_EQ(lines(2), serial);
  EXPECT_EQ(lines(3), serial);
  Lines expected = {one + " back/a.env " + back, one + " cfg/a.env " + first, one + " moved/a.env " + moved,
                    two + " late/b.env " + late};
  std::sort(expected.begin(), expected.end());
  Lines wanted_only;
  for (const auto& line : serial)
    if (line.rfind(unrelated, 0) != 0) wanted_only.push_back(line);
  EXPECT_EQ(wanted_only, expected);
}

// A graph over its budget stops loading early and forgets its trees between commits; the walks
// read them again (the second pass of --memory-limit) and find the same blobs, and provenance
// the same introductions, as with every tree kept.
TEST(GitTreeGraph, AGraphOverItsBudgetReadsTreesAgainAndFindsTheSameBlobsAndIntroductions) {
  GitRepo repo;
  build_history(repo, 40);
  repo.write("cfg/a.env", "KEY=wanted-one\n");
  std::string first = repo.commit("add a");
  std::string one = repo.git("rev-parse HEAD:cfg/a.env");
  build_history(repo, 40);
  repo.write("moved/a.env", "KEY=wanted-one\n");
  repo.git("rm -q cfg/a.env");
  std::string moved = repo.commit("move a");
  build_history(repo, 40);
  repo.git("repack -q -a -d");

  struct Walked {
    Lines blobs, introductions;
    bool loaded_all = false;
    std::size_t trims = 0;
  };
  auto walk = [&](std::uint64_t budget) {
    Graph graph(repo.str(), budget);
    std::vector<std::string> warnings;
    WarningSink warn = [&](const GitWarning& w) { warnings.push_back(w.where + ": " + w.message); };
    auto commits = graph.commits(warn);
    Walked walked;
    walked.loaded_all = graph.graph->load_packed_trees();
    ReachableBlobs reachable(*graph.graph, warn);
    for (const auto& commit : commits) {
      reachable.add_tree(commit.tree);
      graph.graph->trim();
    }
    for (const auto& blob : reachable.blobs()) walked.blobs.push_back(oid_hex(blob));
    auto origins = find_introductions(graph.repo.get(), *graph.graph, commits, {one}, 1);
    EXPECT_TRUE(origins.ok());
    for (const auto& [blob, list] : *origins)
      for (const auto& origin : list)
        walked.introductions.push_back(blob + " " + origin.path + " " + origin.commit);
    walked.trims = graph.graph->trims();
    EXPECT_EQ(warnings, Lines{});
    EXPECT_LE(graph.graph->memory(), std::max<std::uint64_t>(budget, 1u << 20) + (1u << 20));
    return walked;
  };
  Walked whole = walk(TreeGraph::kUnlimited);
  Walked small = walk(64 << 10);
  EXPECT_TRUE(whole.loaded_all);
  EXPECT_EQ(whole.trims, 0u);
  EXPECT_FALSE(small.loaded_all);
  EXPECT_GT(small.trims, 10u);
  ASSERT_GT(whole.blobs.size(), 100u);
  EXPECT_EQ(small.blobs, whole.blobs);
  Lines expected = {one + " cfg/a.env " + first, one + " moved/a.env " + moved};
  std::sort(whole.introductions.begin(), whole.introductions.end());
  std::sort(small.introductions.begin(), small.introductions.end());
  EXPECT_EQ(whole.introductions, expected);
  EXPECT_EQ(small.introductions, expected);
}

}  // namespace
}  // namespace keyhound
