#include "source/git_pack.hpp"

#include <libdeflate.h>
#include <zlib.h>

#include <algorithm>
#include <climits>
#include <cstring>
#include <filesystem>
#include <limits>

namespace keyhound {
namespace {

std::uint32_t be32(const unsigned char* p) {
  return (std::uint32_t{p[0]} << 24) | (std::uint32_t{p[1]} << 16) | (std::uint32_t{p[2]} << 8) | p[3];
}

enum EntryType : std::uint8_t { kCommit = 1, kTree = 2, kBlob = 3, kTag = 4, kOfsDelta = 6, kRefDelta = 7 };

// Longest delta chain followed; git itself writes at most 4095 (pack.depth's limit).
constexpr int kMaxChain = 10000;
constexpr std::size_t kTrailer = 20;  // the pack's own SHA-1 at the end

// Every pack index of the object directories: directory order, then by name.
std::vector<std::string> pack_index_files(const std::vector<std::string>& object_dirs) {
  std::vector<std::string> all;
  for (const auto& dir : object_dirs) {
    std::error_code ec;
    std::vector<std::string> indexes;
    for (const auto& entry : std::filesystem::directory_iterator(dir + "/pack", ec))
      if (entry.path().extension() == ".idx") indexes.push_back(entry.path().string());
    std::sort(indexes.begin(), indexes.end());
    all.insert(all.end(), indexes.begin(), indexes.end());
  }
  return all;
}

}  // namespace

// One pack and its index, both mapped; the index is read in place.
struct PackSet::Pack {
  std::string path;  // of the .pack file
  MappedFile index;
  MappedFile data;
  bool version2 = false;
  std::size_t count = 0;
  const unsigned char* fanout = nullptr;
  std::size_t large_count = 0;
  std::vector<std::pair<std::uint64_t, std::uint32_t>> by_offset;  // (offset, index position)

  // Where in by_offset the object starting at `offset` is, if one does.
  std::optional<std::size_t> at_offset(std::uint64_t offset) const {
    auto found = std::lower_bound(by_offset.begin(), by_offset.end(), std::make_pair(offset, std::uint32_t{0}));
    if (found == by_offset.end() || found->first != offset) return std::nullopt;
    return static_cast<std::size_t>(found - by_offset.begin());
  }

  const unsigned char* oid(std::size_t i) const {
    return version2 ? fanout + 1024 + i * 20 : fanout + 1024 + i * 24 + 4;
  }
  std::optional<std::uint64_t> offset(std::size_t i) const {
    if (!version2) return be32(fanout + 1024 + i * 24);
    const unsigned char* offsets = fanout + 1024 + count * 24;
    std::uint64_t value = be32(offsets + i * 4);
    if (!(value & 0x80000000u)) return value;
    std::size_t large = value & 0x7fffffffu;
    if (large >= large_count) return std::nullopt;
    const unsigned char* p = offsets + count * 4 + large * 8;
    return (std::uint64_t{be32(p)} << 32) | be32(p + 4);
  }

  // Checks the index's layout; false leaves the pack out of the set.
  bool load() {
    const unsigned char* bytes = index.data();
    std::size_t size = index.size();
    static constexpr unsigned char kMagic[4] = {0xff, 't', 'O', 'c'};
    if (!bytes) return false;
    version2 = size >= 8 && std::memcmp(bytes, kMagic, 4) == 0;
    if (version2 && be32(bytes + 4) != 2) return false;
    fanout = bytes + (version2 ? 8 : 0);
    if (size < static_cast<std::size_t>(fanout - bytes) + 1024) return false;
    count = be32(fanout + 255 * 4);
    std::size_t need = static_cast<std::size_t>(fanout - bytes) + 1024 + count * (version2 ? 28 : 24);
    if (size < need) return false;
    large_count = version2 ? (size - need) / 8 : 0;
    return true;
  }
};

Status for_each_pack_index_entry(const std::string& idx_path,
                                 const std::function<void(const git_oid&, std::uint64_t)>& visit) {
  PackSet::Pack pack;
  pack.index = MappedFile(idx_path);
  auto corrupt = [&](const char* why) { return make_error("pack index " + idx_path + ": " + why); };
  if (!pack.index.data()) return corrupt("cannot be read");
  if (!pack.load()) return corrupt(pack.index.size() >= 8 && pack.version2 ? "unsupported version or truncated" : "truncated");
  git_oid oid;
  for (std::size_t i = 0; i < pack.count; ++i) {
    auto offset = pack.offset(i);
    if (!offset) return corrupt("bad 64-bit offset");
    git_oid_fromraw(&oid, pack.oid(i));
    visit(oid, *offset);
  }
  return Ok{};
}

PackSet::PackSet(const std::vector<std::string>& object_dirs) {
  for (const auto& idx : pack_index_files(object_dirs)) {
    auto pack = std::make_unique<Pack>();
    pack->path = idx.substr(0, idx.size() - 4) + ".pack";
    pack->index = MappedFile(idx);
    if (!pack->load()) continue;
    pack->data = MappedFile(pack->path);
    const unsigned char* head = pack->data.data();
    if (!head || pack->data.size() < 12 + kTrailer || std::memcmp(head, "PACK", 4) != 0) continue;
    pack->by_offset.reserve(pack->count);
    bool readable = true;
    for (std::size_t i = 0; i < pack->count && readable; ++i) {
      auto offset = pack->offset(i);
      readable = offset.has_value();
      if (readable) pack->by_offset.emplace_back(*offset, static_cast<std::uint32_t>(i));
    }
    if (!readable) continue;
    std::sort(pack->by_offset.begin(), pack->by_offset.end());
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
      if (compared < 0) low = mid + 1;
      else high = mid;
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

void PackSet::for_each_object(const ObjectVisit& visit) const {
  for (std::uint32_t p = 0; p < packs_.size(); ++p) {
    const Pack& pack = *packs_[p];
    const unsigned char* bytes = pack.data.data();
    std::size_t end = pack.data.size() - kTrailer;
    std::size_t count = pack.by_offset.size();
    auto index_of_offset = [&](std::uint64_t offset) -> std::int64_t {
      auto found = pack.at_offset(offset);
      return found ? static_cast<std::int64_t>(*found) : -1;
    };
    // Types from the headers: whole objects say theirs, a delta takes its base's.
    std::vector<git_object_t> types(count, GIT_OBJECT_INVALID);
    std::vector<std::int64_t> bases(count, -1);
    for (std::size_t i = 0; i < count; ++i) {
      std::uint64_t at = pack.by_offset[i].first;
      if (at >= end) continue;
      unsigned char byte = bytes[at++];
      std::uint8_t kind = (byte >> 4) & 7;
      while ((byte & 0x80) && at < end) byte = bytes[at++];  // the size: not needed here
      if (kind == kOfsDelta) {
        if (at >= end) continue;
        byte = bytes[at++];
        std::uint64_t distance = byte & 0x7f;
        while ((byte & 0x80) && at < end && distance < (std::uint64_t{1} << 50)) {
          byte = bytes[at++];
          distance = ((distance + 1) << 7) | (byte & 0x7f);
        }
        std::uint64_t offset = pack.by_offset[i].first;
        if (distance > 0 && distance <= offset) bases[i] = index_of_offset(offset - distance);
      } else if (kind == kRefDelta && at + GIT_OID_RAWSZ <= end) {
        git_oid base;
        git_oid_fromraw(&base, bytes + at);
        if (auto found = find(base); found && found->pack == p) bases[i] = index_of_offset(found->offset);
      } else if (kind >= kCommit && kind <= kTag) {
        types[i] = kind == kCommit ? GIT_OBJECT_COMMIT : kind == kTree ? GIT_OBJECT_TREE
                 : kind == kBlob   ? GIT_OBJECT_BLOB   : GIT_OBJECT_TAG;
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

// One entry as its header describes it.
struct PackReader::Entry {
  PackPosition position;
  std::uint8_t kind = 0;               // EntryType
  std::uint64_t size = 0;              // of the object, or of the delta data
  const unsigned char* data = nullptr;  // the zlib stream
  std::size_t available = 0;           // bytes from `data` to the pack's trailer
  std::optional<PackPosition> base;    // deltas
};

PackReader::PackReader(const PackSet& packs, std::size_t cache_bytes)
    : packs_(packs), cache_(cache_bytes), zlib_(std::make_unique<z_stream_s>()) {
  std::memset(zlib_.get(), 0, sizeof(z_stream_s));
  if (inflateInit(zlib_.get()) != Z_OK) zlib_.reset();
  inflater_ = libdeflate_alloc_decompressor();
}

PackReader::~PackReader() {
  if (zlib_) inflateEnd(zlib_.get());
  libdeflate_free_decompressor(inflater_);
}

Result<PackReader::Entry> PackReader::parse_entry(PackPosition position) const {
  const PackSet::Pack& pack = packs_.pack(position.pack);
  auto corrupt = [&](const char* why) {
    return make_error(pack.path + " at offset " + std::to_string(position.offset) + ": " + why);
  };
  const unsigned char* bytes = pack.data.data();
  std::size_t end = pack.data.size() - kTrailer;
  std::uint64_t at = position.offset;
  if (at < 12 || at >= end) return corrupt("offset outside the pack");
  Entry entry;
  entry.position = position;
  unsigned char byte = bytes[at++];
  entry.kind = (byte >> 4) & 7;
  entry.size = byte & 15;
  for (int shift = 4; byte & 0x80; shift += 7) {
    if (at >= end || shift > 57) return corrupt("bad entry header");
    byte = bytes[at++];
    entry.size |= std::uint64_t{byte & 0x7fu} << shift;
  }
  if (entry.kind == kOfsDelta) {
    if (at >= end) return corrupt("bad delta header");
    byte = bytes[at++];
    std::uint64_t distance = byte & 0x7f;
    while (byte & 0x80) {
      if (at >= end || distance > (std::uint64_t{1} << 50)) return corrupt("bad delta header");
      byte = bytes[at++];
      distance = ((distance + 1) << 7) | (byte & 0x7f);
    }
    if (distance == 0 || distance > position.offset) return corrupt("delta base outside the pack");
    entry.base = PackPosition{position.pack, position.offset - distance};
  } else if (entry.kind == kRefDelta) {
    if (at + GIT_OID_RAWSZ > end) return corrupt("bad delta header");
    git_oid base;
    git_oid_fromraw(&base, bytes + at);
    at += GIT_OID_RAWSZ;
    entry.base = packs_.find(base);
    if (!entry.base) return corrupt("delta base is not in a pack");
  } else if (entry.kind < kCommit || entry.kind > kTag) {
    return corrupt("unknown entry type");
  }
  entry.data = bytes + at;
  entry.available = end - at;
  return entry;
}

Status PackReader::inflate_into(const Entry& entry, unsigned char* out, std::size_t size) {
  const PackSet::Pack& pack = packs_.pack(entry.position.pack);
  auto corrupt = [&](const char* why) {
    return make_error(pack.path + " at offset " + std::to_string(entry.position.offset) + ": " + why);
  };
  if (!inflater_) return corrupt("cannot allocate a decompressor");
  // The zlib stream ends where it says; the input offered runs to the pack's trailer. A stream
  // that would produce more or fewer bytes than the header says is damage.
  std::size_t used_in = 0, produced = 0;
  auto status = libdeflate_zlib_decompress_ex(inflater_, entry.data, entry.available, out, size, &used_in, &produced);
  if (status != LIBDEFLATE_SUCCESS || produced != size) return corrupt("damaged zlib data");
  return Ok{};
}

std::optional<ObjectBytes> ObjectBytes::allocate(std::uint64_t size) {
  if (size > std::numeric_limits<std::size_t>::max() / 2) return std::nullopt;
  ObjectBytes bytes;
  try {
    bytes.data_ = std::make_shared_for_overwrite<char[]>(static_cast<std::size_t>(size));
  } catch (const std::bad_alloc&) {
    return std::nullopt;
  }
  bytes.size_ = static_cast<std::size_t>(size);
  return bytes;
}

const PackReader::Cached* PackReader::cached(std::uint64_t key) { return cache_.find(key); }

void PackReader::remember(std::uint64_t key, git_object_t type, const ObjectBytes& bytes) {
  if (bytes.size() > cache_.budget() / 8) return;  // one huge object would push out every base
  // Each entry also costs its bookkeeping: counted too, so a pack of tiny objects cannot make
  // the cache hold millions of them.
  constexpr std::size_t kEntryCost = 128;
  cache_.insert(key, Cached{type, bytes}, bytes.size() + kEntryCost);
}

namespace {

std::optional<std::uint64_t> delta_varint(const unsigned char*& at, const unsigned char* end) {
  std::uint64_t value = 0;
  for (int shift = 0; at < end && shift < 64; shift += 7) {
    unsigned char byte = *at++;
    value |= std::uint64_t{byte & 0x7fu} << shift;
    if (!(byte & 0x80)) return value;
  }
  return std::nullopt;
}

git_object_t object_type(std::uint8_t kind) {
  switch (kind) {
    case kCommit: return GIT_OBJECT_COMMIT;
    case kTree: return GIT_OBJECT_TREE;
    case kBlob: return GIT_OBJECT_BLOB;
    case kTag: return GIT_OBJECT_TAG;
    default: return GIT_OBJECT_INVALID;
  }
}

}  // namespace

Result<git_object_t> PackReader::resolved_type(PackPosition position) {
  for (int depth = 0; depth < kMaxChain; ++depth) {
    if (const Cached* hit = cached(position.key())) return hit->type;
    auto entry = parse_entry(position);
    if (!entry) return entry.error();
    if (!entry->base) return object_type(entry->kind);
    position = *entry->base;
  }
  return make_error(packs_.pack(position.pack).path + ": delta chain too long");
}

Result<PackObjectHeader> PackReader::header(PackPosition position) {
  auto entry = parse_entry(position);
  if (!entry) return entry.error();
  PackObjectHeader header;
  if (!entry->base) {
    header.type = object_type(entry->kind);
    header.size = entry->size;
    return header;
  }
  auto type = resolved_type(position);
  if (!type) return type.error();
  header.type = *type;
  // A delta's result size is its second header varint. Delta data is small: inflate all of it
  // and keep it for the read() that usually follows; a large one only has its start inflated.
  const unsigned char* at = nullptr;
  const unsigned char* end = nullptr;
  unsigned char start[32];
  bool streamed = true;
  if (entry->size <= (std::size_t{1} << 20) && entry->size <= std::uint64_t{entry->available} * 1032 + 64) {
    peeked_.resize(entry->size);
    peeked_key_ = ~std::uint64_t{0};
    if (!inflate_into(*entry, peeked_.data(), peeked_.size()))
      return make_error(packs_.pack(position.pack).path + " at offset " + std::to_string(position.offset) +
                        ": damaged delta");
    peeked_key_ = position.key();
    at = peeked_.data();
    end = at + peeked_.size();
  } else {
    if (!zlib_) return make_error("zlib unavailable");
    z_stream_s& z = *zlib_;
    if (inflateReset(&z) != Z_OK) return make_error("zlib reset failed");
    z.next_in = const_cast<unsigned char*>(entry->data);
    z.avail_in = static_cast<uInt>(std::min<std::size_t>(entry->available, UINT_MAX));
    z.next_out = start;
    z.avail_out = sizeof start;
    int status = inflate(&z, Z_SYNC_FLUSH);
    streamed = status == Z_OK || status == Z_STREAM_END;
    at = start;
    end = start + (sizeof start - z.avail_out);
  }
  auto base_size = delta_varint(at, end);
  auto result_size = delta_varint(at, end);
  if (!streamed || !base_size || !result_size)
    return make_error(packs_.pack(position.pack).path + " at offset " + std::to_string(position.offset) +
                      ": damaged delta");
  header.size = *result_size;
  return header;
}

Result<PackObject> PackReader::read(PackPosition position, bool want_copies) {
  // Walk down the chain to a cached object or a whole one, then apply the deltas upwards.
  std::vector<Entry> chain;
  ObjectBytes base;
  git_object_t type = GIT_OBJECT_INVALID;
  PackPosition at = position;
  for (;;) {
    if (const Cached* hit = cached(at.key())) {
      base = hit->bytes;
      type = hit->type;
      break;
    }
    auto entry = parse_entry(at);
    if (!entry) return entry.error();
    if (entry->base) {
      if (chain.size() >= kMaxChain) return make_error(packs_.pack(at.pack).path + ": delta chain too long");
      at = *entry->base;
      chain.push_back(std::move(*entry));
      continue;
    }
    // Deflate expands at most about 1032:1, so a larger size is a damaged header, not a reason
    // to try allocating it.
    if (entry->size > std::uint64_t{entry->available} * 1032 + 64)
      return make_error(packs_.pack(at.pack).path + " at offset " + std::to_string(at.offset) + ": object size does not fit its data");
    auto whole = ObjectBytes::allocate(entry->size);
    if (!whole) return make_error(packs_.pack(at.pack).path + " at offset " + std::to_string(at.offset) + ": object too large to hold in memory");
    KH_TRY(inflate_into(*entry, reinterpret_cast<unsigned char*>(whole->writable()), whole->size()));
    type = object_type(entry->kind);
    remember(at.key(), type, *whole);
    base = std::move(*whole);
    break;
  }
  PackObject object;
  object.type = type;
  for (std::size_t i = chain.size(); i-- > 0;) {
    const Entry& delta = chain[i];
    auto corrupt = [&](const char* why) {
      return make_error(packs_.pack(delta.position.pack).path + " at offset " +
                        std::to_string(delta.position.offset) + ": " + why);
    };
    if (delta.size > std::uint64_t{delta.available} * 1032 + 64) return corrupt("delta size does not fit its data");
    if (peeked_key_ == delta.position.key() && peeked_.size() == delta.size) {
      delta_.swap(peeked_);  // inflated by header() just before
      peeked_key_ = ~std::uint64_t{0};
    } else {
      delta_.resize(delta.size);
      KH_TRY(inflate_into(delta, delta_.data(), delta_.size()));
    }
    const unsigned char* in = delta_.data();
    const unsigned char* end = in + delta_.size();
    auto base_size = delta_varint(in, end);
    auto result_size = delta_varint(in, end);
    if (!base_size || !result_size || *base_size != base.size()) return corrupt("delta does not fit its base");
    // One instruction (at least one byte) yields at most 16 MiB: a larger result is damage.
    if (*result_size > std::uint64_t{delta_.size()} * 0xffffff) return corrupt("delta result too large");
    auto result = ObjectBytes::allocate(*result_size);
    if (!result) return corrupt("delta result too large to hold in memory");
    char* out = result->writable();
    std::size_t written = 0;
    bool record = want_copies && i == 0;
    std::vector<DeltaCopy>& copies = object.copies;
    while (in < end) {
      unsigned char op = *in++;
      if (op & 0x80) {
        std::uint64_t offset = 0, length = 0;
        for (int bit = 0; bit < 4; ++bit)
          if (op & (1u << bit)) {
            if (in >= end) return corrupt("truncated delta");
            offset |= std::uint64_t{*in++} << (8 * bit);
          }
        for (int bit = 0; bit < 3; ++bit)
          if (op & (0x10u << bit)) {
            if (in >= end) return corrupt("truncated delta");
            length |= std::uint64_t{*in++} << (8 * bit);
          }
        if (length == 0) length = 0x10000;
        if (offset + length > base.size() || length > result->size() - written) return corrupt("delta copies out of range");
        std::memcpy(out + written, base.data() + offset, length);
        if (record) {
          if (!copies.empty() && copies.back().target + copies.back().length == written &&
              copies.back().base + copies.back().length == offset)
            copies.back().length += length;
          else
            copies.push_back({written, static_cast<std::size_t>(offset), static_cast<std::size_t>(length)});
        }
        written += length;
      } else if (op != 0) {
        if (op > end - in || op > result->size() - written) return corrupt("delta inserts out of range");
        std::memcpy(out + written, in, op);
        in += op;
        written += op;
      } else {
        return corrupt("reserved delta instruction");
      }
    }
    if (written != result->size()) return corrupt("delta result has the wrong size");
    remember(delta.position.key(), type, *result);
    base = std::move(*result);
  }
  object.bytes = std::move(base);
  if (!chain.empty()) object.base = chain.front().base;
  return object;
}

}  // namespace keyhound
