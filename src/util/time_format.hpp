// Formats a moment (seconds since the epoch, already shifted to the zone wanted) with strftime.
#pragma once

#include <cstdint>
#include <ctime>
#include <string>

namespace keyhound {

inline std::string format_utc(std::int64_t seconds, const char* format) {
  std::time_t moment = static_cast<std::time_t>(seconds);
  std::tm parts{};
  gmtime_r(&moment, &parts);
  char buffer[64];
  std::size_t length = std::strftime(buffer, sizeof buffer, format, &parts);
  return std::string(buffer, length);
}

}  // namespace keyhound
