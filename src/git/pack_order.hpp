// Pack order: blobs listed by their place in the repository's packs. Reading in this order
// keeps each delta's base in the reader's cache; object-id order defeats it.
#pragma once

#include <git2.h>

#include <optional>
#include <string>
#include <vector>

#include "git/pack_reader.hpp"

namespace keyhound {

struct BlobPosition {
  git_oid oid;
  std::optional<PackPosition> packed;  // empty for loose objects
};

// Every blob of the object database, each once: packed ones in (pack, offset) order, their
// types read from the pack entry headers without inflating anything, then loose ones in id
// order. `odb` answers for loose objects and for entries whose headers do not tell.
std::vector<BlobPosition> all_blobs_in_pack_order(const PackSet& packs,
                                                  const std::vector<std::string>& object_dirs, git_odb* odb);

// Places distinct `oids` in (pack, offset) order; objects in no pack (loose ones) go last.
std::vector<BlobPosition> in_pack_order(const PackSet& packs, const std::vector<git_oid>& oids);

}  // namespace keyhound
