// The delta applier and the pack varints on hand-built deltas: every instruction form, the
// copied stretches it reports, and each way a delta can be damaged.
#include "git/delta.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "git/varint.hpp"

namespace keyhound {
namespace {

using Bytes = std::vector<unsigned char>;

// A delta's size varint, least significant 7 bits first.
void put_size(Bytes& out, std::uint64_t value) {
  do {
    unsigned char byte = value & 0x7f;
    value >>= 7;
    out.push_back(byte | (value ? 0x80 : 0));
  } while (value);
}

// A copy instruction with only the non-zero offset and size bytes present, as git writes it.
void put_copy(Bytes& out, std::uint32_t offset, std::uint32_t size) {
  unsigned char op = 0x80;
  Bytes args;
  for (int i = 0; i < 4; ++i)
    if ((offset >> (8 * i)) & 0xff) op |= 1 << i, args.push_back((offset >> (8 * i)) & 0xff);
  for (int i = 0; i < 3; ++i)
    if ((size >> (8 * i)) & 0xff) op |= 0x10 << i, args.push_back((size >> (8 * i)) & 0xff);
  out.push_back(op);
  out.insert(out.end(), args.begin(), args.end());
}

void put_insert(Bytes& out, const std::string& text) {
  out.push_back(static_cast<unsigned char>(text.size()));
  out.insert(out.end(), text.begin(), text.end());
}

struct Applied {
  const char* error = nullptr;
  std::string result;
  std::vector<DeltaCopy> copies;
};

Applied apply_to(const std::string& base, const Bytes& delta) {
  Applied out;
  const unsigned char* at = delta.data();
  const unsigned char* end = at + delta.size();
  auto sizes = read_delta_sizes(at, end);
  if (!sizes) {
    out.error = "bad sizes";
    return out;
  }
  EXPECT_EQ(sizes->base, base.size());
  out.result.assign(sizes->result, '\0');
  out.error = apply_delta(base, at, end, out.result.data(), out.result.size(), &out.copies);
  return out;
}

TEST(Delta, CopiesAndInsertsInOrder) {
  std::string base = "token = AAAA; host = example.org; user = admin";
  Bytes delta;
  put_size(delta, base.size());
  put_size(delta, 8 + 4 + 34);
  put_copy(delta, 0, 8);      // "token = "
  put_insert(delta, "BBBB");  // the new value
  put_copy(delta, 12, 34);    // "; host = example.org; user = admin"
  Applied applied = apply_to(base, delta);
  ASSERT_EQ(applied.error, nullptr);
  EXPECT_EQ(applied.result, "token = BBBB; host = example.org; user = admin");
  ASSERT_EQ(applied.copies.size(), 2u);
  EXPECT_EQ(applied.copies[0].target, 0u);
  EXPECT_EQ(applied.copies[0].base, 0u);
  EXPECT_EQ(applied.copies[0].length, 8u);
  EXPECT_EQ(applied.copies[1].target, 12u);
  EXPECT_EQ(applied.copies[1].base, 12u);
  EXPECT_EQ(applied.copies[1].length, 34u);
}

TEST(Delta, AdjacentCopiesOfAdjacentBytesMerge) {
  std::string base = "0123456789";
  Bytes delta;
  put_size(delta, 10);
  put_size(delta, 10);
  put_copy(delta, 0, 4);
  put_copy(delta, 4, 6);
  Applied applied = apply_to(base, delta);
  ASSERT_EQ(applied.error, nullptr);
  EXPECT_EQ(applied.result, base);
  ASSERT_EQ(applied.copies.size(), 1u);
  EXPECT_EQ(applied.copies[0].length, 10u);
}

TEST(Delta, CopyOfSizeZeroMeans64KiB) {
  std::string base(0x10000 + 5, 'x');
  base[0x10003] = 'y';  // the last byte the copy takes (offset 4, 64 KiB)
  Bytes delta;
  put_size(delta, base.size());
  put_size(delta, 0x10000 + 1);
  delta.push_back(0x80 | 0x01);  // offset byte 0 present, no size bytes: 0x10000
  delta.push_back(4);
  put_insert(delta, "z");
  Applied applied = apply_to(base, delta);
  ASSERT_EQ(applied.error, nullptr);
  EXPECT_EQ(applied.result.size(), 0x10001u);
  EXPECT_EQ(applied.result.substr(0x10000 - 1), "yz");
}

TEST(Delta, DamageIsAnErrorNeverAnOverrun) {
  std::string base = "abcdef";
  auto with = [&](std::uint64_t result_size, auto&& instructions) {
    Bytes delta;
    put_size(delta, base.size());
    put_size(delta, result_size);
    instructions(delta);
    return apply_to(base, delta);
  };
  EXPECT_STREQ(with(4, [](Bytes& d) { put_copy(d, 4, 4); }).error,
               "delta copies out of range");  // past the base
  EXPECT_STREQ(with(3, [](Bytes& d) { put_copy(d, 0, 4); }).error,
               "delta copies out of range");  // past the result
  EXPECT_STREQ(with(2, [](Bytes& d) { put_insert(d, "abc"); }).error, "delta inserts out of range");
  EXPECT_STREQ(with(5, [](Bytes& d) { d.push_back(5), d.push_back('a'); }).error,
               "delta inserts out of range");
  EXPECT_STREQ(with(1, [](Bytes& d) { d.push_back(0); }).error, "reserved delta instruction");
  EXPECT_STREQ(with(1, [](Bytes& d) { d.push_back(0x91); }).error, "truncated delta");  // offset byte missing
  EXPECT_STREQ(with(7, [](Bytes& d) { put_copy(d, 0, 6); }).error, "delta result has the wrong size");
  EXPECT_STREQ(with(5, [](Bytes& d) { put_copy(d, 0xffffffff, 1); }).error, "delta copies out of range");
}

TEST(Delta, ResultSizeIsBoundedByTheDeltaLength) {
  // One instruction byte yields at most 16 MiB: a 4-byte delta cannot build 3.5 GB.
  EXPECT_LT(max_delta_result(4), 3'500'000'000ull);
  EXPECT_GE(max_delta_result(4), 4ull * 0xffffff);
}

TEST(PackVarint, EntryHeaderTypeAndSize) {
  // Type 3 (blob), size 0x1234 = 4 low bits 0x4, then 0x123 in 7-bit groups.
  Bytes bytes = {0x80 | (3 << 4) | 0x4, 0x80 | (0x123 & 0x7f), 0x123 >> 7};
  const unsigned char* at = bytes.data();
  auto header = varint::entry_header(at, bytes.data() + bytes.size());
  ASSERT_TRUE(header);
  EXPECT_EQ(header->kind, 3);
  EXPECT_EQ(header->size, 0x1234u);
  EXPECT_EQ(at, bytes.data() + bytes.size());
  // Runs off the end, or past 64 bits: refused.
  const unsigned char* short_at = bytes.data();
  EXPECT_FALSE(varint::entry_header(short_at, bytes.data() + 2));
  Bytes endless(12, 0xff);
  const unsigned char* endless_at = endless.data();
  EXPECT_FALSE(varint::entry_header(endless_at, endless.data() + endless.size()));
}

TEST(PackVarint, OffsetDistanceAddsOnePerContinuation) {
  Bytes one_byte = {0x7f};
  const unsigned char* at = one_byte.data();
  EXPECT_EQ(varint::offset_distance(at, one_byte.data() + 1), 127u);
  Bytes two = {0x80, 0x00};  // (0 + 1) << 7 | 0 = 128
  at = two.data();
  EXPECT_EQ(varint::offset_distance(at, two.data() + 2), 128u);
  Bytes endless(12, 0xff);
  at = endless.data();
  EXPECT_FALSE(varint::offset_distance(at, endless.data() + endless.size()));
}

TEST(PackVarint, DeltaSizes) {
  Bytes bytes;
  put_size(bytes, 300);
  put_size(bytes, 0xffffffffffull);
  const unsigned char* at = bytes.data();
  auto sizes = read_delta_sizes(at, bytes.data() + bytes.size());
  ASSERT_TRUE(sizes);
  EXPECT_EQ(sizes->base, 300u);
  EXPECT_EQ(sizes->result, 0xffffffffffull);
  Bytes endless(11, 0xff);
  at = endless.data();
  EXPECT_FALSE(varint::delta_size(at, endless.data() + endless.size()));
}

}  // namespace
}  // namespace keyhound
