// Fuzzes the .keyhound.yml parser: a config or an error naming the file, never a crash.
#include <cstdint>
#include <string_view>

#include "config/config.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  auto config = keyhound::parse_config(text, ".keyhound.yml");
  if (!config && config.error().message.find(".keyhound.yml") == std::string::npos) __builtin_trap();
  return 0;
}
