// The cache-tree extension: for each node its path component, entry count (-1: invalidated),
// subtree count, then (when valid) the tree id, then its subtrees, depth first.
#include "git/cache_tree.hpp"

#include <charconv>
#include <cstdint>
#include <cstring>

#include "git/index_file.hpp"
#include "git/pack_format.hpp"

namespace keyhound {
namespace {

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
  if (second.ec != std::errc() || second.ptr == data.data() + data.size() || *second.ptr != '\n' ||
      subtrees < 0)
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

CacheTree read_cache_tree_extension(std::string_view data) {
  CacheTree tree;
  if (!read_node(data, "", tree, 0)) return {};
  return tree;
}

CacheTree read_cache_tree(std::string_view file) {
  auto index = parse_index(file);
  return index ? std::move(index->cache_tree) : CacheTree{};
}

}  // namespace keyhound
