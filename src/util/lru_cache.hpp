// A cache of values by 64-bit key within a byte budget, least recently used out first.
//
// Entries live in one vector, linked into use order by index, and are found through an
// open-addressing table (linear probing, removal by shifting back): once warm it allocates
// nothing of its own, where a map and a list cost three allocations per entry.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

namespace keyhound {

template <class Value>
class LruCache {
 public:
  explicit LruCache(std::size_t budget) : budget_(budget), table_(kInitialSlots, kNone) {}

  // The value kept under `key`, now the most recently used; null when there is none.
  Value* find(std::uint64_t key) {
    std::uint32_t entry = entry_of(key);
    if (entry == kNone) return nullptr;
    unlink(entry);
    link_newest(entry);
    return &entries_[entry].value;
  }

  // Keeps `value` (of `size` bytes) under `key`, evicting the least recently used entries to
  // stay within the budget. A value larger than the whole budget, or a key already kept, is
  // left out.
  void insert(std::uint64_t key, Value value, std::size_t size) {
    if (size > budget_ || entry_of(key) != kNone) return;
    while (used_ + size > budget_ && oldest_ != kNone) evict(oldest_);
    std::uint32_t entry;
    if (!free_.empty()) {
      entry = free_.back();
      free_.pop_back();
    } else {
      entry = static_cast<std::uint32_t>(entries_.size());
      entries_.emplace_back();
    }
    entries_[entry].key = key;
    entries_[entry].value = std::move(value);
    entries_[entry].size = size;
    link_newest(entry);
    used_ += size;
    if ((entries_.size() - free_.size()) * 2 > table_.size()) grow();
    place(entry);
  }

  std::size_t budget() const { return budget_; }
  std::size_t used() const { return used_; }
  std::size_t count() const { return entries_.size() - free_.size(); }

 private:
  static constexpr std::uint32_t kNone = ~std::uint32_t{0};
  static constexpr std::size_t kInitialSlots = 256;

  struct Entry {
    std::uint64_t key = 0;
    Value value{};
    std::size_t size = 0;
    std::uint32_t newer = kNone;
    std::uint32_t older = kNone;
  };

  std::size_t home(std::uint64_t key) const {
    return static_cast<std::size_t>((key * 0x9E3779B97F4A7C15ull) >> 32) & (table_.size() - 1);
  }

  std::uint32_t entry_of(std::uint64_t key) const {
    for (std::size_t at = home(key);; at = (at + 1) & (table_.size() - 1)) {
      std::uint32_t entry = table_[at];
      if (entry == kNone || entries_[entry].key == key) return entry;
    }
  }

  void place(std::uint32_t entry) {
    std::size_t at = home(entries_[entry].key);
    while (table_[at] != kNone) at = (at + 1) & (table_.size() - 1);
    table_[at] = entry;
  }

  void grow() {
    std::vector<std::uint32_t> old(table_.size() * 2, kNone);
    old.swap(table_);
    for (std::uint32_t entry : old)
      if (entry != kNone) place(entry);
  }

  // Empties the entry's slot and shifts back any later entry of the same probe run that may
  // no longer be found past the gap.
  void unplace(std::uint32_t entry) {
    std::size_t mask = table_.size() - 1;
    std::size_t gap = home(entries_[entry].key);
    while (table_[gap] != entry) gap = (gap + 1) & mask;
    table_[gap] = kNone;
    for (std::size_t at = (gap + 1) & mask; table_[at] != kNone; at = (at + 1) & mask) {
      std::size_t wanted = home(entries_[table_[at]].key);
      // The entry may move into the gap when its home is not in (gap, at], cyclically.
      bool home_after_gap = gap <= at ? (gap < wanted && wanted <= at) : (gap < wanted || wanted <= at);
      if (home_after_gap) continue;
      table_[gap] = table_[at];
      table_[at] = kNone;
      gap = at;
    }
  }

  void evict(std::uint32_t entry) {
    unplace(entry);
    unlink(entry);
    used_ -= entries_[entry].size;
    entries_[entry].value = Value{};
    free_.push_back(entry);
  }

  void link_newest(std::uint32_t entry) {
    entries_[entry].newer = kNone;
    entries_[entry].older = newest_;
    if (newest_ != kNone) entries_[newest_].newer = entry;
    newest_ = entry;
    if (oldest_ == kNone) oldest_ = entry;
  }

  void unlink(std::uint32_t entry) {
    Entry& e = entries_[entry];
    if (e.newer != kNone)
      entries_[e.newer].older = e.older;
    else
      newest_ = e.older;
    if (e.older != kNone)
      entries_[e.older].newer = e.newer;
    else
      oldest_ = e.newer;
    e.newer = e.older = kNone;
  }

  std::size_t budget_;
  std::size_t used_ = 0;
  std::vector<Entry> entries_;
  std::vector<std::uint32_t> free_;
  std::vector<std::uint32_t> table_;  // entry indexes, kNone for an empty slot
  std::uint32_t newest_ = kNone;
  std::uint32_t oldest_ = kNone;
};

}  // namespace keyhound
