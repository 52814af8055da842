// The test rule and synthetic tokens of the pipeline's history tests (memory limit, finding
// store): acme_ and 20 random lowercase letters or digits, made here with the test's generator.
#pragma once

#include <random>
#include <string>

namespace keyhound::testing {

inline const std::string kAcmeRule =
    "rules:\n  - id: acme.token\n    name: Acme token\n    pattern: '\\b(acme_[a-z0-9]{20})\\b'\n"
    "    confidence: high\n";

inline std::string acme_token(std::mt19937& random) {
  std::string value = "acme_";
  for (int i = 0; i < 20; ++i) value += "abcdefghijklmnopqrstuvwxyz0123456789"[random() % 36];
  return value;
}

}  // namespace keyhound::testing
