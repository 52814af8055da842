// Comment syntax per language, for the "Allow here" action's `keyhound:allow RULE` marker.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace keyhound::lsp {

struct CommentSyntax {
  std::string open;   // "#", "//", "--", "<!--", "/*", ";"
  std::string close;  // "" for line comments
};

// From the editor's languageId, else from the file name; nullopt for formats without comments
// (JSON) or that keyhound does not know.
std::optional<CommentSyntax> comment_syntax(std::string_view path, std::string_view language_id);

// Where the marker goes and what is inserted: at the end of the line holding byte `offset`
// (before its line break), " <open> keyhound:allow RULE[ <close>]".
struct Insertion {
  std::size_t at = 0;
  std::string text;
};
Insertion allow_marker(std::string_view text, std::size_t offset, std::string_view rule_id,
                       const CommentSyntax& syntax);

}  // namespace keyhound::lsp
