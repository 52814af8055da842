// Index layout: a 12-byte header ("DIRC", version, entry count), the entries, then extensions
// (4-byte signature, 4-byte big-endian size, data), then the SHA-1 of everything before it.
#include "git/index_file.hpp"

#include <cstring>

#include "git/pack_format.hpp"
#include "git/varint.hpp"

namespace keyhound {
namespace {

constexpr std::size_t kChecksumSize = 20;
constexpr std::size_t kStatSize =
    40;  // ctime, mtime (seconds and nanoseconds), dev, ino, mode, uid, gid, size

std::uint32_t be32(const char* at) {
  auto byte = [&](int i) { return std::uint32_t{static_cast<unsigned char>(at[i])}; };
  return byte(0) << 24 | byte(1) << 16 | byte(2) << 8 | byte(3);
}

Error damaged(const std::string& what) {
  return make_error("index: " + what);
}

}  // namespace

Result<IndexContents> parse_index(std::string_view file) {
  if (file.size() < 12 + kChecksumSize || file.substr(0, 4) != "DIRC") return damaged("no index header");
  const std::uint32_t version = be32(file.data() + 4);
  if (version < 2 || version > 4) return damaged("version " + std::to_string(version) + " is not read here");
  // The trailing checksum is not verified, as git does not on a normal read (only fsck does): a
  // SHA-1 of the whole file on every commit. Damage git would refuse is still refused below.
  const std::size_t end = file.size() - kChecksumSize;

  IndexContents out;
  const std::uint32_t count = be32(file.data() + 8);
  // Each entry takes at least 62 bytes: a count past that is damage, not a reason to allocate.
  if (count > end / (kStatSize + kOidSize + 2)) return damaged("entry count past the file's size");
  out.entries.reserve(count);
  std::size_t at = 12;
  std::string previous;  // version 4 stores each path as a suffix of the one before
  for (std::uint32_t i = 0; i < count; ++i) {
    if (at + kStatSize + kOidSize + 2 > end) return damaged("entry past the end");
    IndexEntry entry;
    entry.mode = be32(file.data() + at + 24);
    std::memcpy(entry.id.id, file.data() + at + kStatSize, kOidSize);
    const std::size_t flags_at = at + kStatSize + kOidSize;
    const auto flags = static_cast<std::uint16_t>(static_cast<unsigned char>(file[flags_at]) << 8 |
                                                  static_cast<unsigned char>(file[flags_at + 1]));
    entry.stage = (flags >> 12) & 3;
    const bool extended = (flags & 0x4000) != 0;
    if (extended && version < 3) return damaged("extended flags in a version 2 index");
    std::size_t path = flags_at + 2 + (extended ? 2 : 0);
    if (path >= end) return damaged("entry past the end");
    if (version == 4) {
      const auto* cursor = reinterpret_cast<const unsigned char*>(file.data() + path);
      const auto* limit = reinterpret_cast<const unsigned char*>(file.data() + end);
      auto strip = varint::offset_distance(cursor, limit);
      if (!strip || *strip > previous.size()) return damaged("bad path prefix length");
      path = static_cast<std::size_t>(reinterpret_cast<const char*>(cursor) - file.data());
      const void* nul = path < end ? std::memchr(file.data() + path, '\0', end - path) : nullptr;
      if (!nul) return damaged("entry past the end");
      const std::size_t nul_at = static_cast<std::size_t>(static_cast<const char*>(nul) - file.data());
      previous.resize(previous.size() - static_cast<std::size_t>(*strip));
      previous.append(file.data() + path, nul_at - path);
      entry.path = previous;
      at = nul_at + 1;
    } else {  // the path, then 1 to 8 NULs to a multiple of 8 bytes from the entry's start
      const void* nul = std::memchr(file.data() + path, '\0', end - path);
      if (!nul) return damaged("entry past the end");
      const std::size_t nul_at = static_cast<std::size_t>(static_cast<const char*>(nul) - file.data());
      entry.path.assign(file.data() + path, nul_at - path);
      at += (nul_at - at + 8) & ~std::size_t{7};
      if (at > end) return damaged("entry past the end");
    }
    if (entry.path.empty()) return damaged("entry without a path");
    // Out of order, git refuses the index (read-cache.c's check_ce_order): with the checksum
    // unchecked, this is what still catches a damaged path.
    if (!out.entries.empty()) {
      const IndexEntry& before = out.entries.back();
      const int order = before.path.compare(entry.path);
      if (order > 0 || (order == 0 && (before.stage == 0 || before.stage > entry.stage)))
        return damaged("entries out of order");
    }
    out.entries.push_back(std::move(entry));
  }
  while (at < end) {
    if (at + 8 > end) return damaged("extension header past the end");
    std::string_view signature = file.substr(at, 4);
    const std::size_t size = be32(file.data() + at + 4);
    if (size > end - at - 8) return damaged("extension past the end");
    if (signature == "TREE") {
      out.cache_tree = read_cache_tree_extension(file.substr(at + 8, size));
    } else if (signature[0] < 'A' || signature[0] > 'Z') {
      // Lowercase: the index cannot be understood without it (a split or sparse index).
      return damaged("mandatory extension not read here");
    }
    at += 8 + size;
  }
  return out;
}

}  // namespace keyhound
