// A source walks some input (a directory tree, git history, the index, stdin) and hands each
// blob to a visitor from worker threads.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "source/blob.hpp"
#include "util/result.hpp"
#include "util/shard.hpp"

namespace keyhound {

// Why an input was skipped. `unreadable` and `limit` lose coverage: something the scan was asked
// to read was not read (the summary's not_scanned); the others are choices or nothing lost.
enum class SkipReason { binary, too_large, unreadable, excluded, other, limit };

inline bool loses_coverage(SkipReason reason) {
  return reason == SkipReason::unreadable || reason == SkipReason::limit;
}

// A per-input problem: reported and counted, never fatal to the scan.
struct SourceWarning {
  SkipReason reason;
  std::string where;    // path or object id at fault
  std::string message;  // what happened, without any content of the input
};

// Receives blobs. on_blob is called concurrently, `worker` in [0, threads); on_warning may be
// called from any thread and must be thread-safe.
class BlobVisitor {
 public:
  virtual ~BlobVisitor() = default;
  virtual void on_blob(unsigned worker, const Blob& blob) = 0;
  virtual void on_warning(const SourceWarning& warning) = 0;
};

struct SourceOptions {
  std::uint64_t max_file_size = 16ull << 20;
  std::vector<std::string> exclude_globs;
  bool follow_symlinks = false;
  // Files over this many bytes are streamed (Blob::stream) instead of read whole; the scan
  // then holds about this much of them at a time. $KEYHOUND_STREAM_CHUNK sets it (tests).
  std::uint64_t stream_chunk = 8ull << 20;
  // --shard I/N: only the blobs (and warnings) of this shard are scanned and reported.
  Shard shard;
};

// Passes on the blobs and warnings of one shard (blobs by id, warnings by `where`), so that
// every input is scanned, or reported as not scanned, in exactly one shard.
class ShardVisitor : public BlobVisitor {
 public:
  ShardVisitor(BlobVisitor& visitor, Shard shard) : visitor_(visitor), shard_(shard) {}
  void on_blob(unsigned worker, const Blob& blob) override {
    if (blob.id.empty() || shard_.holds(blob.id)) visitor_.on_blob(worker, blob);
  }
  void on_warning(const SourceWarning& warning) override {
    if (shard_.holds(warning.where)) visitor_.on_warning(warning);
  }

 private:
  BlobVisitor& visitor_;
  Shard shard_;
};

class Source {
 public:
  virtual ~Source() = default;
  // Opens the input and lists what run() will read: work that needs no rules, so the CLI does it
  // while they load. Runs once; a source's run() calls it when nobody has.
  Status prepare() {
    if (!prepared_) prepared_ = open();
    return *prepared_;
  }
  // Runs to completion with `threads` workers. An Error means the whole input failed
  // (not a directory, not a repository); per-blob problems go to on_warning.
  virtual Status run(unsigned threads, BlobVisitor& visitor) = 0;

  // For sources whose blobs arrive without a path (git history): the origins of each blob id,
  // worked out after the scan and only for the blobs that produced findings.
  using OriginMap = std::map<std::string, std::vector<Origin>>;
  virtual Result<OriginMap> resolve_origins(const std::vector<std::string>& /*blob_ids*/) {
    return OriginMap{};
  }

 protected:
  virtual Status open() { return Ok{}; }

 private:
  std::optional<Status> prepared_;
};

}  // namespace keyhound
