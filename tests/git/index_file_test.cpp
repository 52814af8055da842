// The direct index reader against indexes git itself wrote: every entry's mode, blob id, stage
// and path as `git ls-files -s` lists them (versions 2, 3 and 4; conflicts, submodules,
// symlinks, intent-to-add and skip-worktree entries, long and non-ASCII paths), and the files it
// must refuse (damaged, split) so that libgit2 reads them instead.
#include "git/index_file.hpp"

#include <gtest/gtest.h>

#include <filesystem>

#include "e2e/git_test_repo.hpp"
#include "git/handles.hpp"
#include "util/file.hpp"
#include "util/sha1.hpp"

namespace keyhound {
namespace {

std::string index_bytes(testing::GitRepo& repo) {
  auto file = read_whole_file(repo.str() + "/.git/index");
  EXPECT_TRUE(file) << file.error().message;
  return file ? *file : std::string();
}

// "mode id stage\tpath" per entry, as `git ls-files -s` prints them.
std::vector<std::string> listed(const IndexContents& index) {
  std::vector<std::string> out;
  for (const auto& entry : index.entries) {
    char mode[16];
    std::snprintf(mode, sizeof mode, "%06o", entry.mode);
    out.push_back(std::string(mode) + " " + oid_hex(entry.id) + " " + std::to_string(entry.stage) + "\t" +
                  entry.path);
  }
  return out;
}

std::vector<std::string> git_listed(testing::GitRepo& repo) {
  auto result = testing::run_command("cd " + testing::shell_quote(repo.str()) + " && " + testing::kGitEnv +
                                     "git ls-files -s -z");
  EXPECT_EQ(result.exit_code, 0) << result.err;
  std::vector<std::string> out;
  for (std::size_t at = 0; at < result.out.size();) {
    std::size_t nul = result.out.find('\0', at);
    if (nul == std::string::npos) nul = result.out.size();
    out.push_back(result.out.substr(at, nul - at));
    at = nul + 1;
  }
  return out;
}

// A repository whose index holds one of each kind of entry, and a conflict in three stages.
void fill(testing::GitRepo& repo) {
  repo.write("conflict.txt", "base\n");
  repo.write("a/b/c/deep.txt", "deep\n");
  repo.write("caf\xc3\xa9/men\xc3\xbc.txt", "non-ASCII path\n");
  repo.write(std::string(120, 'p') + "/" + std::string(90, 'q') + ".txt", "long path\n");
  repo.write("run.sh", "#!/bin/sh\n");
  repo.write("hidden.txt", "skip-worktree\n");
  repo.commit("base");
  repo.git("checkout -q -b other");
  repo.write("conflict.txt", "theirs\n");
  repo.commit("theirs");
  repo.git("checkout -q main");
  repo.write("conflict.txt", "ours\n");
  repo.commit("ours");
  auto merge = testing::run_command("cd " + testing::shell_quote(repo.str()) + " && " + testing::kGitEnv +
                                    "git merge -q other 2>&1");
  EXPECT_NE(merge.exit_code, 0) << "the merge was meant to conflict";
  std::filesystem::permissions(repo.dir().path() / "run.sh", std::filesystem::perms::owner_exec,
                               std::filesystem::perm_options::add);
  std::filesystem::create_symlink("run.sh", repo.dir().path() / "link");
  repo.write("later.txt", "intent to add\n");
  repo.git("add run.sh link");
  repo.git("add -N later.txt");
  repo.git("update-index --skip-worktree hidden.txt");
  repo.git("update-index --add --cacheinfo 160000," + repo.git("rev-parse HEAD") + ",vendor/module");
}

TEST(IndexFile, EntriesAreThoseGitListsInEveryVersion) {
  for (const char* version : {"2", "3", "4"}) {
    testing::GitRepo repo;
    fill(repo);
    repo.git(std::string("update-index --index-version ") + version);
    auto index = parse_index(index_bytes(repo));
    ASSERT_TRUE(index) << "v" << version << ": " << index.error().message;
    auto expected = git_listed(repo);
    ASSERT_EQ(expected.size(), 11u) << "v" << version;  // 3 conflict stages, 8 others
    EXPECT_EQ(listed(*index), expected) << "v" << version;
  }
}

TEST(IndexFile, CacheTreeComesWithTheEntries) {
  testing::GitRepo repo;
  repo.write("a/b/one.txt", "one\n");
  repo.write("c/two.txt", "two\n");
  repo.commit("first");
  auto index = parse_index(index_bytes(repo));
  ASSERT_TRUE(index) << index.error().message;
  EXPECT_EQ(oid_hex(index->cache_tree.at("")), repo.git("rev-parse HEAD^{tree}"));
  EXPECT_EQ(oid_hex(index->cache_tree.at("a/b")), repo.git("rev-parse HEAD:a/b"));
  EXPECT_EQ(index->cache_tree.size(), 4u);
}

TEST(IndexFile, TheChecksumIsNotVerifiedAsGitDoesNot) {
  testing::GitRepo repo;
  repo.write("one.txt", "one\n");
  repo.commit("first");
  std::string bytes = index_bytes(repo);
  auto with_checksum = parse_index(bytes);
  ASSERT_TRUE(with_checksum) << with_checksum.error().message;
  bytes.replace(bytes.size() - 20, 20, std::string(20, '\0'));  // index.skipHash writes this
  auto without = parse_index(bytes);
  ASSERT_TRUE(without) << without.error().message;
  EXPECT_EQ(listed(*without), listed(*with_checksum));
  // Stat data git does not read for a diff against HEAD, changed under a stale checksum: read
  // as git reads it (git verifies the checksum only in fsck).
  bytes = index_bytes(repo);
  bytes[12 + 8] ^= 0x55;  // the first entry's mtime
  auto restamped = parse_index(bytes);
  ASSERT_TRUE(restamped) << restamped.error().message;
  EXPECT_EQ(listed(*restamped), git_listed(repo));
}

TEST(IndexFile, DamagedIndexesAreRefused) {
  testing::GitRepo repo;
  repo.write("one.txt", "one\n");
  repo.write("two.txt", "two\n");
  repo.commit("first");
  const std::string bytes = index_bytes(repo);
  ASSERT_TRUE(parse_index(bytes));

  // A path damaged out of order: git refuses such an index ("unordered stage entries").
  std::string flipped = bytes;
  flipped[12 + 62] = 'z';  // "one.txt" -> "zne.txt", now after "two.txt"
  auto unordered = parse_index(flipped);
  ASSERT_FALSE(unordered);
  EXPECT_EQ(unordered.error().message, "index: entries out of order");

  EXPECT_FALSE(parse_index(""));
  for (std::size_t cut : {bytes.size() / 2, std::size_t{12 + 40}, bytes.size() - 21})
    EXPECT_FALSE(parse_index(bytes.substr(0, cut))) << "cut at " << cut;  // cut short
  EXPECT_FALSE(parse_index("not an index at all, just some bytes"));

  // Consistent checksums over inconsistent contents: a count past the entries, a version 5.
  auto resum = [](std::string text) {
    text.resize(text.size() - 20);
    Sha1 digest = sha1(text);
    return text + std::string(reinterpret_cast<const char*>(digest.data()), digest.size());
  };
  std::string many = bytes;
  many[11] = 3;
  EXPECT_FALSE(parse_index(resum(many)));
  std::string future = bytes;
  future[7] = 5;
  auto version = parse_index(resum(future));
  ASSERT_FALSE(version);
  EXPECT_EQ(version.error().message, "index: version 5 is not read here");
}

TEST(IndexFile, SplitIndexIsLeftToLibgit2) {
  testing::GitRepo repo;
  repo.write("one.txt", "one\n");
  repo.commit("first");
  repo.git("update-index --split-index");
  // The split file refers to entries of a shared index: read alone it is refused, whether at a
  // replaced entry (no path of its own) or at the "link" extension.
  for (const char* change : {"two.txt", "one.txt"}) {
    repo.write(change, "changed\n");
    repo.git(std::string("add ") + change);
    auto index = parse_index(index_bytes(repo));
    ASSERT_FALSE(index) << change;
    EXPECT_TRUE(index.error().message == "index: mandatory extension not read here" ||
                index.error().message == "index: entry without a path")
        << index.error().message;
  }
}

}  // namespace
}  // namespace keyhound
