// Whole-file reads and atomic writes (temp file in the same folder + rename).
#pragma once

#include <string>

#include "util/result.hpp"

namespace keyhound {

Result<std::string> read_whole_file(const std::string& path);

// Writes `content` to `path` so that readers see either the old file or the new one, never half.
Status write_file_atomically(const std::string& path, std::string_view content);

}  // namespace keyhound
