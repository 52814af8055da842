// The index file read directly (git's Documentation/gitformat-index.txt, versions 2 to 4,
// SHA-1): a staged scan needs only each entry's mode, stage, blob id and path, and libgit2's
// reader spent 6 ms of a pre-commit run building its full entries for a 5,000-file index.
#pragma once

#include <git2.h>

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "git/cache_tree.hpp"
#include "util/result.hpp"

namespace keyhound {

struct IndexEntry {
  std::uint32_t mode = 0;
  int stage = 0;  // 0, or 1-3 for an unresolved conflict
  git_oid id{};
  std::string path;
};

struct IndexContents {
  std::vector<IndexEntry> entries;  // in the file's order
  CacheTree cache_tree;             // empty when the index has none
};

// Parses a whole index file. An error for anything it does not read exactly: a version other
// than 2-4, an entry or extension that runs past the end, a mandatory
// extension it does not know (a split index's "link", a sparse index's "sdir"). The caller then
// lets libgit2 read the file, which reads it or says what is wrong.
Result<IndexContents> parse_index(std::string_view file);

}  // namespace keyhound
