#include "git/pack_order.hpp"

#include <algorithm>
#include <cctype>
#include <cstring>
#include <filesystem>

#include "git/handles.hpp"
#include "git/oid_table.hpp"

namespace keyhound {

std::vector<BlobPosition> all_blobs_in_pack_order(const PackSet& packs,
                                                  const std::vector<std::string>& object_dirs, git_odb* odb) {
  std::vector<BlobPosition> blobs;
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
  packs.for_each_object([&](PackPosition position, const git_oid& oid, git_object_t type) {
    if (type == GIT_OBJECT_INVALID) type = type_from_odb(oid);
    if (type == GIT_OBJECT_BLOB && seen.insert(oid)) blobs.push_back({oid, position});
  });
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
        blobs.push_back({oid, std::nullopt});
      }
  }
  return blobs;
}

std::vector<BlobPosition> in_pack_order(const PackSet& packs, const std::vector<git_oid>& oids) {
  std::vector<BlobPosition> placed;
  placed.reserve(oids.size());
  for (const auto& oid : oids) placed.push_back({oid, packs.find(oid)});
  auto key = [](const BlobPosition& blob) { return blob.packed ? blob.packed->key() : ~std::uint64_t{0}; };
  std::stable_sort(placed.begin(), placed.end(), [&](const BlobPosition& a, const BlobPosition& b) {
    std::uint64_t x = key(a), y = key(b);
    if (x != y) return x < y;
    return std::memcmp(a.oid.id, b.oid.id, GIT_OID_RAWSZ) < 0;  // loose ones in id order
  });
  return placed;
}

}  // namespace keyhound
