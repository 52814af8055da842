#include "source/blob.hpp"

#include <algorithm>
#include <cstring>
#include <string>

#include "util/hash.hpp"
#include "util/sha1.hpp"

namespace keyhound {

namespace {

// Git hashes "blob <size>\0" before the bytes.
void hash_blob_header(Sha1Builder& hasher, std::uint64_t size) {
  std::string header = "blob " + std::to_string(size);
  header.push_back('\0');
  hasher.update(header);
}

}  // namespace

std::string git_blob_id(std::string_view bytes) {
  Sha1Builder hasher;
  hash_blob_header(hasher, bytes.size());
  hasher.update(bytes);
  Sha1 digest = hasher.finish();
  return to_hex(digest.data(), digest.size());
}

std::string git_blob_id(BlobStream& stream, std::string& buffer) {
  Sha1Builder hasher;
  hash_blob_header(hasher, stream.size());
  if (buffer.size() < (1u << 20)) buffer.resize(1u << 20);
  std::uint64_t offset = 0;
  bool failed = false;
  while (offset < stream.size()) {
    long long got =
        stream.read_at(offset, buffer.data(), std::min<std::uint64_t>(buffer.size(), stream.size() - offset));
    if (got <= 0) {
      failed = true;
      break;
    }
    hasher.update(std::string_view(buffer.data(), static_cast<std::size_t>(got)));
    offset += static_cast<std::uint64_t>(got);
  }
  Sha1 digest = hasher.finish();
  return failed ? std::string() : to_hex(digest.data(), digest.size());
}

bool looks_binary(std::string_view bytes) {
  std::string_view head = bytes.substr(0, 8192);
  return std::memchr(head.data(), '\0', head.size()) != nullptr;
}

bool touches_lines(const std::vector<LineRange>& ranges, std::uint64_t first, std::uint64_t last) {
  // The first range that ends at or after `first` is the only candidate.
  auto candidate =
      std::lower_bound(ranges.begin(), ranges.end(), first,
                       [](const LineRange& range, std::uint64_t line) { return range.last < line; });
  return candidate != ranges.end() && candidate->first <= last;
}

}  // namespace keyhound
