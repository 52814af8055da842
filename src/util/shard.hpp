// --shard I/N: which of N shards an input belongs to. A blob goes by its id (the same blob lands
// in the same shard in every scan, history or files); an input known only by name (a file not
// read, a warning) goes by its name. Shards are numbered 0..N-1, as Kubernetes' completion index.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "util/result.hpp"

namespace keyhound {

struct Shard {
  std::uint32_t index = 0;
  std::uint32_t count = 1;  // 1: everything

  bool whole() const { return count <= 1; }
  // By the first four bytes of a blob id.
  bool holds_id_prefix(std::uint32_t first_four_bytes) const {
    return whole() || first_four_bytes % count == index;
  }
  // By a hex blob id, or by name when `where` is not one (FNV-1a of the bytes).
  bool holds(std::string_view where) const;
};

// "I/N" with 0 <= I < N; errors name the option.
Result<Shard> parse_shard(const std::string& text);

}  // namespace keyhound
