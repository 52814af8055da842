// Counting one byte value in a buffer (line breaks in a streamed file's pieces), 16 bytes at a time.
#pragma once

#include <cstddef>
#include <string_view>

namespace keyhound {

std::size_t count_byte(std::string_view bytes, char byte);

}  // namespace keyhound
