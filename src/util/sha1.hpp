// SHA-1, for git's own checksums (the index file's trailer); nothing of keyhound's is keyed by it.
#pragma once

#include <array>
#include <cstdint>
#include <string_view>

namespace keyhound {

using Sha1 = std::array<std::uint8_t, 20>;

Sha1 sha1(std::string_view data);

}  // namespace keyhound
