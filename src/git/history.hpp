// A repository's history as blobs: every distinct blob the chosen refs reach, each read once,
// in pack order, by parallel workers; which commits introduced a blob is worked out afterwards,
// only for the blobs a caller asks about.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "git/provenance.hpp"
#include "git/warning.hpp"
#include "util/delta_copy.hpp"
#include "util/result.hpp"
#include "util/shard.hpp"

namespace keyhound {

struct HistoryScope {
  std::string repository = ".";       // a work tree, a .git directory or a bare repository
  std::vector<std::string> branches;  // --branch NAME: refs/heads/NAME (or a remote branch)
  std::vector<std::string> refs;      // --ref REV: any revision git understands
  std::string since;                  // --since REV: only what commits after REV introduced
  Shard shard;                        // --shard I/N: read only this shard's blobs (the graph stays whole)
  // --memory-limit: what the history's own structures may hold at once (the program, its rules
  // and the scan's buffers come on top). Shares: half for the tree graph (past it, trees are
  // read again from the packs as walks need them), a sixteenth for the packs' mapped pages
  // (given back as reading goes on; the page cache keeps them), a sixty-fourth for each pack
  // reader's cache (at most 4 MB), a thirty-second for libgit2's object cache (the commit walk).
  std::uint64_t memory_limit = kDefaultMemoryLimit;

  static constexpr std::uint64_t kDefaultMemoryLimit = std::uint64_t{512} << 20;
  // Below this the fixed parts (readers' caches, the commit list, a tree of each commit) would
  // not fit: --memory-limit refuses it.
  static constexpr std::uint64_t kMinMemoryLimit = std::uint64_t{32} << 20;
};

// A blob stored as a delta of another blob: that blob's id (hex) and the stretches copied.
struct HistoryDelta {
  std::string base_id;
  std::vector<DeltaCopy> copies;
};

class HistoryVisitor {
 public:
  virtual ~HistoryVisitor() = default;
  // Called from worker threads, `worker` in [0, threads); `bytes` and `delta` last for the call.
  virtual void on_blob(unsigned worker, std::string id, std::string_view bytes,
                       const HistoryDelta* delta) = 0;
  // Thread-safe: any thread.
  virtual void on_warning(const GitWarning& warning) = 0;
};

class HistoryReader {
 public:
  HistoryReader(HistoryScope scope, std::uint64_t max_blob_size);
  ~HistoryReader();
  HistoryReader(const HistoryReader&) = delete;
  HistoryReader& operator=(const HistoryReader&) = delete;

  // Opens the repository and maps its packs: a damaged or unreadable pack or index is an error
  // (a history read without it would look empty, not damaged).
  Status open();
  // Reads every blob of the scope once. Blobs over the size limit are warnings, not inflated.
  Status read(unsigned threads, HistoryVisitor& visitor);
  // After read(): for each blob id, the commits that introduced it at each path.
  Result<IntroductionMap> introductions(const std::vector<std::string>& blob_ids);

 private:
  struct State;
  std::unique_ptr<State> state_;
};

}  // namespace keyhound
