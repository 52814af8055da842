// The engine: Hyperscan finds candidate rule hits, RE2 confirms them and extracts the secret's
// exact byte range, and the checks drop placeholders.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "rules/rule.hpp"
#include "util/result.hpp"

namespace keyhound {

// One confirmed secret in a blob.
struct Match {
  std::uint32_t rule;       // index into Matcher::rules()
  std::size_t start = 0;    // byte range of the secret within the blob
  std::size_t end = 0;
};

struct MatcherOptions {
  std::string cache_dir;    // where compiled databases are kept; empty = never cache
};

// Per-thread state: Hyperscan scratch and reused buffers. Never shared between threads.
struct MatchScratch;
struct MatchScratchDeleter {
  void operator()(MatchScratch* scratch) const;
};
using MatchScratchPtr = std::unique_ptr<MatchScratch, MatchScratchDeleter>;

class Matcher {
 public:

  // Compiles (or loads from the cache) one database for all rules. Errors name the rule.
  static Result<std::unique_ptr<Matcher>> build(RuleList rules, const MatcherOptions& options);
  ~Matcher();

  const RuleList& rules() const;
  MatchScratchPtr new_scratch() const;

  // Replaces `out` with the confirmed matches in `bytes`, ordered by start offset.
  void scan(std::string_view bytes, MatchScratch& scratch, std::vector<Match>& out) const;

  // True when the database came from the cache rather than a compile (for tests and --verbose).
  bool loaded_from_cache() const;

  struct Impl;

 private:
  explicit Matcher(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace keyhound
