// Shared by the code and configuration rewriters (src/fix only): lines, literals, insertions.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "fix/rewrite.hpp"

namespace keyhound::fix_parts {

std::size_t line_number(std::string_view bytes, std::size_t offset);  // 1-based
std::size_t line_start(std::string_view bytes, std::size_t offset);
std::size_t line_end(std::string_view bytes, std::size_t offset);             // the '\n' or the end
std::string_view indentation_at(std::string_view bytes, std::size_t offset);  // of the line holding it

// The literal that holds exactly the secret: with its quotes (and a language's string prefix
// such as Python's r or C#'s @), or bare where the language allows values without quotes.
struct Literal {
  std::size_t start = 0;
  std::size_t end = 0;
  char quote = '\0';  // '\0': bare
};
Result<Literal> literal_of(std::string_view bytes, const SecretSite& site, bool bare_allowed,
                           std::string_view string_prefixes);

Result<std::vector<Edit>> rewrite_code(std::string_view bytes, const std::vector<SecretSite>& sites,
                                       FileLanguage language);
Result<std::vector<Edit>> rewrite_configuration(std::string_view bytes, const std::vector<SecretSite>& sites,
                                                FileLanguage language);

}  // namespace keyhound::fix_parts
