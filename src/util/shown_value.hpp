// How an error message shows a value read from a user's file (rules, config, baseline): short
// plain words as they are (a typo like 'hihg' is worth seeing), anything else only by its length,
// as it might be a secret pasted in the wrong place and errors reach terminals and CI logs.
#pragma once

#include <string>
#include <string_view>

namespace keyhound {

inline std::string shown_value(std::string_view value) {
  bool plain = !value.empty() && value.size() <= 24;
  for (char c : value)
    if (!((c >= 'a' && c <= 'z') || c == '_' || c == '-' || c == '.' || c == ' ')) plain = false;
  if (plain) return "'" + std::string(value) + "'";
  return "a value of " + std::to_string(value.size()) + " bytes (not shown)";
}

}  // namespace keyhound
