// Pack order: where each object lies in the repository's packs, read from the .idx files.
// Reading blobs in this order keeps delta bases in libgit2's cache; oid order defeats it.
#pragma once

#include <git2.h>

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "util/result.hpp"

namespace keyhound {

// Calls `visit` for every object of one pack index (version 2, or the original version 1),
// in index (oid) order, with its byte offset in the pack.
Status for_each_pack_index_entry(const std::string& idx_path,
                                 const std::function<void(const git_oid&, std::uint64_t)>& visit);

// Reorders distinct `oids` by (pack, offset) over every pack of `object_dirs`; objects in no
// pack (loose ones) go last. An unreadable index only costs order, never objects.
void sort_in_pack_order(const std::vector<std::string>& object_dirs, std::vector<git_oid>& oids);

// Every blob of the object database, each once: packed ones in (pack, offset) order, their
// types read from the pack entry headers without inflating anything, then loose ones. `odb`
// answers for loose objects and for delta bases outside a pack.
std::vector<git_oid> all_blobs_in_pack_order(const std::vector<std::string>& object_dirs, git_odb* odb);

}  // namespace keyhound
