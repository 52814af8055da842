// Parallel work over a list of items in contiguous chunks, each worker with its own repository
// handle (libgit2 handles are not for sharing between threads).
#pragma once

#include <cstddef>
#include <functional>
#include <string>

#include "git/handles.hpp"
#include "util/result.hpp"

namespace keyhound {

// Calls `work(worker, repo, index)` for every index in [0, count), each exactly once. Workers
// take `chunk` consecutive indexes at a time, so items sorted in pack order stay close together
// on one worker and its delta-base cache. With `yield` the workers run on threads of their own
// at a lower priority (nice +3): another job of the scan that runs on one thread meanwhile (the
// history walk) then gets a core of its own and stops being the last to finish.
using ItemWork = std::function<void(unsigned worker, git_repository* repo, std::size_t index)>;
Status run_git_workers(const std::string& git_dir, std::size_t count, unsigned threads, std::size_t chunk,
                       const ItemWork& work, bool yield = false);

// Reads blob `oid` into a handle, or explains why it cannot: missing, corrupt or over
// `max_size` (then `too_large` is set and the blob is not inflated).
struct ReadBlob {
  OdbObjectPtr object;
  bool too_large = false;
  std::size_t size = 0;
  std::string error;
};
ReadBlob read_blob(git_odb* odb, const git_oid& oid, std::uint64_t max_size);

}  // namespace keyhound
