// One Hyperscan database for a rule list, compiled once and cached on disk keyed by the rule
// set, the Hyperscan version and the CPU's features.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "match/hyperscan.hpp"
#include "rules/rule.hpp"
#include "util/result.hpp"

namespace keyhound {

// How long a rule's match can be, from hs_expression_info; max is kUnbounded for `+`, `*`.
struct PatternWidth {
  static constexpr std::uint32_t kUnbounded = 0xffffffffu;
  std::uint32_t min = 0;
  std::uint32_t max = kUnbounded;
};

struct CompiledDatabase {
  HsDatabase database;
  std::vector<PatternWidth> widths;        // one per rule: what Hyperscan matches
  std::vector<PatternWidth> match_widths;  // one per rule: the whole pattern (differs for keyword rules)
  std::vector<bool> prefiltered;           // one per rule: Hyperscan matches a looser pattern
  bool from_cache = false;
};

// Loads the database from `cache_dir` when a valid entry exists; otherwise compiles it and
// writes the entry (atomically). A corrupt or stale entry is ignored and rewritten.
Result<CompiledDatabase> compile_database(const RuleList& rules, const std::string& cache_dir);

}  // namespace keyhound
