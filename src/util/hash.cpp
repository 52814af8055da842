// SHA-256, SHA-1, HMAC-SHA256 and hex. OpenSSL's digest functions themselves, not EVP: the
// first EVP digest of a process loads OpenSSL's configuration and fetches the algorithm from a
// provider, 1.7 ms of every pre-commit run; SHA256_* and SHA1_* are the same assembly (SHA-NI
// where the CPU has it) without that.
#define OPENSSL_SUPPRESS_DEPRECATED
#include "util/hash.hpp"

#include <openssl/crypto.h>
#include <openssl/rand.h>
#include <openssl/sha.h>

#include <cstring>
#include <memory>

#include "util/sha1.hpp"

namespace keyhound {

struct Sha256Builder::State {
  SHA256_CTX ctx;
};

Sha256Builder::Sha256Builder() : state_(new State) {
  SHA256_Init(&state_->ctx);
}
Sha256Builder::~Sha256Builder() {
  delete state_;
}

void Sha256Builder::update(std::string_view data) {
  SHA256_Update(&state_->ctx, data.data(), data.size());
}

Sha256 Sha256Builder::finish() {
  Sha256 out{};
  SHA256_Final(out.data(), &state_->ctx);
  return out;
}

// Not the one-shot SHA256() and SHA1(): since OpenSSL 3 they go through EVP as well.
Sha256 sha256(std::string_view data) {
  Sha256Builder builder;
  builder.update(data);
  return builder.finish();
}

struct Sha1Builder::State {
  SHA_CTX ctx;
};

Sha1Builder::Sha1Builder() : state_(new State) {
  SHA1_Init(&state_->ctx);
}
Sha1Builder::~Sha1Builder() {
  delete state_;
}

void Sha1Builder::update(std::string_view data) {
  SHA1_Update(&state_->ctx, data.data(), data.size());
}

Sha1 Sha1Builder::finish() {
  Sha1 out{};
  SHA1_Final(out.data(), &state_->ctx);
  return out;
}

Sha1 sha1(std::string_view data) {
  Sha1Builder builder;
  builder.update(data);
  return builder.finish();
}

std::string to_hex(const std::uint8_t* data, std::size_t size) {
  static constexpr char digits[] = "0123456789abcdef";
  std::string out(size * 2, '0');
  for (std::size_t i = 0; i < size; ++i) {
    out[2 * i] = digits[data[i] >> 4];
    out[2 * i + 1] = digits[data[i] & 0xf];
  }
  return out;
}

std::string sha256_hex(std::string_view data) {
  return to_hex(sha256(data));
}

// RFC 2104 over SHA-256 (64-byte blocks).
std::string hmac_sha256_hex(std::string_view key, std::string_view data) {
  unsigned char block[64] = {};
  if (key.size() > sizeof block) {
    Sha256 hashed = sha256(key);
    std::memcpy(block, hashed.data(), hashed.size());
  } else {
    std::memcpy(block, key.data(), key.size());
  }
  unsigned char pad[64];
  for (std::size_t i = 0; i < sizeof pad; ++i) pad[i] = block[i] ^ 0x36;
  Sha256Builder inner;
  inner.update(std::string_view(reinterpret_cast<const char*>(pad), sizeof pad));
  inner.update(data);
  Sha256 inner_digest = inner.finish();
  for (std::size_t i = 0; i < sizeof pad; ++i) pad[i] = block[i] ^ 0x5c;
  Sha256Builder outer;
  outer.update(std::string_view(reinterpret_cast<const char*>(pad), sizeof pad));
  outer.update(std::string_view(reinterpret_cast<const char*>(inner_digest.data()), inner_digest.size()));
  Sha256 out = outer.finish();
  OPENSSL_cleanse(block, sizeof block);
  OPENSSL_cleanse(pad, sizeof pad);
  return to_hex(out);
}

std::string random_hex(std::size_t bytes) {
  std::string raw(bytes, '\0');
  if (RAND_bytes(reinterpret_cast<unsigned char*>(raw.data()), static_cast<int>(bytes)) != 1) return {};
  return to_hex(reinterpret_cast<const std::uint8_t*>(raw.data()), raw.size());
}

}  // namespace keyhound
