// The one error strict readers (rules, .keyhound.yml, the baseline) give for a key they do not
// know: "<where>: unknown key '<key>' (known: a, b, c)". The key is shown by shown_value: a secret
// pasted where a key belongs is not echoed.
#pragma once

#include <string>
#include <string_view>

#include "util/result.hpp"
#include "util/shown_value.hpp"

namespace keyhound {

// `where`: file and line (and the rule or object path) of the key, or empty when the caller
// prefixes it; `known`: the keys allowed there.
template <typename Keys>
Error unknown_key_error(std::string_view where, std::string_view key, const Keys& known) {
  std::string list;
  for (const auto& name : known) list += (list.empty() ? "" : ", ") + std::string(name);
  std::string prefix = where.empty() ? "" : std::string(where) + ": ";
  return make_error(prefix + "unknown key " + shown_value(key) + " (known: " + list + ")");
}

}  // namespace keyhound
