// Fuzzes the rule loader: any text is a rule list or an error naming the file, never a crash.
#include <cstdint>
#include <string_view>

#include "rules/loader.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  auto rules = keyhound::parse_rule_file(text, "fuzz.yml");
  if (rules)
    (void)keyhound::validate_rules(*rules);
  else if (rules.error().message.rfind("fuzz.yml", 0) != 0)
    __builtin_trap();  // errors name the file
  return 0;
}
