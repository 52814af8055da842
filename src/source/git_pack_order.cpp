// Reads pack .idx files (format: gitformat-pack(5)) to sort objects by their place in a pack.
#include "source/git_pack_order.hpp"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cstring>
#include <filesystem>
#include <numeric>
#include <unordered_map>

#include "source/git_handles.hpp"

namespace keyhound {
namespace {

// A read-only mapping of a whole file, unmapped when it goes away.
class MappedFile {
 public:
  explicit MappedFile(const std::string& path) {
    int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) return;
    struct stat info {};
    if (::fstat(fd, &info) == 0 && info.st_size > 0) {
      void* data = ::mmap(nullptr, static_cast<std::size_t>(info.st_size), PROT_READ, MAP_PRIVATE, fd, 0);
      if (data != MAP_FAILED) {
        data_ = static_cast<const unsigned char*>(data);
        size_ = static_cast<std::size_t>(info.st_size);
      }
    }
    ::close(fd);
  }
  ~MappedFile() {
    if (data_) ::munmap(const_cast<unsigned char*>(data_), size_);
  }
  MappedFile(const MappedFile&) = delete;
  MappedFile& operator=(const MappedFile&) = delete;
  const unsigned char* data() const { return data_; }
  std::size_t size() const { return size_; }

 private:
  const unsigned char* data_ = nullptr;
  std::size_t size_ = 0;
};

std::uint32_t be32(const unsigned char* p) {
  return (std::uint32_t{p[0]} << 24) | (std::uint32_t{p[1]} << 16) | (std::uint32_t{p[2]} << 8) | p[3];
}

}  // namespace

Status for_each_pack_index_entry(const std::string& idx_path,
                                 const std::function<void(const git_oid&, std::uint64_t)>& visit) {
  MappedFile file(idx_path);
  const unsigned char* data = file.data();
  std::size_t size = file.size();
  auto corrupt = [&](const char* why) { return make_error("pack index " + idx_path + ": " + why); };
  if (!data) return corrupt("cannot be read");
  static constexpr unsigned char kMagic[4] = {0xff, 't', 'O', 'c'};
  bool version2 = size >= 8 && std::memcmp(data, kMagic, 4) == 0;
  if (version2 && be32(data + 4) != 2) return corrupt("unsupported version");
  std::size_t fanout_at = version2 ? 8 : 0;
  if (size < fanout_at + 256 * 4) return corrupt("truncated");
  std::size_t count = be32(data + fanout_at + 255 * 4);
  git_oid oid;
  if (!version2) {
    // Version 1: after the fanout, (4-byte offset, 20-byte oid) pairs.
    std::size_t entries = fanout_at + 256 * 4;
    if (size < entries + count * 24) return corrupt("truncated");
    for (std::size_t i = 0; i < count; ++i) {
      const unsigned char* entry = data + entries + i * 24;
      git_oid_fromraw(&oid, entry + 4);
      visit(oid, be32(entry));
    }
    return Ok{};
  }
  // Version 2: oids, then CRCs, then 4-byte offsets (high bit: index into 8-byte offsets).
  std::size_t oids_at = fanout_at + 256 * 4;
  std::size_t offsets_at = oids_at + count * 20 + count * 4;
  std::size_t large_at = offsets_at + count * 4;
  if (size < large_at) return corrupt("truncated");
  std::size_t large_count = (size - large_at) / 8;
  for (std::size_t i = 0; i < count; ++i) {
    git_oid_fromraw(&oid, data + oids_at + i * 20);
    std::uint64_t offset = be32(data + offsets_at + i * 4);
    if (offset & 0x80000000u) {
      std::size_t large = offset & 0x7fffffffu;
      if (large >= large_count) return corrupt("bad 64-bit offset");
      const unsigned char* p = data + large_at + large * 8;
      offset = (std::uint64_t{be32(p)} << 32) | be32(p + 4);
    }
    visit(oid, offset);
  }
  return Ok{};
}

void sort_in_pack_order(const std::vector<std::string>& object_dirs, std::vector<git_oid>& oids) {
  std::unordered_map<git_oid, std::size_t, OidHash, OidEqual> position;
  position.reserve(oids.size());
  for (std::size_t i = 0; i < oids.size(); ++i) position.emplace(oids[i], i);
  // Key: pack number in the high bits, offset below; loose objects get the largest key.
  std::vector<std::uint64_t> key(oids.size(), ~std::uint64_t{0});
  std::uint64_t pack_number = 0;
  for (const auto& dir : object_dirs) {
    std::error_code ec;
    std::vector<std::string> indexes;
    for (const auto& entry : std::filesystem::directory_iterator(dir + "/pack", ec))
      if (entry.path().extension() == ".idx") indexes.push_back(entry.path().string());
    std::sort(indexes.begin(), indexes.end());
    for (const auto& idx : indexes) {
      std::uint64_t high = pack_number++ << 44;  // packs up to 16 TiB, a million packs
      auto status = for_each_pack_index_entry(idx, [&](const git_oid& oid, std::uint64_t offset) {
        auto found = position.find(oid);
        if (found != position.end()) key[found->second] = std::min(key[found->second], high | offset);
      });
      (void)status;  // an unreadable index only loses the order of its objects
    }
  }
  std::vector<std::size_t> order(oids.size());
  std::iota(order.begin(), order.end(), std::size_t{0});
  std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
    if (key[a] != key[b]) return key[a] < key[b];
    return git_oid_cmp(&oids[a], &oids[b]) < 0;
  });
  std::vector<git_oid> sorted;
  sorted.reserve(oids.size());
  for (std::size_t i : order) sorted.push_back(oids[i]);
  oids.swap(sorted);
}

}  // namespace keyhound
