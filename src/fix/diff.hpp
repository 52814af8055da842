// `diff -u` output for a file keyhound rewrote, so a dry run can be reviewed or piped to `patch`.
#pragma once

#include <string>
#include <string_view>

namespace keyhound {

// a/ and b/ prefixes, 3 lines of context, "\ No newline at end of file" where it applies.
// Empty when the two are equal.
std::string unified_diff(const std::string& path, std::string_view before, std::string_view after);

}  // namespace keyhound
