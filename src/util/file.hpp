// Whole-file reads and atomic writes (temp file in the same folder + rename).
#pragma once

#include <string>
#include <string_view>

#include "util/result.hpp"

namespace keyhound {

Result<std::string> read_whole_file(const std::string& path);

// Whether a write reaches the disk before it replaces the old file. The baseline, which holds
// people's decisions, does: a crash then cannot leave it empty. A report or a cache entry is
// made again by the next run, and a sync cost a history scan 5 ms (once 117 ms).
enum class Sync { to_disk, no };

// Writes `content` to `path` so that readers see either the old file or the new one, never half.
Status write_file_atomically(const std::string& path, std::string_view content, Sync sync = Sync::to_disk);

// Temp files of atomic writes are named ".NAME.keyhound-tmp-PID-XXXXXX" beside NAME; scans skip
// them, and the next write of NAME removes those a dead process left behind.
inline constexpr std::string_view kAtomicTempMarker = ".keyhound-tmp-";
bool is_atomic_write_temp(std::string_view file_name);

}  // namespace keyhound
