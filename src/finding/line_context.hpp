// Line evidence for confidence: is a secret in a comment, a docstring, a markdown code block;
// is it cut short; does it repeat its key name. One pass over a blob for matches in order.
#pragma once

#include <cstddef>
#include <string_view>

#include "finding/finding.hpp"

namespace keyhound {

class LineContext {
 public:
  explicit LineContext(std::string_view bytes) : bytes_(bytes) {}
  // Evidence (finding/confidence.hpp bits) for the secret at [start, end). Calls come with
  // increasing `start`; an earlier one restarts from the top.
  Reasons at(std::size_t start, std::size_t end);

 private:
  // What is open at the start of a line, carried from line to line.
  struct State {
    bool in_fence = false;           // ``` or ~~~ (markdown)
    char triple_quote = 0;           // '"' or '\'' while inside """ or '''
    bool docstring = false;          // that triple-quoted string started a line
    bool in_block_comment = false;   // /* ... */ or <!-- ... -->
    char block_close = 0;            // '*' for */, '-' for -->
  };
  // Advances `state` over bytes_[from, to) of one line starting at `line_start`.
  void scan(State& state, std::size_t line_start, std::size_t from, std::size_t to) const;

  std::string_view bytes_;
  std::size_t line_start_ = 0;  // start of the line `state_` describes
  State state_;
};

}  // namespace keyhound
