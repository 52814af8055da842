// Applying a git delta (gitformat-pack(5), "Deltified representation"): copy instructions take
// stretches of the base, insert instructions carry new bytes.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

#include "util/delta_copy.hpp"

namespace keyhound {

struct DeltaSizes {
  std::uint64_t base = 0;
  std::uint64_t result = 0;
};
// The two sizes a delta starts with; `at` is left at the first instruction.
std::optional<DeltaSizes> read_delta_sizes(const unsigned char*& at, const unsigned char* end);

// Runs the instructions in [at, end) over `base`, writing exactly `out_size` bytes to `out`.
// With `copies`, the stretches copied from the base are appended (target order, adjacent ones
// merged). Returns null on success, else what is wrong with the delta.
const char* apply_delta(std::string_view base, const unsigned char* at, const unsigned char* end, char* out,
                        std::size_t out_size, std::vector<DeltaCopy>* copies = nullptr);

// The most a delta of `delta_bytes` bytes can produce: an instruction yields at most 16 MiB and
// takes at least one byte, so a declared result size above this is damage, not a size to allocate.
inline std::uint64_t max_delta_result(std::uint64_t delta_bytes) {
  return delta_bytes * 0xffffff;
}

}  // namespace keyhound
