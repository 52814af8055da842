// The index's cache-tree, read from indexes git itself wrote (versions 2, 3 and 4): after a
// commit every directory is valid with HEAD's tree id; staging a change invalidates exactly
// the directories on its path.
#include "git/cache_tree.hpp"

#include <gtest/gtest.h>

#include "e2e/git_test_repo.hpp"
#include "git/handles.hpp"
#include "util/file.hpp"

namespace keyhound {
namespace {

CacheTree cache_tree_of(testing::GitRepo& repo) {
  auto file = read_whole_file(repo.str() + "/.git/index");
  EXPECT_TRUE(file) << file.error().message;
  return read_cache_tree(*file);
}

TEST(CacheTree, ValidDirectoriesCarryHeadsTreesAndAChangeInvalidatesItsPath) {
  for (const char* version : {"2", "3", "4"}) {
    testing::GitRepo repo;
    for (const char* path : {"a/b/one.txt", "a/b/two.txt", "a/other.txt", "c/d/three.txt", "top.txt"})
      repo.write(path, std::string("content of ") + path + "\n");
    repo.git("add -A");
    if (std::string(version) == "3") repo.git("update-index --skip-worktree top.txt");  // an extended entry
    repo.git("update-index --index-version " + std::string(version));
    repo.commit("first");
    EXPECT_EQ(repo.git("rev-parse HEAD:top.txt").size(), 40u);
    CacheTree tree = cache_tree_of(repo);
    for (const char* directory : {"", "a", "a/b", "c", "c/d"})
      ASSERT_TRUE(tree.contains(directory)) << "index v" << version << ": " << directory;
    EXPECT_EQ(oid_hex(tree[""]), repo.git("rev-parse HEAD^{tree}"));
    EXPECT_EQ(oid_hex(tree["a/b"]), repo.git("rev-parse HEAD:a/b"));
    EXPECT_EQ(oid_hex(tree["c/d"]), repo.git("rev-parse HEAD:c/d"));

    repo.write("a/b/two.txt", "changed\n");
    repo.git("add a/b/two.txt");
    tree = cache_tree_of(repo);
    EXPECT_FALSE(tree.contains("")) << version;
    EXPECT_FALSE(tree.contains("a"));
    EXPECT_FALSE(tree.contains("a/b"));
    EXPECT_EQ(oid_hex(tree["c"]), repo.git("rev-parse HEAD:c"));
    EXPECT_EQ(oid_hex(tree["c/d"]), repo.git("rev-parse HEAD:c/d"));
    EXPECT_EQ(tree.size(), 2u);
  }
}

TEST(CacheTree, DamagedOrForeignFilesGiveNothing) {
  EXPECT_TRUE(read_cache_tree("").empty());
  EXPECT_TRUE(read_cache_tree("not an index at all, just some bytes").empty());
  std::string truncated = std::string("DIRC\0\0\0\2\0\0\0\5", 12) + std::string(40, 'x');
  EXPECT_TRUE(read_cache_tree(truncated).empty());
}

}  // namespace
}  // namespace keyhound
