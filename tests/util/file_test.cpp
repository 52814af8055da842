// Whole-file reads and cache entries: exact bytes from regular files, pseudo-files that say
// they are empty, pipes; errors that name the file; entries rejected when foreign or damaged.
#include "util/file.hpp"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <fstream>
#include <thread>

#include "support/support.hpp"
#include "util/cache_file.hpp"

namespace keyhound {
namespace {

TEST(ReadWholeFile, ExactBytesOfRegularAndPseudoFilesRefusingPipesAndOversize) {
  testing::TempDir dir;
  std::string content(100000, 'x');
  content[5] = '\0';
  content.back() = '\n';
  auto path = dir.write("big.bin", content);
  auto read = read_whole_file(path.string());
  ASSERT_TRUE(read.ok());
  EXPECT_EQ(*read, content);

  auto empty = read_whole_file(dir.write("empty", "").string());
  ASSERT_TRUE(empty.ok());
  EXPECT_EQ(*empty, "");

  // /proc files are regular with a size of 0, yet hold text.
  auto status = read_whole_file("/proc/self/status");
  ASSERT_TRUE(status.ok());
  EXPECT_EQ(status->rfind("Name:", 0), 0u);

  // A FIFO would block or never end: refused at once, without waiting for a writer.
  std::string fifo = dir.str() + "/pipe";
  ASSERT_EQ(mkfifo(fifo.c_str(), 0600), 0);
  auto from_pipe = read_whole_file(fifo);
  ASSERT_FALSE(from_pipe.ok());
  EXPECT_EQ(from_pipe.error().message, "cannot read " + fifo + ": not a regular file");

  auto too_big = read_whole_file(path.string(), 99999);
  ASSERT_FALSE(too_big.ok());
  EXPECT_EQ(too_big.error().message,
            "cannot read " + path.string() + ": 100000 bytes is over the limit of 99999");

  auto missing = read_whole_file(dir.str() + "/nope.yml");
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().message, "cannot read " + dir.str() + "/nope.yml: No such file or directory");
}

TEST(CacheEntry, ReadsBackWhatWasWrittenAndRejectsDamage) {
  testing::TempDir dir;
  std::string path = dir.str() + "/sub/entry.bin";
  write_cache_entry(path, "magic-1\n", "payload bytes");
  auto entry = read_cache_entry(path, "magic-1\n");
  ASSERT_TRUE(entry.has_value());
  EXPECT_EQ(entry->payload, "payload bytes");
  EXPECT_FALSE(read_cache_entry(path, "magic-2\n").has_value());  // another format
  EXPECT_FALSE(read_cache_entry(dir.str() + "/none.bin", "magic-1\n").has_value());

  auto bytes = read_whole_file(path);
  ASSERT_TRUE(bytes.ok());
  std::string damaged = *bytes;
  damaged.back() ^= 1;
  dir.write("damaged.bin", damaged);
  EXPECT_FALSE(read_cache_entry(dir.str() + "/damaged.bin", "magic-1\n").has_value());
  dir.write("short.bin", damaged.substr(0, 20));
  EXPECT_FALSE(read_cache_entry(dir.str() + "/short.bin", "magic-1\n").has_value());
}

}  // namespace
}  // namespace keyhound
