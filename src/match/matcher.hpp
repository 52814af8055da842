// The engine: Hyperscan finds candidate rule hits, RE2 confirms them and extracts the secret's
// exact byte range, and the checks drop placeholders.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "rules/rule.hpp"
#include "util/delta_copy.hpp"
#include "util/result.hpp"

namespace keyhound {

// One confirmed secret in a blob.
struct Match {
  std::uint32_t rule;     // index into Matcher::rules()
  std::size_t start = 0;  // byte range of the secret within the blob
  std::size_t end = 0;
};

// What a scan keeps for a later scan of a blob stored as a delta of this one: the Hyperscan
// hits of the rules whose matches reach only a bounded distance (see Matcher::scan_delta).
struct ScanMemo {
  struct Hit {
    std::uint32_t rule;
    std::size_t end;
  };
  std::size_t size = 0;   // of the scanned bytes
  std::vector<Hit> hits;  // by end offset
};

struct MatcherOptions {
  std::string cache_dir;  // where compiled databases are kept; empty = never cache
};

// Per-thread state: Hyperscan scratch and reused buffers. Never shared between threads.
struct MatchScratch;
struct MatchScratchDeleter {
  void operator()(MatchScratch* scratch) const;
};
using MatchScratchPtr = std::unique_ptr<MatchScratch, MatchScratchDeleter>;
// Why the last scan with this scratch could not look at every byte (Hyperscan failed, or its
// scratch could not be made), or null when it did: such a scan found nothing and proves nothing.
const char* scan_failure(const MatchScratch& scratch);

class Matcher {
 public:
  // Compiles (or loads from the cache) one database for all rules. Errors name the rule.
  static Result<std::unique_ptr<Matcher>> build(RuleList rules, const MatcherOptions& options);
  ~Matcher();

  const RuleList& rules() const;
  MatchScratchPtr new_scratch() const;

  // Replaces `out` with the confirmed matches in `bytes`, ordered by start offset. With `memo`,
  // also keeps what scan_delta needs when later bytes are a delta of these.
  void scan(std::string_view bytes, MatchScratch& scratch, std::vector<Match>& out,
            ScanMemo* memo = nullptr) const;

  // The same result as scan(bytes), for bytes that a delta built from a base scanned before:
  // `copies` (in target order) say which stretches came unchanged from the base, `base` is the
  // base's memo. Hyperscan then runs only around what the delta inserted or rearranged, and a
  // base hit whose whole reach lies inside one copied stretch is carried over; the rules with an
  // unbounded or long reach run over the whole of `bytes` in a small database of their own.
  void scan_delta(std::string_view bytes, const std::vector<DeltaCopy>& copies, const ScanMemo& base,
                  MatchScratch& scratch, std::vector<Match>& out, ScanMemo* memo = nullptr) const;

  // How many bytes around a match its scan may look at (RE2's windows on either side of a
  // Hyperscan hit, and the edge bytes): a file scanned in pieces overlaps them by twice this.
  std::size_t context_reach() const;

  // True when the database came from the cache rather than a compile (for tests and --verbose).
  bool loaded_from_cache() const;

  // Compiles every rule's RE2 regex now (most compile on first use); the first error names its rule.
  Status compile_all_regexes() const;

  struct Impl;

 private:
  explicit Matcher(std::unique_ptr<Impl> impl);
  // RE2 confirms scratch.hits, the checks drop placeholders, a generic rule yields to a specific one.
  void confirm(std::string_view bytes, MatchScratch& scratch, std::vector<Match>& out) const;
  std::unique_ptr<Impl> impl_;
};

}  // namespace keyhound
