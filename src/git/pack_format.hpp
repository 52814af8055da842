// Fixed numbers of git's on-disk formats (gitformat-pack(5), gitformat-index(5)) that more than
// one reader needs: object id size, pack entry type codes, the pack's trailing checksum.
#pragma once

#include <cstddef>
#include <cstdint>

namespace keyhound {

inline constexpr std::size_t kOidSize = 20;  // a SHA-1 object id, raw
inline constexpr std::size_t kTrailer = 20;  // the pack's own SHA-1 at the end

enum EntryType : std::uint8_t { kCommit = 1, kTree = 2, kBlob = 3, kTag = 4, kOfsDelta = 6, kRefDelta = 7 };

}  // namespace keyhound
