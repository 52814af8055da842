// Fuzzes the pack index and pack reader together: input = 4-byte index length, the .idx bytes,
// then the .pack bytes, written to a private directory; every object the index lists is read.
// Damage must come back as errors, never as a crash, a hang or a huge allocation.
#include <unistd.h>

#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>

#include "git/pack_reader.hpp"

namespace {

const std::string& work_dir() {
  static const std::string dir = [] {
    char name[] = "/tmp/keyhound-fuzz-pack-XXXXXX";
    const char* made = mkdtemp(name);
    std::filesystem::create_directories(std::string(made ? made : "/tmp/keyhound-fuzz-pack") + "/pack");
    return std::string(made ? made : "/tmp/keyhound-fuzz-pack");
  }();
  return dir;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 4) return 0;
  std::size_t idx_size =
      (std::size_t{data[0]} << 24) | (std::size_t{data[1]} << 16) | (data[2] << 8) | data[3];
  idx_size = std::min(idx_size, size - 4);
  const std::string& dir = work_dir();
  {
    std::ofstream(dir + "/pack/pack-f.idx", std::ios::binary | std::ios::trunc)
        .write(reinterpret_cast<const char*>(data + 4), static_cast<std::streamsize>(idx_size));
    std::ofstream(dir + "/pack/pack-f.pack", std::ios::binary | std::ios::trunc)
        .write(reinterpret_cast<const char*>(data + 4 + idx_size),
               static_cast<std::streamsize>(size - 4 - idx_size));
  }
  (void)keyhound::for_each_pack_index_entry(dir + "/pack/pack-f.idx", [](const git_oid&, std::uint64_t) {});
  keyhound::PackSet packs({dir});
  if (packs.pack_count() == 0) return 0;
  keyhound::PackReader reader(packs, 1 << 20);
  packs.for_each_object([&](keyhound::PackPosition position, const git_oid& oid, git_object_t) {
    if (auto header = reader.header(position); header) (void)header->size;
    if (auto object = reader.read(position, true); object) (void)object->bytes.size();
    (void)packs.find(oid);
    (void)packs.oid_at(position);
  });
  return 0;
}
