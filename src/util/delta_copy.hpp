// A stretch of a git delta's result copied from its base: target[target, target + length) ==
// base[base, base + length). Shared by the pack reader, which records them, and the matcher,
// which re-checks only the bytes outside them.
#pragma once

#include <cstddef>

namespace keyhound {

struct DeltaCopy {
  std::size_t target = 0;
  std::size_t base = 0;
  std::size_t length = 0;
};

}  // namespace keyhound
