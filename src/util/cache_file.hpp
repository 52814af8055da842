// Cache entries that can be trusted only when intact: magic + CRC-32 of the payload + payload.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "util/mapped_file.hpp"
#include "util/result.hpp"

namespace keyhound {

// An entry read in place: the payload is a view into the mapped file.
struct CacheEntry {
  MappedFile file;
  std::string_view payload;
};

// The entry at `path`, or nothing when it is missing, foreign or corrupt.
std::optional<CacheEntry> read_cache_entry(const std::string& path, std::string_view magic);

// Writes the entry atomically, creating its folder. Failure only costs time next run.
void write_cache_entry(const std::string& path, std::string_view magic, std::string_view payload);

}  // namespace keyhound
