// Pack indexes read in place, packs checked against them, and every object's type from the
// entry headers.
#include "git/pack_index.hpp"

#include <algorithm>
#include <cstring>
#include <filesystem>

#include "git/pack_format.hpp"
#include "git/varint.hpp"

namespace keyhound {
namespace {

std::uint32_t be32(const unsigned char* p) {
  return (std::uint32_t{p[0]} << 24) | (std::uint32_t{p[1]} << 16) | (std::uint32_t{p[2]} << 8) | p[3];
}

constexpr std::size_t kPackHeader = 12;

// Every pack index of the object directories: directory order, then by name. A directory that
// cannot be listed is a problem, not an empty list.
std::vector<std::string> pack_index_files(const std::vector<std::string>& object_dirs,
                                          std::vector<std::string>& problems) {
  std::vector<std::string> all;
  for (const auto& dir : object_dirs) {
    std::error_code ec;
    std::vector<std::string> indexes;
    std::filesystem::path pack_dir = dir + "/pack";
    if (!std::filesystem::exists(pack_dir, ec)) continue;
    std::filesystem::directory_iterator it(pack_dir, ec), end;
    for (; !ec && it != end; it.increment(ec))
      if (it->path().extension() == ".idx") indexes.push_back(it->path().string());
    if (ec) problems.push_back(pack_dir.string() + ": cannot be listed: " + ec.message());
    std::sort(indexes.begin(), indexes.end());
    all.insert(all.end(), indexes.begin(), indexes.end());
  }
  return all;
}

}  // namespace

std::optional<std::size_t> PackSet::Pack::at_offset(std::uint64_t offset) const {
  auto found = std::lower_bound(by_offset.begin(), by_offset.end(), std::make_pair(offset, std::uint32_t{0}));
  if (found == by_offset.end() || found->first != offset) return std::nullopt;
  return static_cast<std::size_t>(found - by_offset.begin());
}

std::uint64_t PackSet::Pack::entry_end(std::uint64_t offset) const {
  auto next = std::upper_bound(by_offset.begin(), by_offset.end(), std::make_pair(offset, ~std::uint32_t{0}));
  return next == by_offset.end() ? data.size() - kTrailer : next->first;
}

std::optional<std::uint64_t> PackSet::Pack::offset(std::size_t i) const {
  if (!version2) return be32(fanout + 1024 + i * 24);
  const unsigned char* offsets = fanout + 1024 + count * 24;
  std::uint64_t value = be32(offsets + i * 4);
  if (!(value & 0x80000000u)) return value;
  std::size_t large = value & 0x7fffffffu;
  if (large >= large_count) return std::nullopt;
  const unsigned char* p = offsets + count * 4 + large * 8;
  return (std::uint64_t{be32(p)} << 32) | be32(p + 4);
}

Status PackSet::Pack::load_index() {
  const unsigned char* bytes = index.data();
  std::size_t size = index.size();
  static constexpr unsigned char kMagic[4] = {0xff, 't', 'O', 'c'};
  if (!bytes) return make_error("cannot be read (missing, empty or not a regular file)");
  version2 = size >= 8 && std::memcmp(bytes, kMagic, 4) == 0;
  if (version2 && be32(bytes + 4) != 2)
    return make_error("unsupported index version " + std::to_string(be32(bytes + 4)));
  fanout = bytes + (version2 ? 8 : 0);
  std::size_t header = static_cast<std::size_t>(fanout - bytes);
  if (size < header + 1024) return make_error("index file is too small (truncated)");
  for (int i = 1; i < 256; ++i)
    if (be32(fanout + i * 4) < be32(fanout + (i - 1) * 4))
      return make_error("index fan-out is not sorted (damaged)");
  count = be32(fanout + 255 * 4);
  // Names, CRCs (v2), offsets, then the two trailing checksums.
  std::size_t need = header + 1024 + count * (version2 ? 28 : 24) + 2 * 20;
  if (size < need)
    return make_error("index file is too small for its " + std::to_string(count) + " objects (truncated)");
  large_count = version2 ? (size - need) / 8 : 0;
  return Ok{};
}

Status PackSet::Pack::load_data() {
  const unsigned char* head = data.data();
  if (!head) return make_error("cannot be read (missing, empty or not a regular file)");
  if (data.size() < kPackHeader + kTrailer) return make_error("pack file is too small (truncated)");
  if (std::memcmp(head, "PACK", 4) != 0) return make_error("not a pack file (bad signature)");
  std::uint32_t version = be32(head + 4);
  if (version != 2 && version != 3) return make_error("unsupported pack version " + std::to_string(version));
  if (be32(head + 8) != count)
    return make_error("pack holds " + std::to_string(be32(head + 8)) + " objects, its index " +
                      std::to_string(count));
  by_offset.reserve(count);
  std::uint64_t limit = data.size() - kTrailer;
  for (std::size_t i = 0; i < count; ++i) {
    auto at = offset(i);
    if (!at) return make_error("index has a bad 64-bit offset");
    if (*at < kPackHeader || *at >= limit)
      return make_error("index names an offset outside the pack (truncated?)");
    by_offset.emplace_back(*at, static_cast<std::uint32_t>(i));
  }
  std::sort(by_offset.begin(), by_offset.end());
  return Ok{};
}

Status for_each_pack_index_entry(const std::string& idx_path,
                                 const std::function<void(const git_oid&, std::uint64_t)>& visit) {
  PackSet::Pack pack;
  pack.index = MappedFile(idx_path);
  if (auto loaded = pack.load_index(); !loaded)
    return make_error("pack index " + idx_path + ": " + loaded.error().message);
  git_oid oid;
  for (std::size_t i = 0; i < pack.count; ++i) {
    auto offset = pack.offset(i);
    if (!offset) return make_error("pack index " + idx_path + ": bad 64-bit offset");
    git_oid_fromraw(&oid, pack.oid(i));
    visit(oid, *offset);
  }
  return Ok{};
}

PackSet::PackSet(const std::vector<std::string>& object_dirs) {
  for (const auto& idx : pack_index_files(object_dirs, problems_)) {
    auto pack = std::make_unique<Pack>();
    pack->path = idx.substr(0, idx.size() - 4) + ".pack";
    pack->index = MappedFile(idx);
    if (auto loaded = pack->load_index(); !loaded) {
      problems_.push_back(idx + ": " + loaded.error().message);
      continue;
    }
    pack->data = MappedFile(pack->path);
    if (auto loaded = pack->load_data(); !loaded) {
      problems_.push_back(pack->path + ": " + loaded.error().message);
      continue;
    }
    packs_.push_back(std::move(pack));
  }
}

PackSet::~PackSet() = default;

std::optional<PackPosition> PackSet::find(const git_oid& oid) const {
  for (std::uint32_t p = 0; p < packs_.size(); ++p) {
    const Pack& pack = *packs_[p];
    unsigned first = oid.id[0];
    std::size_t low = first == 0 ? 0 : be32(pack.fanout + (first - 1) * 4);
    std::size_t high = be32(pack.fanout + first * 4);
    high = std::min(high, pack.count);
    while (low < high) {
      std::size_t mid = low + (high - low) / 2;
      int compared = std::memcmp(pack.oid(mid), oid.id, GIT_OID_RAWSZ);
      if (compared == 0) {
        auto offset = pack.offset(mid);
        if (!offset) break;
        return PackPosition{p, *offset};
      }
      if (compared < 0)
        low = mid + 1;
      else
        high = mid;
    }
  }
  return std::nullopt;
}

std::optional<git_oid> PackSet::oid_at(PackPosition position) const {
  if (position.pack >= packs_.size()) return std::nullopt;
  const Pack& pack = *packs_[position.pack];
  auto found = pack.at_offset(position.offset);
  if (!found) return std::nullopt;
  git_oid oid;
  git_oid_fromraw(&oid, pack.oid(pack.by_offset[*found].second));
  return oid;
}

void PackSet::touched(std::uint64_t bytes) const {
  if (resident_limit_ == ~std::uint64_t{0}) return;
  std::uint64_t now = touched_.fetch_add(bytes, std::memory_order_relaxed) + bytes;
  if (now < resident_limit_) return;
  if (!touched_.compare_exchange_strong(now, 0, std::memory_order_relaxed)) return;  // another thread's turn
  for (const auto& pack : packs_) pack->data.release_pages();
}

void PackSet::for_each_object(const ObjectVisit& visit) const {
  for (std::uint32_t p = 0; p < packs_.size(); ++p) {
    const Pack& pack = *packs_[p];
    const unsigned char* bytes = pack.data.data();
    const unsigned char* end = bytes + pack.data.size() - kTrailer;
    std::size_t count = pack.by_offset.size();
    auto index_of_offset = [&](std::uint64_t offset) -> std::int64_t {
      auto found = pack.at_offset(offset);
      return found ? static_cast<std::int64_t>(*found) : -1;
    };
    // Types from the headers: whole objects say theirs, a delta takes its base's.
    std::vector<git_object_t> types(count, GIT_OBJECT_INVALID);
    std::vector<std::int64_t> bases(count, -1);
    std::uint64_t counted = 0;  // the header pass reads a page or so of every entry: all the pack
    for (std::size_t i = 0; i < count; ++i) {
      std::uint64_t offset = pack.by_offset[i].first;
      if (offset - counted >= (std::uint64_t{1} << 20)) touched(offset - counted), counted = offset;
      const unsigned char* at = bytes + offset;
      auto header = varint::entry_header(at, end);
      if (!header) continue;
      if (header->kind == kOfsDelta) {
        auto distance = varint::offset_distance(at, end);
        if (distance && *distance > 0 && *distance <= offset) bases[i] = index_of_offset(offset - *distance);
      } else if (header->kind == kRefDelta && end - at >= GIT_OID_RAWSZ) {
        git_oid base;
        git_oid_fromraw(&base, at);
        if (auto found = find(base); found && found->pack == p) bases[i] = index_of_offset(found->offset);
      } else if (header->kind >= kCommit && header->kind <= kTag) {
        types[i] = header->kind == kCommit ? GIT_OBJECT_COMMIT
                   : header->kind == kTree ? GIT_OBJECT_TREE
                   : header->kind == kBlob ? GIT_OBJECT_BLOB
                                           : GIT_OBJECT_TAG;
      }
    }
    // Bases usually come first, so one pass settles almost everything; repeat for the rest.
    for (bool progress = true; progress;) {
      progress = false;
      for (std::size_t i = 0; i < count; ++i)
        if (types[i] == GIT_OBJECT_INVALID && bases[i] >= 0 && types[bases[i]] != GIT_OBJECT_INVALID) {
          types[i] = types[bases[i]];
          progress = true;
        }
    }
    git_oid oid;
    for (std::size_t i = 0; i < count; ++i) {
      git_oid_fromraw(&oid, pack.oid(pack.by_offset[i].second));
      visit({p, pack.by_offset[i].first}, oid, types[i]);
    }
  }
}

}  // namespace keyhound
