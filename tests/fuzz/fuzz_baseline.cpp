// Fuzzes the baseline reader, and its round trip: what parses, written and read back, must
// write the same bytes again (a baseline must not drift from run to run).
#include <cstdint>
#include <cstdio>
#include <string_view>

#include "baseline/baseline.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  auto baseline = keyhound::parse_baseline(text, "fuzz.json");
  if (!baseline) {
    if (baseline.error().message.find("fuzz.json") == std::string::npos) __builtin_trap();
    return 0;
  }
  std::string once = keyhound::baseline_to_json(*baseline);
  auto again = keyhound::parse_baseline(once, "written.json");
  if (!again) {
    std::fprintf(stderr, "written baseline does not read back: %s\n", again.error().message.c_str());
    __builtin_trap();
  }
  if (keyhound::baseline_to_json(*again) != once) {
    std::fprintf(stderr, "baseline round trip is not stable\n");
    __builtin_trap();
  }
  return 0;
}
