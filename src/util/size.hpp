// A size as --max-file-size takes it: a number with an optional unit (B, K/KB/KiB, M/MB/MiB,
// G/GB/GiB; binary multiples). One parser for `scan` and `lsp`, so both read it alike; errors
// name `option`.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "util/result.hpp"

namespace keyhound {

Result<std::uint64_t> parse_size(const std::string& text, std::string_view option = "--max-file-size");

}  // namespace keyhound
