// Whole-file reads and atomic writes (temp file in the same folder + rename).
#pragma once

#include <cstdint>
#include <functional>
#include <ostream>
#include <string>
#include <string_view>

#include "util/result.hpp"

namespace keyhound {

// The one reader for files a user or a repository names (rules, config, baseline, credentials,
// a secret's file): regular files only (a FIFO or device would block or never end) and at most
// `max_size` bytes; errors name the path and say which limit was hit.
inline constexpr std::uint64_t kDefaultMaxRead = std::uint64_t{64} << 20;
Result<std::string> read_whole_file(const std::string& path, std::uint64_t max_size = kDefaultMaxRead);

// Whether a write reaches the disk before it replaces the old file. The baseline, which holds
// people's decisions, does: a crash then cannot leave it empty. A report or a cache entry is
// made again by the next run, and a sync cost a history scan 5 ms (once 117 ms).
enum class Sync { to_disk, no };

// Writes `content` to `path` so that readers see either the old file or the new one, never half.
Status write_file_atomically(const std::string& path, std::string_view content, Sync sync = Sync::to_disk);
// The same for content written piece by piece (a large report); not synced. `write`'s error is
// returned as it is, and the old file is then left in place.
Status write_file_atomically(const std::string& path, const std::function<Status(std::ostream&)>& write);

// Temp files of atomic writes are named ".NAME.keyhound-tmp-PID-XXXXXX" beside NAME; scans skip
// them, and the next write of NAME removes those a dead process left behind.
inline constexpr std::string_view kAtomicTempMarker = ".keyhound-tmp-";
bool is_atomic_write_temp(std::string_view file_name);

}  // namespace keyhound
