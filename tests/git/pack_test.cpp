// The pack reader against libgit2 (an independent reader of the same packs): every object of
// packs with offset deltas and with ref deltas, byte for byte, and damaged packs.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "e2e/git_test_repo.hpp"
#include "git/handles.hpp"
#include "git/pack_reader.hpp"

namespace keyhound {
namespace {

using namespace testing;

// Versions of files that change a little each time, so the pack holds long delta chains.
void build_history(GitRepo& repo) {
  std::string text;
  for (int i = 0; i < 60; ++i) {
    text.insert(text.size() / 2, "line " + std::to_string(i) + " inserted in the middle of the file\n");
    repo.write("src/file.txt", text);
    repo.write("src/n" + std::to_string(i % 7) + ".txt",
               "note " + std::to_string(i) + "\n" + text.substr(0, 200));
    repo.commit("step " + std::to_string(i));
  }
}

struct Odb {
  explicit Odb(const std::string& path) {
    git_repository* raw = nullptr;
    EXPECT_EQ(git_repository_open(&raw, path.c_str()), 0);
    repo.reset(raw);
    git_odb* raw_odb = nullptr;
    EXPECT_EQ(git_repository_odb(&raw_odb, raw), 0);
    odb.reset(raw_odb);
  }
  GitLibrary library;
  RepositoryPtr repo;
  OdbPtr odb;
};

std::vector<git_oid> all_objects(GitRepo& repo) {
  std::vector<git_oid> oids;
  std::istringstream lines(repo.git("cat-file --batch-all-objects --batch-check='%(objectname)'"));
  for (std::string hex; lines >> hex;) {
    git_oid oid;
    git_oid_fromstr(&oid, hex.c_str());
    oids.push_back(oid);
  }
  return oids;
}

// Reads every object both ways and compares; counts the deltas.
void expect_same_as_libgit2(GitRepo& repo, int& deltas) {
  Odb odb(repo.str());
  PackSet packs({repo.str() + "/.git/objects"});
  EXPECT_EQ(packs.pack_count(), 1u);
  PackReader reader(packs, 1 << 16);  // small: evictions and deep chains get exercised too
  for (const auto& oid : all_objects(repo)) {
    SCOPED_TRACE(oid_hex(oid));
    auto position = packs.find(oid);
    ASSERT_TRUE(position);
    EXPECT_EQ(oid_hex(*packs.oid_at(*position)), oid_hex(oid));
    git_odb_object* raw = nullptr;
    ASSERT_EQ(git_odb_read(&raw, odb.odb.get(), &oid), 0);
    OdbObjectPtr theirs(raw);
    std::string_view expected(static_cast<const char*>(git_odb_object_data(raw)), git_odb_object_size(raw));

    auto header = reader.header(*position);
    ASSERT_TRUE(header) << header.error().message;
    EXPECT_EQ(header->type, git_odb_object_type(raw));
    EXPECT_EQ(header->size, expected.size());

    auto ours = reader.read(*position, true);
    ASSERT_TRUE(ours) << ours.error().message;
    EXPECT_EQ(ours->type, git_odb_object_type(raw));
    ASSERT_EQ(ours->bytes.view(), expected);
    if (!ours->base) continue;
    ++deltas;
    // Every recorded copy holds the base's bytes; copies are in order and do not overlap.
    auto base = reader.read(*ours->base);
    ASSERT_TRUE(base);
    std::size_t after = 0;
    for (const auto& copy : ours->copies) {
      EXPECT_GE(copy.target, after);
      after = copy.target + copy.length;
      ASSERT_LE(after, ours->bytes.size());
      ASSERT_LE(copy.base + copy.length, base->bytes.size());
      EXPECT_EQ(ours->bytes.view().substr(copy.target, copy.length),
                base->bytes.view().substr(copy.base, copy.length));
    }
  }
}

TEST(GitPack, OffsetDeltasReadLikeLibgit2) {
  GitRepo repo;
  build_history(repo);
  repo.git("repack -q -a -d -f --depth=50");
  int deltas = 0;
  expect_same_as_libgit2(repo, deltas);
  EXPECT_GT(deltas, 100);
}

TEST(GitPack, RefDeltasReadLikeLibgit2) {
  GitRepo repo;
  build_history(repo);
  repo.git("-c repack.useDeltaBaseOffset=false repack -q -a -d -f --depth=50");
  int deltas = 0;
  expect_same_as_libgit2(repo, deltas);
  EXPECT_GT(deltas, 100);
}

// The pack file and the offset of its biggest whole (non-delta) object.
std::pair<std::string, std::uint64_t> biggest_whole_object(GitRepo& repo) {
  std::string pack_path;
  for (const auto& entry : std::filesystem::directory_iterator(repo.dir().path() / ".git/objects/pack"))
    if (entry.path().extension() == ".pack") pack_path = entry.path().string();
  PackSet packs({repo.str() + "/.git/objects"});
  PackReader reader(packs);
  std::uint64_t offset = 0, size = 0;
  for (const auto& oid : all_objects(repo)) {
    auto position = packs.find(oid);
    auto object = reader.read(*position);
    if (object && !object->base && object->bytes.size() > size) {
      size = object->bytes.size();
      offset = position->offset;
    }
  }
  EXPECT_GT(size, 1000u);
  return {pack_path, offset};
}

void overwrite(const std::string& path, std::uint64_t at, const std::string& bytes) {
  std::filesystem::permissions(path, std::filesystem::perms::owner_write, std::filesystem::perm_options::add);
  std::fstream file(path, std::ios::in | std::ios::out | std::ios::binary);
  file.seekp(static_cast<std::streamoff>(at));
  file.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
}

TEST(GitPack, DamagedEntryIsAnErrorNamingPackAndOffset) {
  GitRepo repo;
  build_history(repo);
  repo.git("repack -q -a -d -f");
  auto [pack_path, offset] = biggest_whole_object(repo);
  overwrite(pack_path, offset + 20, std::string(8, '\xff'));  // the middle of its zlib data
  PackSet damaged({repo.str() + "/.git/objects"});
  PackReader reader(damaged);
  auto object = reader.read({0, offset});
  ASSERT_FALSE(object);
  EXPECT_EQ(object.error().message,
            pack_path + " at offset " + std::to_string(offset) + ": damaged zlib data");
  auto outside = reader.read({0, 1u << 30});
  ASSERT_FALSE(outside);
  EXPECT_EQ(outside.error().message,
            pack_path + " at offset " + std::to_string(1u << 30) + ": offset outside the pack");
}

TEST(GitPack, AbsurdSizeInAHeaderIsAnErrorNotAnAllocation) {
  GitRepo repo;
  build_history(repo);
  repo.git("repack -q -a -d -f");
  auto [pack_path, offset] = biggest_whole_object(repo);
  // A blob entry header claiming about 2^39 bytes.
  overwrite(pack_path, offset, std::string("\xbf\xff\xff\xff\xff\x7f", 6));
  PackSet damaged({repo.str() + "/.git/objects"});
  PackReader reader(damaged);
  // Refused when the header is parsed: neither the header nor the object is believed.
  std::string claims = pack_path + " at offset " + std::to_string(offset) + ": entry claims " +
                       std::to_string((std::uint64_t{1} << 39) - 1) + " bytes, more than its ";
  auto header = reader.header({0, offset});
  ASSERT_FALSE(header);
  EXPECT_EQ(header.error().message.substr(0, claims.size()), claims);
  auto object = reader.read({0, offset});
  ASSERT_FALSE(object);
  EXPECT_EQ(object.error().message.substr(0, claims.size()), claims);
}

// Every object once, in offset order, typed by its headers as git types it.
TEST(GitPack, EveryObjectInPackOrderTypedAsGitListsThem) {
  GitRepo repo;
  build_history(repo);
  repo.git("repack -q -a -d");
  PackSet packs({repo.str() + "/.git/objects"});
  std::vector<std::string> listed;
  std::istringstream lines(
      repo.git("cat-file --batch-all-objects --batch-check='%(objectname) %(objecttype)'"));
  for (std::string hex, kind; lines >> hex >> kind;) listed.push_back(hex + " " + kind);
  std::vector<std::string> ours;
  std::uint64_t last = 0;
  bool ordered = true;
  packs.for_each_object([&](PackPosition position, const git_oid& oid, git_object_t type) {
    ordered = ordered && position.key() >= last;
    last = position.key();
    ours.push_back(oid_hex(oid) + " " + git_object_type2string(type));
  });
  EXPECT_TRUE(ordered);
  std::sort(ours.begin(), ours.end());
  EXPECT_EQ(ours, listed);
}

}  // namespace
}  // namespace keyhound
