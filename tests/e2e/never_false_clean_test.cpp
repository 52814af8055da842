// Regression tests for issue 18's reproducers: every way keyhound used to say "0 findings" (or
// hang, or eat memory) when it had not looked. Each builds its input at test time.
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <zlib.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "e2e/git_test_repo.hpp"
#include "support/build_paths.hpp"
#include "support/support.hpp"

namespace keyhound::testing {
namespace {

namespace fs = std::filesystem;

// A synthetic AWS access key id (random base32).
constexpr const char* kKey = "AKIAVQ3M6TXP2HLD7WJE";

std::string key_file() {
  return std::string("aws_access_key_id = ") + kKey + "\n";
}

// The binary with the tests' private cache, for command lines that add `timeout` or `ulimit`.
std::string keyhound_command() {
  return "env KEYHOUND_CACHE_DIR=" + shell_quote(KEYHOUND_TEST_CACHE_DIR) + " " + shell_quote(KEYHOUND_BIN);
}

// Reproducer 1: a deep tree with few descriptors left. The old walk held one descriptor per
// level and stopped silently at the first EMFILE; this one keeps one directory open at a time.
TEST(NeverFalseClean, DeepTreeWithFewDescriptorsIsWalkedWhole) {
  TempDir dir;
  std::string deep;
  for (int i = 0; i < 120; ++i) deep += "d/";
  dir.write(deep + "bottom.env", key_file());
  dir.write("z-after.env", std::string("aws_access_key_id = AKIAB4JZ7NQXK2MPL5RT\n"));
  auto result = run_command("ulimit -n 40 && " + keyhound_command() + " scan --format json --threads 2 " +
                            shell_quote(dir.str()));
  ASSERT_EQ(result.exit_code, 1) << result.err;
  auto report = nlohmann::json::parse(result.out);
  EXPECT_EQ(report["summary"]["findings"], 2) << result.out;
  EXPECT_EQ(report["summary"]["not_scanned"], 0);
  EXPECT_EQ(result.err, "");
}

// Reproducer 1, the limit side: what lies past the depth limit is a counted coverage loss, and
// --strict turns it into exit 2.
TEST(NeverFalseClean, DepthPastTheLimitIsNotScannedAndStrictFails) {
  TempDir dir;
  std::string deep;
  for (int i = 0; i < 260; ++i) deep += "d/";
  dir.write(deep + "bottom.env", key_file());
  dir.write("top.env", "nothing here\n");
  std::string err;
  auto report = scan_report({dir.str()}, 0, "", &err);
  EXPECT_EQ(report["summary"]["not_scanned"], 1);
  EXPECT_EQ(report["summary"]["not_scanned_limit"], 1);
  EXPECT_NE(err.find("deeper than 256 levels"), std::string::npos) << err;
  EXPECT_NE(err.find("1 input was not scanned"), std::string::npos) << err;
  auto strict = run_keyhound({"scan", "--strict", dir.str()});
  EXPECT_EQ(strict.exit_code, 2) << strict.err;
  EXPECT_NE(strict.err.find("(--strict)"), std::string::npos) << strict.err;
}

// Puts the key in the history and repacks it, so everything lives in one pack.
void pack_with_key(GitRepo& repo) {
  repo.write("config.env", key_file());
  repo.commit("add config");
  repo.git("gc -q");
}

fs::path only_file(const fs::path& dir, const std::string& extension) {
  for (const auto& entry : fs::directory_iterator(dir))
    if (entry.path().extension() == extension) return entry.path();
  ADD_FAILURE() << "no " << extension << " in " << dir;
  return {};
}

// Reproducer 2: a truncated pack index read as an empty history (0 findings, exit 0).
TEST(NeverFalseClean, TruncatedPackIndexIsAnError) {
  GitRepo repo;
  pack_with_key(repo);
  fs::path idx = only_file(fs::path(repo.str()) / ".git/objects/pack", ".idx");
  fs::resize_file(idx, 1000);
  auto result = run_keyhound({"scan", "--git", repo.str()});
  EXPECT_EQ(result.exit_code, 2) << result.out;
  EXPECT_NE(result.err.find(idx.filename().string()), std::string::npos) << result.err;
  EXPECT_NE(result.err.find("too small"), std::string::npos) << result.err;
  EXPECT_EQ(result.out, "");
}

TEST(NeverFalseClean, TruncatedPackIsAnError) {
  GitRepo repo;
  pack_with_key(repo);
  fs::path pack = only_file(fs::path(repo.str()) / ".git/objects/pack", ".pack");
  fs::resize_file(pack, 12);
  auto result = run_keyhound({"scan", "--git", repo.str()});
  EXPECT_EQ(result.exit_code, 2) << result.out;
  EXPECT_NE(result.err.find(pack.filename().string()), std::string::npos) << result.err;
  EXPECT_NE(result.err.find("truncated"), std::string::npos) << result.err;
}

// Reproducer 3: --prune after a scan that lost coverage dropped every entry, triage included.
TEST(NeverFalseClean, PruneIsRefusedWhenTheScanLostCoverage) {
  TempDir dir;
  dir.write("app.env", key_file());
  std::string baseline = (dir.path() / "baseline.json").string();
  ASSERT_EQ(run_keyhound({"baseline", "create", "--file", baseline, dir.str()}).exit_code, 0);
  auto listed = nlohmann::json::parse(read_text(baseline));
  ASSERT_EQ(listed["entries"].size(), 1u) << listed;
  std::string fingerprint = listed["entries"][0]["fingerprint"];
  ASSERT_EQ(run_keyhound({"baseline", "set", "--file", baseline, fingerprint, "false_positive"}).exit_code,
            0);
  std::string before = read_text(baseline);

  // The file moves below the depth limit: the scan no longer sees it, and says so.
  std::string deep;
  for (int i = 0; i < 260; ++i) deep += "d/";
  fs::create_directories(dir.path() / deep);
  fs::rename(dir.path() / "app.env", dir.path() / deep / "app.env");
  auto pruned = run_keyhound({"baseline", "update", "--prune", "--file", baseline, dir.str()});
  EXPECT_EQ(pruned.exit_code, 2) << pruned.out;
  EXPECT_NE(pruned.err.find("refusing to --prune"), std::string::npos) << pruned.err;
  EXPECT_EQ(read_text(baseline), before) << "the baseline changed";

  // Without --prune the update goes through and keeps the entry.
  auto kept = run_keyhound({"baseline", "update", "--file", baseline, dir.str()});
  EXPECT_EQ(kept.exit_code, 0) << kept.err;
  EXPECT_NE(read_text(baseline).find("false_positive"), std::string::npos);
}

// Writes a pack and its version 2 index by hand: `objects` are (oid byte, raw entry bytes).
void write_pack(const fs::path& dir, const std::vector<std::pair<unsigned char, std::string>>& objects) {
  std::string pack = "PACK";
  auto be32 = [](std::string& out, std::uint32_t v) {
    for (int shift = 24; shift >= 0; shift -= 8) out.push_back(static_cast<char>((v >> shift) & 0xff));
  };
  be32(pack, 2);
  be32(pack, static_cast<std::uint32_t>(objects.size()));
  std::vector<std::uint32_t> offsets;
  for (const auto& [oid, entry] : objects) {
    offsets.push_back(static_cast<std::uint32_t>(pack.size()));
    pack += entry;
  }
  pack += std::string(20, '\0');  // trailer (keyhound does not check the checksum)
  std::string idx = "\xfftOc";
  be32(idx, 2);
  for (int byte = 0; byte < 256; ++byte) {
    std::uint32_t count = 0;
    for (const auto& object : objects) count += object.first <= byte;
    be32(idx, count);
  }
  for (const auto& object : objects)
    idx += std::string(20, static_cast<char>(object.first));      // sorted by caller
  for (std::size_t i = 0; i < objects.size(); ++i) be32(idx, 0);  // CRCs
  for (auto offset : offsets) be32(idx, offset);
  idx += std::string(40, '\0');
  std::ofstream(dir / "pack-hand.pack", std::ios::binary) << pack;
  std::ofstream(dir / "pack-hand.idx", std::ios::binary) << idx;
}

std::string deflated(const std::string& data) {
  uLongf size = compressBound(data.size());
  std::string out(size, '\0');
  EXPECT_EQ(compress(reinterpret_cast<Bytef*>(out.data()), &size, reinterpret_cast<const Bytef*>(data.data()),
                     data.size()),
            Z_OK);
  out.resize(size);
  return out;
}

// An entry header: type and size in git's varint.
std::string entry_header(int type, std::uint64_t size) {
  std::string out;
  unsigned char byte = static_cast<unsigned char>((type << 4) | (size & 15));
  size >>= 4;
  while (size) {
    out.push_back(static_cast<char>(byte | 0x80));
    byte = size & 0x7f;
    size >>= 7;
  }
  out.push_back(static_cast<char>(byte));
  return out;
}

// Reproducer 4: an entry header claiming a 3.5 GB delta made the reader allocate and zero it
// (58 s, 5.5 GB) before finding the stream short. Now the claim is checked against the entry's
// own compressed bytes first, and the blob is a counted loss, not a silent one.
TEST(NeverFalseClean, AHugeDeltaClaimIsRefusedBeforeAllocating) {
  GitRepo repo;
  std::string base = "base blob\n";
  std::string whole = entry_header(3, base.size()) + deflated(base);
  std::string delta_data = std::string("\x0a\x0b", 2) + "\x90\x0a" + "\x01x";  // sizes 10 -> 11, copy, insert
  // An offset delta whose base is the entry just before it (the distance fits one byte).
  std::string claim = entry_header(6, 3'500'000'000ull) + std::string(1, static_cast<char>(whole.size())) +
                      deflated(delta_data);
  write_pack(fs::path(repo.str()) / ".git/objects/pack", {{0x11, whole}, {0xab, claim}});
  auto result = run_keyhound({"scan", "--git", "--format", "json", repo.str()});
  EXPECT_EQ(result.exit_code, 0) << result.err;
  EXPECT_NE(result.err.find("claims 3500000000 bytes"), std::string::npos) << result.err;
  auto report = nlohmann::json::parse(result.out);
  EXPECT_EQ(report["summary"]["not_scanned"], 1) << result.out;
  EXPECT_EQ(run_keyhound({"scan", "--git", "--strict", repo.str()}).exit_code, 2);
}

// Reproducer 4: rules, config and baseline naming a device or a FIFO read without end or block.
TEST(NeverFalseClean, DevicesAndFifosAreRefusedAsInputFiles) {
  TempDir dir;
  dir.write("app.env", "nothing\n");
  std::string fifo = (dir.path() / "fifo").string();
  ASSERT_EQ(mkfifo(fifo.c_str(), 0600), 0);
  std::string root = shell_quote(dir.str());
  for (const std::string& args :
       std::vector<std::string>{"--rules /dev/zero", "--rules " + shell_quote(fifo), "--config /dev/zero",
                                "--config " + shell_quote(fifo), "--baseline " + shell_quote(fifo)}) {
    auto result = run_command("timeout 20 " + keyhound_command() + " scan " + args + " " + root);
    EXPECT_EQ(result.exit_code, 2) << args << "\n" << result.err;
    EXPECT_NE(result.err.find("not a regular file"), std::string::npos) << args << "\n" << result.err;
  }
  dir.write(".keyhound.yml", "rules: [/dev/zero]\n");
  auto from_config = run_command("timeout 20 " + keyhound_command() + " scan " + root);
  EXPECT_EQ(from_config.exit_code, 2) << from_config.err;
  EXPECT_NE(from_config.err.find("not a regular file"), std::string::npos) << from_config.err;
}

// Reproducer 4: two self-links made --follow-symlinks walk forever.
TEST(NeverFalseClean, SymlinkLoopsEndAndEachFileIsScannedOnce) {
  TempDir dir;
  dir.write("app.env", key_file());
  fs::create_directory_symlink(".", dir.path() / "a");
  fs::create_directory_symlink(".", dir.path() / "b");
  auto result = run_command("timeout 30 " + keyhound_command() + " scan --format json --follow-symlinks " +
                            shell_quote(dir.str()));
  ASSERT_EQ(result.exit_code, 1) << result.err;
  auto report = nlohmann::json::parse(result.out);
  ASSERT_EQ(report["findings"].size(), 1u);
  EXPECT_EQ(report["findings"][0]["locations"].size(), 1u) << result.out;
  EXPECT_EQ(report["summary"]["not_scanned"], 0);
  EXPECT_NE(result.err.find("symlink loop"), std::string::npos) << result.err;
}

// Reproducer 6: a token in the remote URL's query string reached SARIF's repositoryUri.
TEST(NeverFalseClean, RemoteUrlQueryAndFragmentNeverReachTheReport) {
  GitRepo repo;
  repo.write("config.env", key_file());
  repo.commit("add config");
  repo.git("remote add origin 'https://host.example/org/repo.git?access_token=Zq81xTokenValue#frag'");
  auto result = run_keyhound({"scan", "--git", "--format", "sarif", repo.str()});
  ASSERT_EQ(result.exit_code, 1) << result.err;
  EXPECT_EQ(result.out.find("Zq81xTokenValue"), std::string::npos);
  EXPECT_EQ(result.out.find("frag"), std::string::npos);
  auto sarif = nlohmann::json::parse(result.out);
  EXPECT_EQ(sarif["runs"][0]["versionControlProvenance"][0]["repositoryUri"],
            "https://host.example/org/repo.git");
}

}  // namespace
}  // namespace keyhound::testing
