// Objects read straight from a repository's pack files (format: gitformat-pack(5)).
//
// PackSet maps every pack and its index once and is shared by all threads. Each thread owns a
// PackReader: no locks, and a cache of whole objects keyed by their place in a pack, so reading
// in pack order applies each delta once, to a base that is already in memory. (libgit2 shares
// one pack handle and delta-base cache between all handles of a process, behind a lock.)
// Loose objects, and anything this reader finds damaged, are left to libgit2 by the callers.
#pragma once

#include <git2.h>

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "util/delta_copy.hpp"
#include "util/lru_cache.hpp"
#include "util/mapped_file.hpp"
#include "util/result.hpp"

struct z_stream_s;
struct libdeflate_decompressor;

namespace keyhound {

// Where an object lies: which pack of the set, and its byte offset there.
struct PackPosition {
  std::uint32_t pack = 0;
  std::uint64_t offset = 0;
  // One number that sorts like (pack, offset): packs up to 16 TiB, a million packs.
  std::uint64_t key() const { return (std::uint64_t{pack} << 44) | offset; }
};

class PackSet {
 public:
  // Every pack with a readable index under `object_dirs`/pack, in directory order, then by name.
  explicit PackSet(const std::vector<std::string>& object_dirs);
  ~PackSet();
  PackSet(const PackSet&) = delete;
  PackSet& operator=(const PackSet&) = delete;

  std::size_t pack_count() const { return packs_.size(); }
  std::optional<PackPosition> find(const git_oid& oid) const;
  // The id of the object that starts exactly at `position`.
  std::optional<git_oid> oid_at(PackPosition position) const;
  // Every object of every pack, in (pack, offset) order, with its type read from the entry
  // headers (a delta has its base's type) without inflating anything; GIT_OBJECT_INVALID when
  // the headers do not tell.
  using ObjectVisit = std::function<void(PackPosition, const git_oid&, git_object_t)>;
  void for_each_object(const ObjectVisit& visit) const;

  struct Pack;
  const Pack& pack(std::uint32_t index) const { return *packs_[index]; }

 private:
  std::vector<std::unique_ptr<Pack>> packs_;
};

// Calls `visit` for every object of one pack index (version 2, or the original version 1), in
// index (oid) order, with its byte offset in the pack. Errors name the index file.
Status for_each_pack_index_entry(const std::string& idx_path,
                                 const std::function<void(const git_oid&, std::uint64_t)>& visit);

// What a pack entry's header says: its type once deltas are followed, and its size.
struct PackObjectHeader {
  git_object_t type = GIT_OBJECT_INVALID;
  std::uint64_t size = 0;
};

// An object's bytes: one allocation, shared by a reader's cache and whoever read the object, and
// written in place without being zeroed first (every byte is checked to be written).
class ObjectBytes {
 public:
  ObjectBytes() = default;
  // None when memory runs out (a damaged or hostile size).
  static std::optional<ObjectBytes> allocate(std::uint64_t size);
  const char* data() const { return data_.get(); }
  char* writable() const { return data_.get(); }  // for the reader, before it hands them out
  std::size_t size() const { return size_; }
  std::string_view view() const { return {data_.get(), size_}; }

 private:
  std::shared_ptr<char[]> data_;
  std::size_t size_ = 0;
};

struct PackObject {
  git_object_t type = GIT_OBJECT_INVALID;
  ObjectBytes bytes;
  // When the entry is a delta: where its base lies, and (if asked for) the stretches of
  // `bytes` the delta copied from that base, in target order, adjacent ones merged.
  std::optional<PackPosition> base;
  std::vector<DeltaCopy> copies;
};

class PackReader {
 public:
  // Reading in pack order, a delta's base is nearly always among the last few objects read, so
  // a small cache does: a larger one only costs memory traffic, and fresh memory costs a page
  // fault per 4 KB. 4 MB against 16 MB: 7% less wall time on the bench repository, and 6% less
  // on the same history repacked with --window=250 --depth=250.
  explicit PackReader(const PackSet& packs, std::size_t cache_bytes = std::size_t{4} << 20);
  ~PackReader();
  PackReader(const PackReader&) = delete;
  PackReader& operator=(const PackReader&) = delete;

  // Type and size without inflating the object (a delta costs inflating its first bytes).
  Result<PackObjectHeader> header(PackPosition position);
  // The whole object, deltas applied. Errors name the pack and the offset.
  Result<PackObject> read(PackPosition position, bool want_copies = false);

 private:
  struct Entry;
  struct Cached {
    git_object_t type = GIT_OBJECT_INVALID;
    ObjectBytes bytes;
  };
  Result<Entry> parse_entry(PackPosition position) const;
  Status inflate_into(const Entry& entry, unsigned char* out, std::size_t size);
  Result<git_object_t> resolved_type(PackPosition position);
  const Cached* cached(std::uint64_t key);
  void remember(std::uint64_t key, git_object_t type, const ObjectBytes& bytes);

  const PackSet& packs_;
  LruCache<Cached> cache_;  // by pack position
  std::unique_ptr<z_stream_s> zlib_;         // reads the first bytes of a delta (its sizes)
  libdeflate_decompressor* inflater_ = nullptr;  // whole objects: two to three times zlib's speed
  std::vector<unsigned char> delta_;
  std::vector<unsigned char> peeked_;  // the delta data header() inflated, for the next read()
  std::uint64_t peeked_key_ = ~std::uint64_t{0};
};

}  // namespace keyhound
