// The pack index reader and the pack-order blob listing, checked against git's own tools.
#include "git/pack_order.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <map>
#include <sstream>

#include "e2e/git_test_repo.hpp"
#include "git/handles.hpp"

namespace keyhound {
namespace {

using namespace testing;

// A packed repository with blobs, trees, commits, a tag and deltas (versions of one file).
void build_packed(GitRepo& repo) {
  std::string text;
  for (int i = 0; i < 40; ++i) {
    text += "line " + std::to_string(i) + " of a file that changes a little each time\n";
    repo.write("src/file.txt", text);
    repo.write("src/n" + std::to_string(i % 7) + ".txt", "note " + std::to_string(i) + "\n");
    repo.commit("step " + std::to_string(i));
  }
  repo.git("tag -a v1 -m v1");
  repo.git("gc -q");
}

std::string only_index(const GitRepo& repo) {
  for (const auto& entry : std::filesystem::directory_iterator(repo.dir().path() / ".git/objects/pack"))
    if (entry.path().extension() == ".idx") return entry.path().string();
  return "";
}

TEST(GitPackOrder, IndexEntriesMatchGitShowIndex) {
  GitRepo repo;
  build_packed(repo);
  std::string idx = only_index(repo);
  ASSERT_FALSE(idx.empty());
  std::map<std::string, std::uint64_t> ours;
  ASSERT_TRUE(for_each_pack_index_entry(
      idx, [&](const git_oid& oid, std::uint64_t offset) { ours[oid_hex(oid)] = offset; }));
  // git show-index prints "<offset> <oid> (<crc>)" per object.
  std::map<std::string, std::uint64_t> theirs;
  std::istringstream lines(run_command("git show-index < " + shell_quote(idx)).out);
  for (std::string offset, oid, crc; lines >> offset >> oid >> crc;) theirs[oid] = std::stoull(offset);
  EXPECT_GT(theirs.size(), 100u);
  EXPECT_EQ(ours, theirs);
}

TEST(GitPackOrder, AllBlobsComeOnceInOffsetOrder) {
  GitRepo repo;
  build_packed(repo);
  std::map<std::string, std::uint64_t> offsets;
  std::istringstream index_lines(run_command("git show-index < " + shell_quote(only_index(repo))).out);
  for (std::string offset, oid, crc; index_lines >> offset >> oid >> crc;) offsets[oid] = std::stoull(offset);
  // Expected: git's list of blobs, ordered by offset.
  std::vector<std::pair<std::uint64_t, std::string>> expected;
  std::istringstream objects(
      repo.git("cat-file --batch-all-objects --batch-check='%(objectname) %(objecttype)'"));
  for (std::string oid, type; objects >> oid >> type;)
    if (type == "blob") expected.emplace_back(offsets.at(oid), oid);
  std::sort(expected.begin(), expected.end());
  // A loose blob too (written after the gc): it comes last.
  repo.write("loose.txt", "loose\n");
  std::string loose = repo.git("hash-object -w loose.txt");
  expected.emplace_back(~0ull, loose);

  GitLibrary library;
  git_repository* raw = nullptr;
  ASSERT_EQ(git_repository_open(&raw, repo.str().c_str()), 0);
  RepositoryPtr handle(raw);
  git_odb* raw_odb = nullptr;
  ASSERT_EQ(git_repository_odb(&raw_odb, raw), 0);
  OdbPtr odb(raw_odb);
  PackSet packs({repo.str() + "/.git/objects"});
  ASSERT_EQ(packs.pack_count(), 1u);
  EXPECT_TRUE(packs.problems().empty());
  std::vector<std::string> ours;
  for (const auto& blob : all_blobs_in_pack_order(packs, {repo.str() + "/.git/objects"}, odb.get()))
    ours.push_back(oid_hex(blob.oid));
  std::vector<std::string> theirs;
  for (const auto& [offset, oid] : expected) theirs.push_back(oid);
  EXPECT_EQ(ours, theirs);

  // in_pack_order puts any subset into the same order.
  std::vector<git_oid> subset;
  for (std::size_t i = theirs.size(); i-- > 0;)
    if (i % 2 == 0) {
      git_oid oid;
      git_oid_fromstr(&oid, theirs[i].c_str());
      subset.push_back(oid);
    }
  std::vector<std::string> sorted;
  for (const auto& blob : in_pack_order(packs, subset)) sorted.push_back(oid_hex(blob.oid));
  std::vector<std::string> every_other;
  for (std::size_t i = 0; i < theirs.size(); i += 2) every_other.push_back(theirs[i]);
  EXPECT_EQ(sorted, every_other);
}

TEST(GitPackOrder, UnreadableIndexIsAnErrorNamingIt) {
  TempDir dir;
  // In the pack folder of an object directory, where PackSet looks (the old test wrote it
  // beside, so it always saw 0 packs whatever the reader did).
  auto path = dir.write("pack/pack-x.idx", "not an index").string();
  dir.write("pack/pack-x.pack", "PACK");
  auto status = for_each_pack_index_entry(path, [](const git_oid&, std::uint64_t) {});
  ASSERT_FALSE(status);
  EXPECT_EQ(status.error().message, "pack index " + path + ": index file is too small (truncated)");
  PackSet packs({dir.path().string()});  // an unreadable index leaves its pack out, and says so
  EXPECT_EQ(packs.pack_count(), 0u);
  ASSERT_EQ(packs.problems().size(), 1u);
  EXPECT_EQ(packs.problems()[0], path + ": index file is too small (truncated)");
}

}  // namespace
}  // namespace keyhound
