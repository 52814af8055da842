// SHA-256 and hex helpers (OpenSSL), used for fingerprints, cache keys and blob ids.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

namespace keyhound {

using Sha256 = std::array<std::uint8_t, 32>;

Sha256 sha256(std::string_view data);
std::string to_hex(const std::uint8_t* data, std::size_t size);
inline std::string to_hex(const Sha256& digest) {
  return to_hex(digest.data(), digest.size());
}
std::string sha256_hex(std::string_view data);

// HMAC-SHA256 of `data` under `key`, as 64 hex digits.
std::string hmac_sha256_hex(std::string_view key, std::string_view data);

// `bytes` bytes from the operating system's CSPRNG, as hex; empty if it failed.
std::string random_hex(std::size_t bytes);

// Incremental SHA-256 for data that arrives in pieces.
class Sha256Builder {
 public:
  Sha256Builder();
  ~Sha256Builder();
  Sha256Builder(const Sha256Builder&) = delete;
  Sha256Builder& operator=(const Sha256Builder&) = delete;
  void update(std::string_view data);
  Sha256 finish();

 private:
  struct State;
  State* state_;
};

}  // namespace keyhound
