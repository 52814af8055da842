#include "source/blob.hpp"

#include <openssl/evp.h>

#include <algorithm>
#include <cstring>
#include <string>

#include "util/hash.hpp"

namespace keyhound {

std::string git_blob_id(std::string_view bytes) {
  std::string header = "blob " + std::to_string(bytes.size());
  header.push_back('\0');
  EVP_MD_CTX* ctx = EVP_MD_CTX_new();
  EVP_DigestInit_ex(ctx, EVP_sha1(), nullptr);
  EVP_DigestUpdate(ctx, header.data(), header.size());
  EVP_DigestUpdate(ctx, bytes.data(), bytes.size());
  unsigned char digest[20];
  unsigned int length = 0;
  EVP_DigestFinal_ex(ctx, digest, &length);
  EVP_MD_CTX_free(ctx);
  return to_hex(digest, 20);
}

std::string git_blob_id(BlobStream& stream, std::string& buffer) {
  std::string header = "blob " + std::to_string(stream.size());
  header.push_back('\0');
  EVP_MD_CTX* ctx = EVP_MD_CTX_new();
  EVP_DigestInit_ex(ctx, EVP_sha1(), nullptr);
  EVP_DigestUpdate(ctx, header.data(), header.size());
  if (buffer.size() < (1u << 20)) buffer.resize(1u << 20);
  std::uint64_t offset = 0;
  bool failed = false;
  while (offset < stream.size()) {
    long long got = stream.read_at(offset, buffer.data(), std::min<std::uint64_t>(buffer.size(), stream.size() - offset));
    if (got <= 0) {
      failed = true;
      break;
    }
    EVP_DigestUpdate(ctx, buffer.data(), static_cast<std::size_t>(got));
    offset += static_cast<std::uint64_t>(got);
  }
  unsigned char digest[20];
  unsigned int length = 0;
  EVP_DigestFinal_ex(ctx, digest, &length);
  EVP_MD_CTX_free(ctx);
  return failed ? std::string() : to_hex(digest, 20);
}

bool looks_binary(std::string_view bytes) {
  std::string_view head = bytes.substr(0, 8192);
  return std::memchr(head.data(), '\0', head.size()) != nullptr;
}

bool touches_lines(const std::vector<LineRange>& ranges, std::uint64_t first, std::uint64_t last) {
  // The first range that ends at or after `first` is the only candidate.
  auto candidate = std::lower_bound(ranges.begin(), ranges.end(), first,
                                    [](const LineRange& range, std::uint64_t line) { return range.last < line; });
  return candidate != ranges.end() && candidate->first <= last;
}

}  // namespace keyhound
