// The tree object format (a run of "<octal mode> <name>\0<20-byte id>") and git's tree order,
// shared by the tree walker and the tree graph.
#pragma once

#include <git2.h>

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <string_view>

namespace keyhound {

inline constexpr std::uint32_t kTreeMode = 040000;
inline constexpr std::uint32_t kSubmoduleMode = 0160000;

// One entry of a tree object, read at byte `at`; false when the bytes there are not an entry.
struct TreeEntryBytes {
  std::uint32_t mode = 0;
  std::string_view name;
  const git_oid* id = nullptr;
  std::size_t end = 0;  // where the next entry starts
};
inline bool read_tree_entry(std::string_view data, std::size_t at, TreeEntryBytes& entry) {
  std::uint32_t mode = 0;
  std::size_t start = at;
  while (at < data.size() && data[at] >= '0' && data[at] <= '7') mode = mode * 8 + (data[at++] - '0');
  if (at == start || at >= data.size() || data[at] != ' ') return false;
  std::size_t name_end = data.find('\0', at + 1);
  if (name_end == std::string_view::npos || data.size() - name_end - 1 < GIT_OID_RAWSZ) return false;
  entry.mode = mode;
  entry.name = data.substr(at + 1, name_end - at - 1);
  entry.id = reinterpret_cast<const git_oid*>(data.data() + name_end + 1);
  entry.end = name_end + 1 + GIT_OID_RAWSZ;
  return true;
}

// Calls `on_entry(mode, name, id)` for each entry of a tree object; false when the data is not
// a well-formed tree (entries before the damage have been passed on already).
template <class OnEntry>
bool parse_tree_entries(std::string_view data, OnEntry&& on_entry) {
  TreeEntryBytes entry;
  for (std::size_t at = 0; at < data.size(); at = entry.end) {
    if (!read_tree_entry(data, at, entry)) return false;
    on_entry(entry.mode, entry.name, entry.id);
  }
  return true;
}

// Git's tree order: names compared bytewise, a tree's name as if it ended in '/'.
inline bool tree_order_before(std::string_view name, bool is_tree, std::string_view other,
                              bool other_is_tree) {
  std::size_t common = std::min(name.size(), other.size());
  int compared = std::memcmp(name.data(), other.data(), common);
  if (compared != 0) return compared < 0;
  auto next = [common](std::string_view text, bool tree) -> unsigned {
    return text.size() > common ? static_cast<unsigned char>(text[common]) : (tree ? '/' : 0);
  };
  return next(name, is_tree) < next(other, other_is_tree);
}

}  // namespace keyhound
