// Building the tree graph: reading trees (packed ones in pack order) and numbering what they name.
#include "git/tree_graph.hpp"

#include <algorithm>
#include <cstring>
#include <functional>

#include "git/tree_format.hpp"

namespace keyhound {
namespace {

std::uint64_t oid_hash(const git_oid& oid) {
  std::uint64_t hash;
  std::memcpy(&hash, oid.id, sizeof hash);  // object ids are uniformly random already
  return hash;
}

// The next four bytes: a probe that meets another id is told apart without reading the id.
std::uint32_t oid_tag(const git_oid& oid) {
  std::uint32_t tag;
  std::memcpy(&tag, oid.id + 8, sizeof tag);
  return tag;
}

}  // namespace

TreeGraph::TreeGraph(git_repository* repo, const PackSet* packs, std::uint64_t budget)
    : packs_(packs), budget_(budget), node_slots_(1024), name_slots_(256, 0) {
  git_odb* raw = nullptr;
  if (git_repository_odb(&raw, repo) == 0) odb_.reset(raw);
  // Trees are small and each is read about once: a modest cache keeps delta bases at hand.
  if (packs_) reader_ = std::make_unique<PackReader>(*packs_, reader_cache_bytes());
}

std::size_t TreeGraph::reader_cache_bytes() const {
  // 4 MB where the budget allows (see PackReader); a sixty-fourth of a small budget.
  return static_cast<std::size_t>(std::clamp<std::uint64_t>(budget_ / 64, 256 << 10, 4 << 20));
}

std::uint64_t TreeGraph::memory() const {
  return oids_.capacity() * sizeof(git_oid) + node_slots_.capacity() * sizeof(NodeSlot) +
         first_.capacity() * sizeof(std::uint64_t) + count_.capacity() * sizeof(std::uint32_t) +
         entries_.bytes() + irregular_.capacity() / 8 + name_bytes_.capacity() +
         name_start_.capacity() * sizeof(std::uint64_t) + name_slots_.capacity() * sizeof(std::uint32_t);
}

bool TreeGraph::trim() {
  if (memory() <= budget_ || entries_.size() == 0) return false;
  for (auto& first : first_)
    if (first != kUnreadable) first = kNotRead;
  entries_.clear();
  entries_.map_from_now();
  ++trims_;
  return true;
}

TreeGraph::~TreeGraph() = default;

std::optional<TreeGraph::Node> TreeGraph::find(const git_oid& id) const {
  std::size_t mask = node_slots_.size() - 1;
  std::uint32_t tag = oid_tag(id);
  for (std::size_t at = oid_hash(id) & mask;; at = (at + 1) & mask) {
    const NodeSlot& slot = node_slots_[at];
    if (slot.node == 0) return std::nullopt;
    if (slot.tag == tag && std::memcmp(oids_[slot.node - 1].id, id.id, GIT_OID_RAWSZ) == 0)
      return slot.node - 1;
  }
}

TreeGraph::Node TreeGraph::node(const git_oid& id) {
  std::size_t mask = node_slots_.size() - 1;
  std::uint32_t tag = oid_tag(id);
  std::size_t at = oid_hash(id) & mask;
  for (;; at = (at + 1) & mask) {
    const NodeSlot& slot = node_slots_[at];
    if (slot.node == 0) break;
    if (slot.tag == tag && std::memcmp(oids_[slot.node - 1].id, id.id, GIT_OID_RAWSZ) == 0)
      return slot.node - 1;
  }
  Node added = static_cast<Node>(oids_.size());
  oids_.push_back(id);
  first_.push_back(kNotRead);
  count_.push_back(0);
  node_slots_[at] = {added + 1, tag};
  if (oids_.size() * 2 > node_slots_.size()) grow_nodes();
  return added;
}

void TreeGraph::grow_nodes() {
  std::vector<NodeSlot> slots(node_slots_.size() * 2);
  std::size_t mask = slots.size() - 1;
  for (const NodeSlot& slot : node_slots_) {
    if (slot.node == 0) continue;
    std::size_t at = oid_hash(oids_[slot.node - 1]) & mask;
    while (slots[at].node != 0) at = (at + 1) & mask;
    slots[at] = slot;
  }
  node_slots_.swap(slots);
}

std::uint32_t TreeGraph::name_number(std::string_view name) {
  std::size_t mask = name_slots_.size() - 1;
  std::size_t at = std::hash<std::string_view>{}(name)&mask;
  for (;; at = (at + 1) & mask) {
    std::uint32_t slot = name_slots_[at];
    if (slot == 0) break;
    if (this->name(slot - 1) == name) return slot - 1;
  }
  auto added = static_cast<std::uint32_t>(name_start_.size() - 1);
  name_bytes_.append(name);
  name_start_.push_back(name_bytes_.size());
  name_slots_[at] = added + 1;
  if ((added + 1) * 2 > name_slots_.size()) grow_names();
  return added;
}

void TreeGraph::grow_names() {
  std::vector<std::uint32_t> slots(name_slots_.size() * 2, 0);
  std::size_t mask = slots.size() - 1;
  for (std::uint32_t n = 0; n + 1 < name_start_.size(); ++n) {
    std::size_t at = std::hash<std::string_view>{}(name(n)) & mask;
    while (slots[at] != 0) at = (at + 1) & mask;
    slots[at] = n + 1;
  }
  name_slots_.swap(slots);
}

// Where each entry of a loaded tree starts in the tree object, worked out from the entries'
// names and kinds (mode text "40000" for a tree, six digits for the rest): false when the
// tree's entries were not all written that way (it is then never a delta base to take over).
bool TreeGraph::entry_offsets(Node tree, std::size_t size, std::vector<std::uint32_t>& offsets) const {
  offsets.clear();
  if (tree < irregular_.size() && irregular_[tree]) return false;
  std::uint64_t at = 0;
  for (std::uint32_t i = 0, count = count_[tree]; i < count; ++i) {
    offsets.push_back(static_cast<std::uint32_t>(at));
    Entry entry = entries_[first_[tree] + i];
    at += entry_bytes(entry.kind(), name_start_[entry.name + 1] - name_start_[entry.name]);
  }
  return at == size;
}

// A tree stored as a delta is mostly its base (another version of the same directory) copied
// over: where a copied stretch starts on an entry of the base, the base's entries that lie wholly
// inside it are this tree's next entries, taken over as they are, without parsing or looking up.
bool TreeGraph::add_tree(Node tree, std::string_view data, const DeltaBase* delta) {
  std::size_t begin = entries_.size();
  bool reuse = delta && loaded(delta->tree) && entry_offsets(delta->tree, delta->size, base_offsets_);
  std::size_t base_first = reuse ? first_[delta->tree] : 0;
  std::size_t base_count = reuse ? count_[delta->tree] : 0;
  auto base_end_of = [&](std::size_t i) -> std::size_t {  // where base entry i ends
    return i + 1 < base_count ? base_offsets_[i + 1] : delta->size;
  };
  bool regular = true;  // every entry's bytes as entry_offsets assumes
  std::size_t copy = 0;
  TreeEntryBytes parsed;
  for (std::size_t at = 0; at < data.size();) {
    if (reuse) {
      const auto& copies = delta->copies;
      while (copy < copies.size() && copies[copy].target + copies[copy].length <= at) ++copy;
      if (copy < copies.size() && copies[copy].target <= at) {
        std::size_t in_base = at - copies[copy].target + copies[copy].base;
        std::size_t copied_end = copies[copy].base + copies[copy].length;
        // The base entry starting at in_base, if any.
        auto found = std::lower_bound(base_offsets_.begin(), base_offsets_.end(), in_base);
        std::size_t low = static_cast<std::size_t>(found - base_offsets_.begin());
        std::size_t taken = 0;
        if (low < base_count && base_offsets_[low] == in_base) {
          for (std::size_t i = low; i < base_count && base_end_of(i) <= copied_end; ++i, ++taken)
            entries_.push_back(entries_[base_first + i]);
        }
        if (taken > 0) {
          at += base_end_of(low + taken - 1) - in_base;
          continue;
        }
      }
    }
    if (!read_tree_entry(data, at, parsed) || entries_.size() - begin >= UINT32_MAX) {
      entries_.shrink(begin);
      return false;
    }
    Kind kind = parsed.mode == kTreeMode        ? Kind::tree
                : parsed.mode == kSubmoduleMode ? Kind::submodule
                                                : Kind::blob;
    regular = regular && parsed.end - at == entry_bytes(kind, parsed.name.size());
    std::uint32_t number = name_number(parsed.name);
    entries_.push_back({number, node(*parsed.id) << 2 | static_cast<std::uint32_t>(kind)});
    at = parsed.end;
  }
  first_[tree] = begin;
  count_[tree] = static_cast<std::uint32_t>(entries_.size() - begin);
  if (!regular) {
    if (irregular_.size() <= tree) irregular_.resize(oids_.size());
    irregular_[tree] = true;
  }
  return true;
}

bool TreeGraph::load_packed_trees() {
  if (!reader_) return true;
  bool complete = true;
  struct Placed {
    std::uint64_t key;  // pack position
    Node tree;
    std::size_t size;
  };
  std::vector<Placed> trees_at;  // sorted, as read in pack order
  packs_->for_each_object([&](PackPosition position, const git_oid& id, git_object_t type) {
    if (!complete || (type != GIT_OBJECT_TREE && type != GIT_OBJECT_INVALID)) return;
    // Past the budget the walks read the rest as they reach them.
    if (budget_ != kUnlimited && memory() + trees_at.capacity() * sizeof(Placed) > budget_) {
      complete = false;
      return;
    }
    Node tree = node(id);
    if (first_[tree] != kNotRead) return;  // in an earlier pack too
    auto object = reader_->read(position, true);
    if (!object || object->type != GIT_OBJECT_TREE) return;
    std::optional<DeltaBase> delta;
    if (object->base) {
      auto key = object->base->key();
      auto found =
          std::lower_bound(trees_at.begin(), trees_at.end(), key,
                           [](const Placed& placed, std::uint64_t wanted) { return placed.key < wanted; });
      if (found != trees_at.end() && found->key == key)
        delta = DeltaBase{found->tree, found->size, std::move(object->copies)};
    }
    if (add_tree(tree, object->bytes.view(), delta ? &*delta : nullptr))
      trees_at.push_back({position.key(), tree, object->bytes.size()});
  });
  // What is left to read later (loose trees) needs no cache of the packed ones.
  reader_ = std::make_unique<PackReader>(*packs_, reader_cache_bytes());
  return complete;
}

bool TreeGraph::load(Node tree, const WarningSink& warn) {
  if (first_[tree] == kUnreadable) return false;
  if (first_[tree] != kNotRead) return true;
  git_oid id = oids_[tree];
  if (reader_)
    if (auto position = packs_->find(id)) {
      auto object = reader_->read(*position);
      if (object && object->type == GIT_OBJECT_TREE && add_tree(tree, object->bytes.view())) return true;
    }
  first_[tree] = kUnreadable;
  git_odb_object* raw = nullptr;
  if (!odb_ || git_odb_read(&raw, odb_.get(), &id) != 0) {
    if (warn)
      warn({GitProblem::unreadable, oid_hex(id), "tree missing or corrupt, skipped: " + git_error_text()});
    git_error_clear();
    return false;
  }
  OdbObjectPtr object(raw);
  std::string_view data(static_cast<const char*>(git_odb_object_data(raw)), git_odb_object_size(raw));
  if (git_odb_object_type(raw) != GIT_OBJECT_TREE || !add_tree(tree, data)) {
    if (warn) warn({GitProblem::unreadable, oid_hex(id), "not a valid tree object, skipped"});
    return false;
  }
  return true;
}

}  // namespace keyhound
