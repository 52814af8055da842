// Fresh memory for the Hyperscan database: zero-filled, writable, the size asked for or more,
// huge-page aligned from half a huge page up, and given back whole.
#include "util/fresh_memory.hpp"

#include <gtest/gtest.h>
#include <sys/mman.h>

#include <cstdint>
#include <cstring>

namespace keyhound {
namespace {

bool all_zero(const void* data, std::size_t size) {
  const auto* bytes = static_cast<const unsigned char*>(data);
  for (std::size_t i = 0; i < size; ++i)
    if (bytes[i] != 0) return false;
  return true;
}

TEST(FreshMemory, ZeroedWritableAndAlignedForLargeSizes) {
  for (std::size_t size : {std::size_t{1}, std::size_t{4096} * 3 + 17, std::size_t{1} << 20,
                           std::size_t{1188064}, (std::size_t{5} << 20) + 1}) {
    FreshMemory memory = map_fresh_memory(size);
    ASSERT_NE(memory.data, nullptr) << size;
    EXPECT_GE(memory.mapped, size);
    EXPECT_TRUE(all_zero(memory.data, memory.mapped)) << size;
    if (size >= std::size_t{1} << 20) {
      EXPECT_EQ(reinterpret_cast<std::uintptr_t>(memory.data) % (std::size_t{2} << 20), 0u) << size;
      EXPECT_EQ(memory.mapped % (std::size_t{2} << 20), 0u) << size;
    }
    std::memset(memory.data, 0xab, size);
    EXPECT_EQ(static_cast<unsigned char*>(memory.data)[size - 1], 0xab);
    EXPECT_EQ(munmap(memory.data, memory.mapped), 0) << size;
  }
  EXPECT_EQ(map_fresh_memory(0).data, nullptr);
}

}  // namespace
}  // namespace keyhound
