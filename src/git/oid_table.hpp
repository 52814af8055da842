// A set of object ids in one flat open-addressing table: walking a history inserts millions of
// tree entries, where a node-based set spends its time in malloc.
#pragma once

#include <git2.h>

#include <cstdint>
#include <cstring>
#include <vector>

namespace keyhound {

class OidTable {
 public:
  explicit OidTable(std::size_t expected = 1024) { rehash(capacity_for(expected)); }

  // True when `oid` was not in the table yet.
  bool insert(const git_oid& oid) {
    if ((count_ + 1) * 2 > slots_.size()) rehash(slots_.size() * 2);
    std::size_t at = find_slot(oid);
    if (used_[at]) return false;
    used_[at] = 1;
    slots_[at] = oid;
    ++count_;
    return true;
  }
  bool contains(const git_oid& oid) const { return used_[find_slot(oid)] != 0; }
  std::size_t size() const { return count_; }

  std::vector<git_oid> to_vector() const {
    std::vector<git_oid> out;
    out.reserve(count_);
    for (std::size_t i = 0; i < slots_.size(); ++i)
      if (used_[i]) out.push_back(slots_[i]);
    return out;
  }

 private:
  static std::size_t capacity_for(std::size_t expected) {
    std::size_t capacity = 64;
    while (capacity < expected * 2) capacity *= 2;
    return capacity;
  }
  // Object ids are uniformly random already: their first bytes are the hash.
  std::size_t find_slot(const git_oid& oid) const {
    std::uint64_t hash;
    std::memcpy(&hash, oid.id, sizeof hash);
    std::size_t mask = slots_.size() - 1;
    for (std::size_t at = hash & mask;; at = (at + 1) & mask)
      if (!used_[at] || std::memcmp(slots_[at].id, oid.id, GIT_OID_RAWSZ) == 0) return at;
  }
  void rehash(std::size_t capacity) {
    std::vector<git_oid> old_slots(capacity);
    std::vector<std::uint8_t> old_used(capacity, 0);
    old_slots.swap(slots_);
    old_used.swap(used_);
    for (std::size_t i = 0; i < old_slots.size(); ++i)
      if (old_used[i]) {
        std::size_t at = find_slot(old_slots[i]);
        used_[at] = 1;
        slots_[at] = old_slots[i];
      }
  }

  std::vector<git_oid> slots_;
  std::vector<std::uint8_t> used_;
  std::size_t count_ = 0;
};

}  // namespace keyhound
