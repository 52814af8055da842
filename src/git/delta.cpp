// The delta applier: bounds-checked at every instruction, so damaged or hostile deltas are an
// error, never a read or write outside the buffers.
#include "git/delta.hpp"

#include <cstring>

#include "git/varint.hpp"

namespace keyhound {

std::optional<DeltaSizes> read_delta_sizes(const unsigned char*& at, const unsigned char* end) {
  auto base = varint::delta_size(at, end);
  if (!base) return std::nullopt;
  auto result = varint::delta_size(at, end);
  if (!result) return std::nullopt;
  return DeltaSizes{*base, *result};
}

const char* apply_delta(std::string_view base, const unsigned char* in, const unsigned char* end, char* out,
                        std::size_t out_size, std::vector<DeltaCopy>* copies) {
  std::size_t written = 0;
  while (in < end) {
    unsigned char op = *in++;
    if (op & 0x80) {
      std::uint64_t offset = 0, length = 0;
      for (int bit = 0; bit < 4; ++bit)
        if (op & (1u << bit)) {
          if (in >= end) return "truncated delta";
          offset |= std::uint64_t{*in++} << (8 * bit);
        }
      for (int bit = 0; bit < 3; ++bit)
        if (op & (0x10u << bit)) {
          if (in >= end) return "truncated delta";
          length |= std::uint64_t{*in++} << (8 * bit);
        }
      if (length == 0) length = 0x10000;
      if (offset > base.size() || length > base.size() - offset || length > out_size - written)
        return "delta copies out of range";
      std::memcpy(out + written, base.data() + offset, length);
      if (copies) {
        if (!copies->empty() && copies->back().target + copies->back().length == written &&
            copies->back().base + copies->back().length == offset)
          copies->back().length += length;
        else
          copies->push_back({written, static_cast<std::size_t>(offset), static_cast<std::size_t>(length)});
      }
      written += length;
    } else if (op != 0) {
      if (op > end - in || op > out_size - written) return "delta inserts out of range";
      std::memcpy(out + written, in, op);
      in += op;
      written += op;
    } else {
      return "reserved delta instruction";
    }
  }
  if (written != out_size) return "delta result has the wrong size";
  return nullptr;
}

}  // namespace keyhound
