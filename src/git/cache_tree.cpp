// Index file layout (git's Documentation/gitformat-index.txt): a 12-byte header, the entries,
// then extensions (4-byte signature, 4-byte big-endian size, data), then a checksum.
#include "git/cache_tree.hpp"

#include <charconv>
#include <cstdint>
#include <cstring>

namespace keyhound {
namespace {

constexpr std::size_t kOidSize = 20;
constexpr std::size_t kChecksumSize = 20;

std::uint32_t be32(const char* at) {
  auto byte = [&](int i) { return std::uint32_t{static_cast<unsigned char>(at[i])}; };
  return byte(0) << 24 | byte(1) << 16 | byte(2) << 8 | byte(3);
}

// Offset just past the entries, or 0 when they do not parse.
std::size_t skip_entries(std::string_view file, std::uint32_t version, std::uint32_t count) {
  std::size_t at = 12;
  const std::size_t end = file.size() - kChecksumSize;
  for (std::uint32_t i = 0; i < count; ++i) {
    constexpr std::size_t kFixed = 40 + kOidSize;  // stat data, then the blob id
    if (at + kFixed + 2 > end) return 0;
    std::uint16_t flags = static_cast<std::uint16_t>(static_cast<unsigned char>(file[at + kFixed]) << 8 |
                                                     static_cast<unsigned char>(file[at + kFixed + 1]));
    std::size_t header = kFixed + 2 + ((version >= 3 && (flags & 0x4000)) ? 2 : 0);
    std::size_t path = at + header;
    if (path >= end) return 0;
    if (version == 4) {  // a varint (bytes to strip from the previous path), then a NUL-ended suffix
      while (path < end && (static_cast<unsigned char>(file[path]) & 0x80)) ++path;
      ++path;
      const void* nul = path < end ? std::memchr(file.data() + path, '\0', end - path) : nullptr;
      if (!nul) return 0;
      at = static_cast<std::size_t>(static_cast<const char*>(nul) - file.data()) + 1;
    } else {  // the path, then 1 to 8 NULs to a multiple of 8
      const void* nul = std::memchr(file.data() + path, '\0', end - path);
      if (!nul) return 0;
      std::size_t length = static_cast<std::size_t>(static_cast<const char*>(nul) - file.data()) - at;
      at += (length + 8) & ~std::size_t{7};
    }
    if (at > end) return 0;
  }
  return at;
}

// One node and, recursively, its subtrees; false when the data is damaged.
bool read_node(std::string_view& data, const std::string& parent, CacheTree& out, int depth) {
  if (depth > 4096) return false;
  std::size_t nul = data.find('\0');
  if (nul == std::string_view::npos) return false;
  std::string name(data.substr(0, nul));
  data.remove_prefix(nul + 1);
  std::string path = parent.empty() ? name : parent + "/" + name;
  long long entries = 0;
  long long subtrees = 0;
  auto first = std::from_chars(data.data(), data.data() + data.size(), entries);
  if (first.ec != std::errc() || first.ptr == data.data() + data.size() || *first.ptr != ' ') return false;
  data.remove_prefix(static_cast<std::size_t>(first.ptr - data.data()) + 1);
  auto second = std::from_chars(data.data(), data.data() + data.size(), subtrees);
  if (second.ec != std::errc() || second.ptr == data.data() + data.size() || *second.ptr != '\n' || subtrees < 0)
    return false;
  data.remove_prefix(static_cast<std::size_t>(second.ptr - data.data()) + 1);
  if (entries >= 0) {  // -1: invalidated, no id
    if (data.size() < kOidSize) return false;
    git_oid id;
    std::memcpy(id.id, data.data(), kOidSize);
    out.emplace(path, id);
    data.remove_prefix(kOidSize);
  }
  for (long long i = 0; i < subtrees; ++i)
    if (!read_node(data, path, out, depth + 1)) return false;
  return true;
}

}  // namespace

CacheTree read_cache_tree(std::string_view file) {
  CacheTree tree;
  if (file.size() < 12 + kChecksumSize || file.substr(0, 4) != "DIRC") return tree;
  std::uint32_t version = be32(file.data() + 4);
  if (version < 2 || version > 4) return tree;
  std::size_t at = skip_entries(file, version, be32(file.data() + 8));
  if (at == 0) return tree;
  const std::size_t end = file.size() - kChecksumSize;
  while (at + 8 <= end) {
    std::string_view signature = file.substr(at, 4);
    std::size_t size = be32(file.data() + at + 4);
    if (size > end - at - 8) return {};
    if (signature == "TREE") {
      std::string_view data = file.substr(at + 8, size);
      if (!read_node(data, "", tree, 0)) return {};
      return tree;
    }
    at += 8 + size;
  }
  return tree;
}

}  // namespace keyhound
