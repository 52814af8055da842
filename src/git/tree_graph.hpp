// The trees of a history as integers: every object a tree names gets a small node number, and
// each tree read keeps its entries as (name number, kind, target node). Walks and diffs over it
// read nothing, and the trees themselves are read once, in pack order, where deltas are cheap.
//
// Memory: 8 bytes per tree entry, about 50 per object named (id, index slots, entry span), and
// each distinct entry name once: under a third of the inflated tree bytes (24 MB for 76 MB of
// trees). While load_packed_trees runs, 24 more bytes per tree (where each was read). A delta's
// base entries are placed in the base object by their names' lengths, not by offsets kept.
//
// A budget bounds it (--memory-limit): the pack-order preload stops where the entries would
// pass it, and trim() forgets every tree's entries when they do, at points where no walk holds
// any (between commits). A tree forgotten is read again from its pack when a walk needs it: a
// second pass over the trees instead of more memory.
#pragma once

#include <sys/mman.h>

#include <algorithm>
#include <cstdint>
#include <memory>
#include <new>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "git/commits.hpp"
#include "git/pack_reader.hpp"

namespace keyhound {

class TreeGraph {
 public:
  using Node = std::uint32_t;  // up to 2^30 objects (two bits of an entry hold its kind)
  enum class Kind : std::uint8_t { blob, tree, submodule };  // by mode, as git checks out
  struct Entry {
    std::uint32_t name;
    std::uint32_t bits;  // target node << 2 | kind
    Node target() const { return bits >> 2; }
    Kind kind() const { return static_cast<Kind>(bits & 3); }
  };

  // Trees are read from `packs` when given (through the graph's own reader), else and for loose
  // or damaged ones through libgit2. Use from one thread at a time.
  static constexpr std::uint64_t kUnlimited = ~std::uint64_t{0};
  TreeGraph(git_repository* repo, const PackSet* packs, std::uint64_t budget = kUnlimited);
  ~TreeGraph();
  TreeGraph(const TreeGraph&) = delete;
  TreeGraph& operator=(const TreeGraph&) = delete;

  // Reads every tree of every pack in pack order, as far as the budget allows (false when it
  // stopped short). Trees it cannot read are left for load() to retry, so a damaged tree is
  // only reported when a walk reaches it.
  bool load_packed_trees();

  // Bytes the graph holds (node table, entries, names), as counted against the budget.
  std::uint64_t memory() const;
  // Forgets every loaded tree's entries when memory() is over the budget; only between walks
  // (no entry or name of the graph may be held across it). True when it did.
  bool trim();
  // How many times trim() forgot the trees: a graph trimmed no longer holds every tree a
  // reachability walk loaded.
  std::size_t trims() const { return trims_; }

  // The node of `id`, added if new; find() does not add.
  Node node(const git_oid& id);
  std::optional<Node> find(const git_oid& id) const;
  const git_oid& oid(Node node) const { return oids_[node]; }
  std::size_t size() const { return oids_.size(); }

  // Makes tree `node`'s entries available, reading it if needed; false when it cannot be read.
  // The first failure for a node is reported through `warn` (when set), later ones are silent.
  bool load(Node tree, const WarningSink& warn);
  bool loaded(Node tree) const { return first_[tree] < kUnreadable; }
  // The entries of a loaded tree (none otherwise), in the object's (git's tree) order.
  std::uint32_t entry_count(Node tree) const { return loaded(tree) ? count_[tree] : 0; }
  Entry entry(Node tree, std::uint32_t index) const { return entries_[first_[tree] + index]; }
  // The view lasts until the next load (names are kept in one growing buffer).
  std::string_view name(std::uint32_t name) const {
    return std::string_view(name_bytes_).substr(name_start_[name], name_start_[name + 1] - name_start_[name]);
  }

 private:
  static constexpr std::uint64_t kNotRead = ~std::uint64_t{0};
  static constexpr std::uint64_t kUnreadable = kNotRead - 1;

  // A vector in fixed blocks: growing never copies it, nor needs room for it twice.
  template <class T>
  class Blocks {
   public:
    T operator[](std::size_t i) const { return blocks_[i >> kShift][i & kMask]; }
    std::size_t size() const { return size_; }
    void push_back(T value) {
      if ((size_ & kMask) == 0 && (size_ >> kShift) == blocks_.size()) add_block();
      blocks_[size_ >> kShift][size_ & kMask] = value;
      ++size_;
    }
    void shrink(std::size_t size) { size_ = std::min(size_, size); }
    void clear() { blocks_.clear(), size_ = 0; }
    // Blocks made from now on are mapped, not allocated: one freed then gives its pages back to
    // the system at once, whichever thread made it, instead of to an allocator's arena for that
    // thread (a graph trimmed and refilled on another thread would hold twice its budget).
    // Allocated blocks are cheaper to make (the allocator reuses pages), so only a graph that
    // has been trimmed maps them.
    void map_from_now() { map_ = true; }
    std::size_t bytes() const { return blocks_.size() * (kMask + 1) * sizeof(T); }

   private:
    static constexpr std::size_t kShift = 16;
    static constexpr std::size_t kMask = (std::size_t{1} << kShift) - 1;
    static constexpr std::size_t kBlockBytes = (kMask + 1) * sizeof(T);
    struct Free {
      bool mapped = false;
      void operator()(T* block) const {
        if (mapped)
          ::munmap(block, kBlockBytes);
        else
          delete[] block;
      }
    };
    void add_block() {
      if (!map_) {
        blocks_.emplace_back(new T[kMask + 1], Free{false});
        return;
      }
      void* block = ::mmap(nullptr, kBlockBytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
      if (block == MAP_FAILED) throw std::bad_alloc();
      blocks_.emplace_back(static_cast<T*>(block), Free{true});
    }
    std::vector<std::unique_ptr<T[], Free>> blocks_;
    std::size_t size_ = 0;
    bool map_ = false;
  };

  struct DeltaBase {
    Node tree;
    std::size_t size;  // of the base's bytes
    std::vector<DeltaCopy> copies;
  };
  bool add_tree(Node tree, std::string_view data, const DeltaBase* delta = nullptr);
  // The bytes of an entry of this kind and name length as git writes it ("40000" for a tree).
  static std::size_t entry_bytes(Kind kind, std::size_t name_size) {
    return (kind == Kind::tree ? 5 : 6) + 1 + name_size + 1 + GIT_OID_RAWSZ;
  }
  bool entry_offsets(Node tree, std::size_t size, std::vector<std::uint32_t>& offsets) const;
  std::uint32_t name_number(std::string_view name);
  void grow_nodes();
  void grow_names();
  std::size_t reader_cache_bytes() const;

  const PackSet* packs_;
  std::uint64_t budget_;
  std::size_t trims_ = 0;
  std::unique_ptr<PackReader> reader_;
  OdbPtr odb_;
  std::vector<git_oid> oids_;
  struct NodeSlot {
    std::uint32_t node = 0;  // node + 1, 0 when empty
    std::uint32_t tag = 0;   // bytes 8-11 of its id
  };
  std::vector<NodeSlot> node_slots_;  // open addressing over oids_
  std::vector<std::uint64_t> first_;  // per node: its first entry, kNotRead or kUnreadable
  std::vector<std::uint32_t> count_;  // per node: its number of entries
  Blocks<Entry> entries_;
  std::string name_bytes_;
  std::vector<std::uint64_t> name_start_ = {0};  // name n is [start[n], start[n + 1])
  std::vector<std::uint32_t> name_slots_;        // open addressing over names: number + 1
  std::vector<bool> irregular_;                  // by node: a tree not written as entry_offsets assumes
  std::vector<std::uint32_t> base_offsets_;      // scratch: a delta base's entry offsets
};

}  // namespace keyhound
