// False-positive checks run on every confirmed candidate: placeholders, references, low entropy.
#pragma once

#include <string_view>

#include "rules/rule.hpp"

namespace keyhound {

// Why `secret` is not a secret for `rule` ("placeholder", "reference", ...), or nullptr when
// it may be one.
const char* reason_not_a_secret(std::string_view secret, const Rule& rule);

// True for key names that end in a credential word but name something else: cache_key,
// primary_key, publicKey, next_token, csrf_token... Compared without case and separators.
bool is_non_secret_name(std::string_view name);

}  // namespace keyhound
