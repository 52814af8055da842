// Rewrites a file so that it reads vaulted secrets at run time instead of holding them. Pure:
// bytes in, edits out. fix/fix.hpp wraps it with the checks a caller needs.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "fix/language.hpp"
#include "util/result.hpp"

namespace keyhound {

// One literal to replace: the secret's byte range in the file and where it now lives.
struct SecretSite {
  std::size_t start = 0;
  std::size_t end = 0;
  std::string secret_name;  // in Secrets Manager
  std::string field;        // a secret stored as JSON with named fields (a pair): this field
  std::string identifier;   // JavaScript's module-level constant: letters, digits, _; one per secret
};

struct Edit {
  std::size_t start = 0;  // replace bytes [start, end) ...
  std::size_t end = 0;
  std::string replacement;  // ... with this (start == end: an insertion)
};

// The edits that replace each site's literal (with its quotes) by the language's idiom, and add
// what it needs (imports, a helper, an ExternalSecret) once per file. An error names the line it
// cannot rewrite safely: a secret inside a longer string, CommonJS outside an async function.
// Edits come sorted and do not overlap.
Result<std::vector<Edit>> plan_rewrite(std::string_view bytes, const std::vector<SecretSite>& sites,
                                       FileLanguage language);

std::string apply_edits(std::string_view bytes, const std::vector<Edit>& edits);

}  // namespace keyhound
