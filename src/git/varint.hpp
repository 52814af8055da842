// The variable-length integers of git's pack format (gitformat-pack(5)), read in one place:
// an entry header's type and size, an offset delta's distance, and a delta's two sizes. Each
// reader stops at `end` and refuses a value that would not fit 64 bits.
#pragma once

#include <cstdint>
#include <optional>

namespace keyhound::varint {

// Entry header: 3 bits of type and 4 of size in the first byte, then 7 bits of size per byte,
// least significant first, while the top bit is set.
struct EntryHeader {
  std::uint8_t kind = 0;
  std::uint64_t size = 0;
};
inline std::optional<EntryHeader> entry_header(const unsigned char*& at, const unsigned char* end) {
  if (at >= end) return std::nullopt;
  unsigned char byte = *at++;
  EntryHeader header{static_cast<std::uint8_t>((byte >> 4) & 7), std::uint64_t{byte & 15u}};
  for (int shift = 4; byte & 0x80; shift += 7) {
    if (at >= end || shift > 57) return std::nullopt;
    byte = *at++;
    header.size |= std::uint64_t{byte & 0x7fu} << shift;
  }
  return header;
}

// Offset delta's distance back to its base: 7 bits per byte, most significant first, each
// continuation adding one (so no value has two encodings).
inline std::optional<std::uint64_t> offset_distance(const unsigned char*& at, const unsigned char* end) {
  if (at >= end) return std::nullopt;
  unsigned char byte = *at++;
  std::uint64_t distance = byte & 0x7f;
  while (byte & 0x80) {
    if (at >= end || distance >= (std::uint64_t{1} << 56)) return std::nullopt;
    byte = *at++;
    distance = ((distance + 1) << 7) | (byte & 0x7f);
  }
  return distance;
}

// A delta's base and result sizes: 7 bits per byte, least significant first.
inline std::optional<std::uint64_t> delta_size(const unsigned char*& at, const unsigned char* end) {
  std::uint64_t value = 0;
  for (int shift = 0; at < end && shift < 64; shift += 7) {
    unsigned char byte = *at++;
    if (shift == 63 && (byte & 0x7e)) return std::nullopt;  // past 64 bits
    value |= std::uint64_t{byte & 0x7fu} << shift;
    if (!(byte & 0x80)) return value;
  }
  return std::nullopt;
}

}  // namespace keyhound::varint
