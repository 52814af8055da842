// Fuzzes the git delta applier and the pack varints: input = 2-byte base length, base, delta.
// Whatever the bytes, the applier writes exactly the declared size or reports damage.
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "git/delta.hpp"
#include "git/varint.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const unsigned char* end = data + size;
  {
    const unsigned char* at = data;
    (void)keyhound::varint::entry_header(at, end);
    at = data;
    (void)keyhound::varint::offset_distance(at, end);
  }
  if (size < 2) return 0;
  std::size_t base_size = std::min<std::size_t>(size - 2, (std::size_t{data[0]} << 8) | data[1]);
  std::string_view base(reinterpret_cast<const char*>(data + 2), base_size);
  const unsigned char* at = data + 2 + base_size;
  auto sizes = keyhound::read_delta_sizes(at, end);
  if (!sizes || sizes->base != base.size() || sizes->result > keyhound::max_delta_result(end - at) ||
      sizes->result > (1u << 24))
    return 0;
  std::string out(sizes->result, '\0');
  std::vector<keyhound::DeltaCopy> copies;
  if (keyhound::apply_delta(base, at, end, out.data(), out.size(), &copies) == nullptr) {
    // Every reported copy really is the base's bytes at that place.
    for (const auto& copy : copies)
      if (copy.target + copy.length > out.size() || copy.base + copy.length > base.size() ||
          out.compare(copy.target, copy.length, base.substr(copy.base, copy.length)) != 0)
        __builtin_trap();
  }
  return 0;
}
