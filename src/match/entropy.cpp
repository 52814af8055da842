#include "match/entropy.hpp"

#include <array>
#include <cmath>

namespace keyhound {

double shannon_entropy(std::string_view bytes) {
  if (bytes.empty()) return 0.0;
  std::array<unsigned, 256> counts{};
  for (unsigned char c : bytes) ++counts[c];
  double total = static_cast<double>(bytes.size());
  double bits = 0.0;
  for (unsigned count : counts) {
    if (count == 0) continue;
    double p = count / total;
    bits -= p * std::log2(p);
  }
  return bits;
}

}  // namespace keyhound
