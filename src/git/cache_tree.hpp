// The index's cache-tree extension ("TREE"): for each directory whose index entries have not
// changed since a tree was last written from them, that tree's id. A staged scan compares these
// with HEAD's trees and reads only the directories that differ.
#pragma once

#include <git2.h>

#include <string>
#include <string_view>
#include <unordered_map>

namespace keyhound {

// Directory ("" for the root, "a/b" below it) -> tree id, for the valid entries only.
using CacheTree = std::unordered_map<std::string, git_oid>;

// Parses the extension out of a whole index file (versions 2 to 4, SHA-1). An index without
// one, or one this cannot read, gives an empty map: every directory then counts as changed.
CacheTree read_cache_tree(std::string_view index_file);

// The same from the extension's own bytes (what follows "TREE" and its size).
CacheTree read_cache_tree_extension(std::string_view data);

}  // namespace keyhound
