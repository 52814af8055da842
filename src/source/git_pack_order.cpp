// Reads pack .idx files (format: gitformat-pack(5)) to sort objects by their place in a pack.
#include "source/git_pack_order.hpp"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cstring>
#include <filesystem>
#include <numeric>

#include "source/git_handles.hpp"
#include "source/git_oid_table.hpp"

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

// Every pack index of the object directories: directory order, then by name.
static std::vector<std::string> pack_index_files(const std::vector<std::string>& object_dirs) {
  std::vector<std::string> all;
  for (const auto& dir : object_dirs) {
    std::error_code ec;
    std::vector<std::string> indexes;
    for (const auto& entry : std::filesystem::directory_iterator(dir + "/pack", ec))
      if (entry.path().extension() == ".idx") indexes.push_back(entry.path().string());
    std::sort(indexes.begin(), indexes.end());
    all.insert(all.end(), indexes.begin(), indexes.end());
  }
  return all;
}

void sort_in_pack_order(const std::vector<std::string>& object_dirs, std::vector<git_oid>& oids) {
  // An index lists its objects in oid order, so a merge with the sorted oids finds them all.
  auto oid_less = [](const git_oid& a, const git_oid& b) { return std::memcmp(a.id, b.id, GIT_OID_RAWSZ) < 0; };
  std::sort(oids.begin(), oids.end(), oid_less);
  // Key: pack number in the high bits, offset below; loose objects get the largest key.
  std::vector<std::uint64_t> key(oids.size(), ~std::uint64_t{0});
  std::uint64_t pack_number = 0;
  for (const auto& idx : pack_index_files(object_dirs)) {
    std::uint64_t high = pack_number++ << 44;  // packs up to 16 TiB, a million packs
    std::size_t next = 0;
    auto status = for_each_pack_index_entry(idx, [&](const git_oid& oid, std::uint64_t offset) {
      while (next < oids.size() && oid_less(oids[next], oid)) ++next;
      if (next < oids.size() && git_oid_equal(&oids[next], &oid)) key[next] = std::min(key[next], high | offset);
    });
    (void)status;  // an unreadable index only loses the order of its objects
  }
  std::vector<std::size_t> order(oids.size());
  std::iota(order.begin(), order.end(), std::size_t{0});
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return key[a] < key[b]; });
  std::vector<git_oid> sorted;
  sorted.reserve(oids.size());
  for (std::size_t i : order) sorted.push_back(oids[i]);
  oids.swap(sorted);
}

}  // namespace keyhound

namespace keyhound {
namespace {

enum PackType : std::uint8_t { kUnknown = 0, kCommit = 1, kTree = 2, kBlob = 3, kTag = 4, kOfsDelta = 6, kRefDelta = 7 };

struct PackedObject {
  std::uint64_t offset;
  git_oid oid;
  std::uint8_t type = kUnknown;    // resolved type (never a delta once known)
  std::int64_t base = -1;          // index of the delta base in offset order, when in this pack
};

// Resolves every object's type in one pack: a delta has its base's type. Returns false when
// the pack cannot be read (its objects are then left to the loose/odb path).
bool resolve_pack_types(const std::string& pack_path, std::vector<PackedObject>& objects,
                        const std::vector<std::size_t>& by_oid) {
  MappedFile pack(pack_path);
  const unsigned char* data = pack.data();
  std::size_t size = pack.size();
  if (!data || size < 12 || std::memcmp(data, "PACK", 4) != 0) return false;
  auto index_of_offset = [&](std::uint64_t offset) -> std::int64_t {
    auto found = std::lower_bound(objects.begin(), objects.end(), offset,
                                  [](const PackedObject& o, std::uint64_t value) { return o.offset < value; });
    return found != objects.end() && found->offset == offset ? found - objects.begin() : -1;
  };
  auto index_of_oid = [&](const unsigned char* raw) -> std::int64_t {
    auto found = std::lower_bound(by_oid.begin(), by_oid.end(), raw, [&](std::size_t i, const unsigned char* value) {
      return std::memcmp(objects[i].oid.id, value, GIT_OID_RAWSZ) < 0;
    });
    return found != by_oid.end() && std::memcmp(objects[*found].oid.id, raw, GIT_OID_RAWSZ) == 0
               ? static_cast<std::int64_t>(*found) : -1;
  };
  std::vector<std::uint8_t> raw_type(objects.size(), kUnknown);
  for (std::size_t i = 0; i < objects.size(); ++i) {
    std::uint64_t at = objects[i].offset;
    if (at >= size) continue;
    unsigned char byte = data[at++];
    raw_type[i] = (byte >> 4) & 7;
    while ((byte & 0x80) && at < size) byte = data[at++];  // the size: not needed here
    if (raw_type[i] == kOfsDelta) {
      if (at >= size) continue;
      byte = data[at++];
      std::uint64_t distance = byte & 0x7f;
      while ((byte & 0x80) && at < size) {
        byte = data[at++];
        distance = ((distance + 1) << 7) | (byte & 0x7f);
      }
      if (distance <= objects[i].offset) objects[i].base = index_of_offset(objects[i].offset - distance);
    } else if (raw_type[i] == kRefDelta && at + GIT_OID_RAWSZ <= size) {
      objects[i].base = index_of_oid(data + at);
    } else if (raw_type[i] >= kCommit && raw_type[i] <= kTag) {
      objects[i].type = raw_type[i];
    }
  }
  // Bases usually come first, so one pass settles almost everything; repeat for the rest.
  for (bool progress = true; progress;) {
    progress = false;
    for (auto& object : objects)
      if (object.type == kUnknown && object.base >= 0 && objects[object.base].type != kUnknown) {
        object.type = objects[object.base].type;
        progress = true;
      }
  }
  return true;
}

}  // namespace

std::vector<git_oid> all_blobs_in_pack_order(const std::vector<std::string>& object_dirs, git_odb* odb) {
  std::vector<git_oid> blobs;
  OidTable seen;
  auto type_from_odb = [&](const git_oid& oid) {
    std::size_t length = 0;
    git_object_t type = GIT_OBJECT_INVALID;
    if (git_odb_read_header(&length, &type, odb, &oid) != 0) {
      git_error_clear();
      return GIT_OBJECT_BLOB;  // unreadable: let the reader report it by id
    }
    return type;
  };
  for (const auto& idx : pack_index_files(object_dirs)) {
    std::vector<PackedObject> objects;
    if (!for_each_pack_index_entry(idx, [&](const git_oid& oid, std::uint64_t offset) {
           objects.push_back({offset, oid});
         }))
      continue;
    std::vector<std::size_t> by_oid;  // filled after sorting by offset
    std::sort(objects.begin(), objects.end(),
              [](const PackedObject& a, const PackedObject& b) { return a.offset < b.offset; });
    by_oid.resize(objects.size());
    std::iota(by_oid.begin(), by_oid.end(), std::size_t{0});
    std::sort(by_oid.begin(), by_oid.end(), [&](std::size_t a, std::size_t b) {
      return std::memcmp(objects[a].oid.id, objects[b].oid.id, GIT_OID_RAWSZ) < 0;
    });
    std::string pack_path = idx.substr(0, idx.size() - 4) + ".pack";
    bool readable = resolve_pack_types(pack_path, objects, by_oid);
    for (const auto& object : objects) {
      bool blob = readable && object.type != kUnknown ? object.type == kBlob
                                                      : type_from_odb(object.oid) == GIT_OBJECT_BLOB;
      if (blob && seen.insert(object.oid)) blobs.push_back(object.oid);
    }
  }
  // Loose objects: objects/xx/<38 hex digits>, in id order.
  for (const auto& dir : object_dirs) {
    std::vector<git_oid> loose;
    std::error_code ec;
    for (const auto& fanout : std::filesystem::directory_iterator(dir, ec)) {
      std::string prefix = fanout.path().filename().string();
      if (prefix.size() != 2 || !std::isxdigit(static_cast<unsigned char>(prefix[0])) ||
          !std::isxdigit(static_cast<unsigned char>(prefix[1])))
        continue;
      std::error_code inner;
      for (const auto& file : std::filesystem::directory_iterator(fanout.path(), inner)) {
        std::string hex = prefix + file.path().filename().string();
        git_oid oid;
        if (hex.size() == GIT_OID_HEXSZ && git_oid_fromstr(&oid, hex.c_str()) == 0) loose.push_back(oid);
      }
    }
    std::sort(loose.begin(), loose.end(),
              [](const git_oid& a, const git_oid& b) { return std::memcmp(a.id, b.id, GIT_OID_RAWSZ) < 0; });
    for (const auto& oid : loose)
      if (!seen.contains(oid) && type_from_odb(oid) == GIT_OBJECT_BLOB) {
        seen.insert(oid);
        blobs.push_back(oid);
      }
  }
  return blobs;
}

}  // namespace keyhound
