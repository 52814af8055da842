// Line evidence for confidence: is a secret in a comment, a docstring, a markdown code block;
// is it cut short; does it repeat its key name. One pass over a blob for matches in order.
#pragma once

#include <cstddef>
#include <string_view>

#include "finding/finding.hpp"

namespace keyhound {

class LineContext {
  // What is open at the start of a line, carried from line to line.
  struct State {
    bool in_fence = false;          // ``` or ~~~ (markdown)
    char triple_quote = 0;          // '"' or '\'' while inside """ or '''
    bool docstring = false;         // that triple-quoted string started a line
    bool in_block_comment = false;  // /* ... */ or <!-- ... -->
    char block_close = 0;           // '*' for */, '-' for -->
  };

 public:
  // The state at a line start, for a file scanned in pieces (pipeline): the next piece's
  // context starts from it.
  class Carry {
    friend class LineContext;
    State state_;
  };

  explicit LineContext(std::string_view bytes) : bytes_(bytes) {}
  // `bytes` start at a line start in the state `carry` describes.
  LineContext(std::string_view bytes, const Carry& carry)
      : bytes_(bytes), origin_(carry.state_), state_(carry.state_) {}
  // The state at `line_start`, a line start at or after the last call's line.
  Carry carry_at(std::size_t line_start);
  // Evidence (finding/confidence.hpp bits) for the secret at [start, end). Calls come with
  // increasing `start`; an earlier one restarts from the top.
  Reasons at(std::size_t start, std::size_t end);

 private:
  void advance_to(std::size_t line_start);
  // Advances `state` over bytes_[from, to) of one line starting at `line_start`.
  void scan(State& state, std::size_t line_start, std::size_t from, std::size_t to) const;

  std::string_view bytes_;
  State origin_;                // the state at bytes_[0]
  std::size_t line_start_ = 0;  // start of the line `state_` describes
  State state_;
};

}  // namespace keyhound
