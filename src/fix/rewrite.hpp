// Rewrites a file so that it reads vaulted secrets at run time instead of holding them: the engine
// behind `keyhound fix`, and the one an editor integration calls. Pure: bytes in, edits out.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "util/result.hpp"

namespace keyhound {

enum class FileLanguage {
  python, javascript_module, javascript_commonjs, typescript, shell,  // code: an SDK call
  dotenv, yaml, properties,                                            // configuration: an env reference
  go, java, ruby, csharp, unknown                                      // not rewritten yet
};
// By file name (extension; .env, .env.* and *.env are dotenv).
FileLanguage language_of_path(std::string_view path);
const char* to_string(FileLanguage language);

// One literal to replace: the secret's byte range in the file and where it now lives.
struct SecretSite {
  std::size_t start = 0;
  std::size_t end = 0;
  std::string secret_name;  // in Secrets Manager
  std::string identifier;   // for a module-level constant (JavaScript): letters, digits, _
};

struct Edit {
  std::size_t start = 0;  // replace bytes [start, end) ...
  std::size_t end = 0;
  std::string replacement;  // ... with this (start == end: an insertion)
};

// The edits that replace each site's literal (with its quotes) by the language's idiom, and add
// the imports it needs once per file. An error names the site (line) it cannot rewrite safely:
// a secret inside a longer string, a language not handled yet. Edits come sorted, not overlapping.
Result<std::vector<Edit>> plan_rewrite(std::string_view bytes, const std::vector<SecretSite>& sites,
                                       FileLanguage language);

std::string apply_edits(std::string_view bytes, const std::vector<Edit>& edits);

// `diff -u` of two versions of `path` (a/ and b/ prefixes), 3 lines of context.
std::string unified_diff(const std::string& path, std::string_view before, std::string_view after);

}  // namespace keyhound
