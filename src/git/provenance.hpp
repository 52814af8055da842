// Provenance: for blobs that produced findings, the commits that introduced them at each path.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "git/commits.hpp"
#include "git/tree_graph.hpp"

namespace keyhound {

// Where a blob came in: the commit that introduced it at `path`, and what a report shows of it.
struct Introduction {
  std::string path;
  std::string commit;  // full hex id
  std::string author_name;
  std::string author_email;
  std::int64_t commit_time = 0;  // seconds since the epoch
  int commit_time_offset = 0;    // minutes east of UTC
  std::string summary;           // first line of the message
};
// Blob id (hex) -> one introduction per path.
using IntroductionMap = std::map<std::string, std::vector<Introduction>>;

// For each wanted blob id (hex), one introduction per path it was seen at: the oldest of `commits`
// (given oldest first) whose tree holds it there while no parent's did. Trees come from `graph`
// (read there as needed, silently: the scan gave the warnings); only the wanted blobs are
// compared. `threads` > 1 replays ranges of commits at once, and is only for a graph that
// already holds every tree the commits reach (after a ReachableBlobs walk over all of them).
Result<IntroductionMap> find_introductions(git_repository* repo, TreeGraph& graph,
                                           const std::vector<CommitNode>& commits,
                                           const std::vector<std::string>& blob_ids, unsigned threads = 1);

}  // namespace keyhound
