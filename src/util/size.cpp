#include "util/size.hpp"

#include <cstdint>
#include <stdexcept>

namespace keyhound {

Result<std::uint64_t> parse_size(const std::string& text, std::string_view option) {
  std::size_t used = 0;
  unsigned long long value = 0;
  try {
    value = std::stoull(text, &used);
  } catch (const std::exception&) {
    return make_error(std::string(option) + ": '" + text + "' is not a size (e.g. 512K, 16M, 1G)");
  }
  std::string unit = text.substr(used);
  std::uint64_t scale = 1;
  if (unit == "" || unit == "B")
    scale = 1;
  else if (unit == "K" || unit == "KB" || unit == "KiB")
    scale = 1ull << 10;
  else if (unit == "M" || unit == "MB" || unit == "MiB")
    scale = 1ull << 20;
  else if (unit == "G" || unit == "GB" || unit == "GiB")
    scale = 1ull << 30;
  else
    return make_error(std::string(option) + ": unknown unit '" + unit + "' (use K, M or G)");
  if (value > UINT64_MAX / scale) return make_error(std::string(option) + ": '" + text + "' is too large");
  return value * scale;
}

}  // namespace keyhound
