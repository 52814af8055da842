#include "util/byte_count.hpp"

#include <algorithm>
#include <cstdint>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace keyhound {

std::size_t count_byte(std::string_view bytes, char byte) {
  std::size_t count = 0;
  std::size_t at = 0;
#if defined(__SSE2__)
  // A compare gives -1 per equal byte, subtracted into byte-wide counters that are summed (psadbw)
  // before 255 blocks could overflow them.
  const __m128i wanted = _mm_set1_epi8(byte);
  while (at + 16 <= bytes.size()) {
    __m128i counters = _mm_setzero_si128();
    std::size_t blocks = std::min<std::size_t>(255, (bytes.size() - at) / 16);
    for (std::size_t i = 0; i < blocks; ++i, at += 16) {
      __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(bytes.data() + at));
      counters = _mm_sub_epi8(counters, _mm_cmpeq_epi8(v, wanted));
    }
    __m128i sums = _mm_sad_epu8(counters, _mm_setzero_si128());
    count += static_cast<std::size_t>(_mm_cvtsi128_si64(sums)) +
             static_cast<std::size_t>(_mm_cvtsi128_si64(_mm_unpackhi_epi64(sums, sums)));
  }
#endif
  return count + static_cast<std::size_t>(
                     std::count(bytes.begin() + static_cast<std::ptrdiff_t>(at), bytes.end(), byte));
}

}  // namespace keyhound
