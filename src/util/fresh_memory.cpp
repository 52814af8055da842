#include "util/fresh_memory.hpp"

#include <sys/mman.h>

#include <cstdint>

namespace keyhound {
namespace {

constexpr std::size_t kHugePage = std::size_t{2} << 20;
#ifndef MADV_POPULATE_WRITE
constexpr int MADV_POPULATE_WRITE = 23;  // Linux 5.14
#endif

}  // namespace

FreshMemory map_fresh_memory(std::size_t size) {
  if (size == 0) return {};
  if (size < kHugePage / 2) {
    void* data =
        mmap(nullptr, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE, -1, 0);
    return data == MAP_FAILED ? FreshMemory{} : FreshMemory{data, size};
  }
  // Over-map by a huge page, keep the aligned part: the kernel backs an aligned 2 MB range with
  // one huge page on its first fault.
  const std::size_t length = (size + kHugePage - 1) & ~(kHugePage - 1);
  void* raw = mmap(nullptr, length + kHugePage, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (raw == MAP_FAILED) return {};
  const auto start = reinterpret_cast<std::uintptr_t>(raw);
  const std::uintptr_t aligned = (start + kHugePage - 1) & ~(kHugePage - 1);
  if (aligned > start) munmap(raw, aligned - start);
  if (const std::uintptr_t tail = start + length + kHugePage - (aligned + length); tail > 0)
    munmap(reinterpret_cast<void*>(aligned + length), tail);
  void* data = reinterpret_cast<void*>(aligned);
  madvise(data, length, MADV_HUGEPAGE);                   // refused (THP off): 4 KB pages, populated below
  if (madvise(data, length, MADV_POPULATE_WRITE) != 0) {  // before Linux 5.14: touch each page
    for (std::size_t at = 0; at < length; at += 4096) static_cast<volatile char*>(data)[at] = 0;
  }
  return {data, length};
}

}  // namespace keyhound
