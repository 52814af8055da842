// Whole-file reads and atomic writes (temp file in the same folder + rename).
#pragma once

#include <string>

#include "util/result.hpp"

namespace keyhound {

Result<std::string> read_whole_file(const std::string& path);

// Whether a write reaches the disk before it replaces the old file. The baseline, which holds
// people's decisions, does: a crash then cannot leave it empty. A report or a cache entry is
// made again by the next run, and a sync cost a history scan 5 ms (once 117 ms).
enum class Sync { to_disk, no };

// Writes `content` to `path` so that readers see either the old file or the new one, never half.
Status write_file_atomically(const std::string& path, std::string_view content, Sync sync = Sync::to_disk);

}  // namespace keyhound
