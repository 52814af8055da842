// Reading pack entries: headers through the one varint parser, zlib streams inflated (whole by
// libdeflate when small, incrementally by zlib when large), delta chains applied upwards from a
// cached or whole base.
#include "git/pack_reader.hpp"

#include <libdeflate.h>
#include <zlib.h>

#include <algorithm>
#include <climits>
#include <cstring>
#include <limits>

#include "git/delta.hpp"
#include "git/pack_format.hpp"
#include "git/varint.hpp"

namespace keyhound {
namespace {

// Longest delta chain followed; git itself writes at most 4095 (pack.depth's limit).
constexpr int kMaxChain = 10000;
// Deflate expands at most about 1032:1.
constexpr std::uint64_t kMaxInflateRatio = 1032;
// Entries up to this size are inflated whole in one call; larger ones incrementally, so a size
// that the stream does not back costs only what the stream yields.
constexpr std::uint64_t kWholeInflateLimit = std::uint64_t{1} << 20;

git_object_t object_type(std::uint8_t kind) {
  switch (kind) {
    case kCommit:
      return GIT_OBJECT_COMMIT;
    case kTree:
      return GIT_OBJECT_TREE;
    case kBlob:
      return GIT_OBJECT_BLOB;
    case kTag:
      return GIT_OBJECT_TAG;
    default:
      return GIT_OBJECT_INVALID;
  }
}

}  // namespace

// One entry as its header describes it.
struct PackReader::Entry {
  PackPosition position;
  std::uint8_t kind = 0;                // EntryType
  std::uint64_t size = 0;               // of the object, or of the delta data
  const unsigned char* data = nullptr;  // the zlib stream
  std::size_t available = 0;            // bytes from `data` to the next entry (or the trailer)
  std::optional<PackPosition> base;     // deltas
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

Error PackReader::damaged(PackPosition position, const std::string& why) const {
  return make_error(packs_.pack(position.pack).path + " at offset " + std::to_string(position.offset) + ": " +
                    why);
}

Result<PackReader::Entry> PackReader::parse_entry(PackPosition position) const {
  const PackSet::Pack& pack = packs_.pack(position.pack);
  const unsigned char* bytes = pack.data.data();
  const unsigned char* end = bytes + (pack.data.size() - kTrailer);
  if (position.offset < 12 || position.offset >= pack.data.size() - kTrailer)
    return damaged(position, "offset outside the pack");
  const unsigned char* at = bytes + position.offset;
  auto header = varint::entry_header(at, end);
  if (!header) return damaged(position, "bad entry header");
  Entry entry;
  entry.position = position;
  entry.kind = header->kind;
  entry.size = header->size;
  if (entry.kind == kOfsDelta) {
    auto distance = varint::offset_distance(at, end);
    if (!distance) return damaged(position, "bad delta header");
    if (*distance == 0 || *distance > position.offset)
      return damaged(position, "delta base outside the pack");
    entry.base = PackPosition{position.pack, position.offset - *distance};
  } else if (entry.kind == kRefDelta) {
    if (end - at < GIT_OID_RAWSZ) return damaged(position, "bad delta header");
    git_oid base;
    git_oid_fromraw(&base, at);
    at += GIT_OID_RAWSZ;
    entry.base = packs_.find(base);
    if (!entry.base) return damaged(position, "delta base is not in a pack");
  } else if (entry.kind < kCommit || entry.kind > kTag) {
    return damaged(position, "unknown entry type");
  }
  entry.data = at;
  entry.available = static_cast<std::size_t>(end - at);
  // A size the compressed bytes cannot back is damage, not a reason to allocate it. Small sizes
  // pass without looking up where the entry ends (the hot path); large ones are held to the
  // entry's own bytes, up to the next entry.
  if (entry.size > kWholeInflateLimit) {
    std::uint64_t entry_end = pack.entry_end(position.offset);
    std::uint64_t data_start = static_cast<std::uint64_t>(at - bytes);
    std::uint64_t own = entry_end > data_start ? entry_end - data_start : 0;
    entry.available = static_cast<std::size_t>(std::min<std::uint64_t>(entry.available, own));
    if (entry.size > std::uint64_t{entry.available} * kMaxInflateRatio + 64)
      return damaged(position, "entry claims " + std::to_string(entry.size) + " bytes, more than its " +
                                   std::to_string(entry.available) + " compressed bytes can hold");
  }
  return entry;
}

Status PackReader::inflate_into(const Entry& entry, unsigned char* out, std::size_t size) {
  if (size > kWholeInflateLimit) {
    // Incrementally through zlib: the output buffer is written only as far as the stream goes.
    if (!zlib_) return damaged(entry.position, "zlib unavailable");
    z_stream_s& z = *zlib_;
    if (inflateReset(&z) != Z_OK) return damaged(entry.position, "zlib reset failed");
    z.next_in = const_cast<unsigned char*>(entry.data);
    std::size_t in_left = entry.available;
    std::size_t produced = 0;
    int status = Z_OK;
    while (status == Z_OK) {
      uInt in_chunk = static_cast<uInt>(std::min<std::size_t>(in_left, UINT_MAX));
      uInt out_chunk = static_cast<uInt>(std::min<std::size_t>(size - produced, std::size_t{1} << 24));
      z.avail_in = in_chunk;
      z.next_out = out + produced;
      z.avail_out = out_chunk;
      status = inflate(&z, Z_NO_FLUSH);
      in_left -= in_chunk - z.avail_in;
      produced += out_chunk - z.avail_out;
      if (status == Z_BUF_ERROR && produced == size) break;  // output full: the stream must end here
      if (status == Z_OK && produced == size && z.avail_out != 0) break;
    }
    if (status == Z_BUF_ERROR || status == Z_OK) {
      // Output full: the stream must have ended exactly there.
      unsigned char extra;
      z.next_out = &extra;
      z.avail_out = 1;
      status = inflate(&z, Z_NO_FLUSH);
      if (status != Z_STREAM_END || z.avail_out != 1) return damaged(entry.position, "damaged zlib data");
    }
    if (status != Z_STREAM_END || produced != size) return damaged(entry.position, "damaged zlib data");
    packs_.touched(entry.available - in_left);
    return Ok{};
  }
  if (!inflater_) return damaged(entry.position, "cannot allocate a decompressor");
  // The zlib stream ends where it says; the input offered runs to the pack's trailer. A stream
  // that would produce more or fewer bytes than the header says is damage.
  std::size_t used_in = 0, produced = 0;
  auto status =
      libdeflate_zlib_decompress_ex(inflater_, entry.data, entry.available, out, size, &used_in, &produced);
  if (status != LIBDEFLATE_SUCCESS || produced != size) return damaged(entry.position, "damaged zlib data");
  packs_.touched(used_in);
  return Ok{};
}

Status PackReader::inflate_growing(const Entry& entry, std::vector<unsigned char>& out, std::uint64_t size) {
  if (size <= kWholeInflateLimit) {
    out.resize(static_cast<std::size_t>(size));
    return inflate_into(entry, out.data(), out.size());
  }
  if (!zlib_) return damaged(entry.position, "zlib unavailable");
  z_stream_s& z = *zlib_;
  if (inflateReset(&z) != Z_OK) return damaged(entry.position, "zlib reset failed");
  z.next_in = const_cast<unsigned char*>(entry.data);
  z.avail_in = static_cast<uInt>(std::min<std::size_t>(entry.available, UINT_MAX));
  out.clear();
  std::size_t produced = 0;
  int status = Z_OK;
  while (status == Z_OK) {
    if (produced == out.size()) {
      // Grow by doubling up to the declared size plus one byte (to see a stream that runs over).
      std::uint64_t grown =
          std::min<std::uint64_t>(std::max<std::uint64_t>(out.size() * 2, 1 << 16), size + 1);
      out.resize(static_cast<std::size_t>(grown));
    }
    z.next_out = out.data() + produced;
    z.avail_out = static_cast<uInt>(std::min<std::size_t>(out.size() - produced, UINT_MAX));
    uInt before = z.avail_out;
    status = inflate(&z, Z_NO_FLUSH);
    produced += before - z.avail_out;
    if (produced > size) return damaged(entry.position, "delta data longer than its header says");
    if (status == Z_BUF_ERROR && z.avail_out != 0) break;  // the input ran out
  }
  if (status != Z_STREAM_END || produced != size)
    return damaged(entry.position, "delta data shorter than its header says (" + std::to_string(produced) +
                                       " of " + std::to_string(size) + " bytes)");
  out.resize(produced);
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

const PackReader::Cached* PackReader::cached(std::uint64_t key) {
  return cache_.find(key);
}

void PackReader::remember(std::uint64_t key, git_object_t type, const ObjectBytes& bytes) {
  if (bytes.size() > cache_.budget() / 8) return;  // one huge object would push out every base
  // Each entry also costs its bookkeeping: counted too, so a pack of tiny objects cannot make
  // the cache hold millions of them.
  constexpr std::size_t kEntryCost = 128;
  cache_.insert(key, Cached{type, bytes}, bytes.size() + kEntryCost);
}

Result<git_object_t> PackReader::resolved_type(PackPosition position) {
  for (int depth = 0; depth < kMaxChain; ++depth) {
    if (const Cached* hit = cached(position.key())) return hit->type;
    KH_TRY_ASSIGN(auto entry, parse_entry(position));
    if (!entry.base) return object_type(entry.kind);
    position = *entry.base;
  }
  return make_error(packs_.pack(position.pack).path + ": delta chain too long");
}

Result<PackObjectHeader> PackReader::header(PackPosition position) {
  KH_TRY_ASSIGN(auto entry, parse_entry(position));
  PackObjectHeader header;
  if (!entry.base) {
    header.type = object_type(entry.kind);
    header.size = entry.size;
    return header;
  }
  KH_TRY_ASSIGN(auto type, resolved_type(position));
  header.type = type;
  // A delta's result size is its second header varint. Delta data is small: inflate all of it
  // and keep it for the read() that usually follows; a large one only has its start inflated.
  const unsigned char* at = nullptr;
  const unsigned char* end = nullptr;
  unsigned char start[32];
  bool streamed = true;
  if (entry.size <= kWholeInflateLimit) {
    peeked_.resize(entry.size);
    peeked_key_ = ~std::uint64_t{0};
    if (!inflate_into(entry, peeked_.data(), peeked_.size())) return damaged(position, "damaged delta");
    peeked_key_ = position.key();
    at = peeked_.data();
    end = at + peeked_.size();
  } else {
    if (!zlib_) return make_error("zlib unavailable");
    z_stream_s& z = *zlib_;
    if (inflateReset(&z) != Z_OK) return make_error("zlib reset failed");
    z.next_in = const_cast<unsigned char*>(entry.data);
    z.avail_in = static_cast<uInt>(std::min<std::size_t>(entry.available, UINT_MAX));
    z.next_out = start;
    z.avail_out = sizeof start;
    int status = inflate(&z, Z_SYNC_FLUSH);
    streamed = status == Z_OK || status == Z_STREAM_END;
    at = start;
    end = start + (sizeof start - z.avail_out);
  }
  auto sizes = read_delta_sizes(at, end);
  if (!streamed || !sizes) return damaged(position, "damaged delta");
  header.size = sizes->result;
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
    KH_TRY_ASSIGN(auto entry, parse_entry(at));
    if (entry.base) {
      if (chain.size() >= kMaxChain) return make_error(packs_.pack(at.pack).path + ": delta chain too long");
      at = *entry.base;
      chain.push_back(std::move(entry));
      continue;
    }
    if (entry.size > std::uint64_t{entry.available} * kMaxInflateRatio + 64)
      return damaged(at, "object size does not fit its data");
    auto whole = ObjectBytes::allocate(entry.size);
    if (!whole) return damaged(at, "object too large to hold in memory");
    KH_TRY(inflate_into(entry, reinterpret_cast<unsigned char*>(whole->writable()), whole->size()));
    type = object_type(entry.kind);
    remember(at.key(), type, *whole);
    base = std::move(*whole);
    break;
  }
  PackObject object;
  object.type = type;
  for (std::size_t i = chain.size(); i-- > 0;) {
    const Entry& delta = chain[i];
    if (delta.size > std::uint64_t{delta.available} * kMaxInflateRatio + 64)
      return damaged(delta.position, "delta size does not fit its data");
    if (peeked_key_ == delta.position.key() && peeked_.size() == delta.size) {
      delta_.swap(peeked_);  // inflated by header() just before
      peeked_key_ = ~std::uint64_t{0};
    } else {
      KH_TRY(inflate_growing(delta, delta_, delta.size));
    }
    const unsigned char* in = delta_.data();
    const unsigned char* end = in + delta_.size();
    auto sizes = read_delta_sizes(in, end);
    if (!sizes || sizes->base != base.size()) return damaged(delta.position, "delta does not fit its base");
    if (sizes->result > max_delta_result(delta_.size()))
      return damaged(delta.position, "delta result too large");
    auto result = ObjectBytes::allocate(sizes->result);
    if (!result) return damaged(delta.position, "delta result too large to hold in memory");
    std::vector<DeltaCopy>* copies = want_copies && i == 0 ? &object.copies : nullptr;
    if (const char* why = apply_delta(base.view(), in, end, result->writable(), result->size(), copies))
      return damaged(delta.position, why);
    remember(delta.position.key(), type, *result);
    base = std::move(*result);
  }
  object.bytes = std::move(base);
  if (!chain.empty()) object.base = chain.front().base;
  return object;
}

}  // namespace keyhound
