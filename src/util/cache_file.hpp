// Cache entries that can be trusted only when intact: magic + SHA-256 of the payload + payload.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "util/result.hpp"

namespace keyhound {

// The payload of the entry at `path`, or nothing when it is missing, foreign or corrupt.
std::optional<std::string> read_cache_entry(const std::string& path, std::string_view magic);

// Writes the entry atomically, creating its folder. Failure only costs time next run.
void write_cache_entry(const std::string& path, std::string_view magic, std::string_view payload);

}  // namespace keyhound
