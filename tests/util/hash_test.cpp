// SHA-256, SHA-1 and HMAC-SHA256 against published vectors (FIPS 180 "abc", RFC 4231).
#include "util/hash.hpp"

#include <gtest/gtest.h>

#include "util/sha1.hpp"

namespace keyhound {
namespace {

TEST(Hash, Sha256AndSha1OfAbc) {
  EXPECT_EQ(sha256_hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  Sha1 digest = sha1("abc");
  EXPECT_EQ(to_hex(digest.data(), digest.size()), "a9993e364706816aba3e25717850c26c9cd0d89d");
  Sha256Builder pieces;
  pieces.update("a");
  pieces.update("");
  pieces.update("bc");
  EXPECT_EQ(to_hex(pieces.finish()), sha256_hex("abc"));
}

TEST(Hash, HmacSha256OfRfc4231) {
  EXPECT_EQ(hmac_sha256_hex(std::string(20, '\x0b'), "Hi There"),
            "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7");
  EXPECT_EQ(hmac_sha256_hex("Jefe", "what do ya want for nothing?"),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
  // A key longer than the block is hashed first (test case 6).
  EXPECT_EQ(
      hmac_sha256_hex(std::string(131, '\xaa'), "Test Using Larger Than Block-Size Key - Hash Key First"),
      "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54");
}

}  // namespace
}  // namespace keyhound
