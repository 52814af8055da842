// A repository's packs and their indexes (gitformat-pack(5)), mapped once and shared by all
// threads: where each object lies, and every object's type from the entry headers.
#pragma once

#include <git2.h>

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "util/mapped_file.hpp"
#include "util/result.hpp"

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
  // Every pack under `object_dirs`/pack, in directory order, then by name. A pack or index that
  // is damaged, truncated or unreadable is left out and named in problems().
  explicit PackSet(const std::vector<std::string>& object_dirs);
  ~PackSet();
  PackSet(const PackSet&) = delete;
  PackSet& operator=(const PackSet&) = delete;

  std::size_t pack_count() const { return packs_.size(); }
  // One line per pack left out: "<file>: <what is wrong>".
  const std::vector<std::string>& problems() const { return problems_; }
  std::optional<PackPosition> find(const git_oid& oid) const;
  // The id of the object that starts exactly at `position`.
  std::optional<git_oid> oid_at(PackPosition position) const;
  // Every object of every pack, in (pack, offset) order, with its type read from the entry
  // headers (a delta has its base's type) without inflating anything; GIT_OBJECT_INVALID when
  // the headers do not tell.
  using ObjectVisit = std::function<void(PackPosition, const git_oid&, git_object_t)>;
  void for_each_object(const ObjectVisit& visit) const;

  // One pack and its index, both mapped; the index is read in place.
  struct Pack {
    std::string path;  // of the .pack file
    MappedFile index;
    MappedFile data;
    bool version2 = false;
    std::size_t count = 0;
    const unsigned char* fanout = nullptr;
    std::size_t large_count = 0;
    std::vector<std::pair<std::uint64_t, std::uint32_t>> by_offset;  // (offset, index position)

    // Where in by_offset the object starting at `offset` is, if one does.
    std::optional<std::size_t> at_offset(std::uint64_t offset) const;
    // Where the entry at `offset` ends at the latest: the next entry, or the pack's trailer.
    std::uint64_t entry_end(std::uint64_t offset) const;
    const unsigned char* oid(std::size_t i) const {
      return version2 ? fanout + 1024 + i * 20 : fanout + 1024 + i * 24 + 4;
    }
    std::optional<std::uint64_t> offset(std::size_t i) const;
    // Checks the index's layout; an error says what is wrong with it.
    Status load_index();
    // Checks the pack's header against the index and lists the offsets; an error says why not.
    Status load_data();
  };
  const Pack& pack(std::uint32_t index) const { return *packs_[index]; }

  // --memory-limit: how much of the packs this process keeps mapped in at once. Readers say how
  // many pack bytes they read (touched()); every `bytes` of them, each pack's pages are given
  // back (MappedFile::release_pages). Reading in pack order, little is read twice.
  void limit_resident(std::uint64_t bytes) { resident_limit_ = bytes; }
  void touched(std::uint64_t bytes) const;

 private:
  std::uint64_t resident_limit_ = ~std::uint64_t{0};
  mutable std::atomic<std::uint64_t> touched_{0};
  std::vector<std::unique_ptr<Pack>> packs_;
  std::vector<std::string> problems_;
};

// Calls `visit` for every object of one pack index (version 2, or the original version 1), in
// index (oid) order, with its byte offset in the pack. Errors name the index file.
Status for_each_pack_index_entry(const std::string& idx_path,
                                 const std::function<void(const git_oid&, std::uint64_t)>& visit);

}  // namespace keyhound
