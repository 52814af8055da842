// What the index ($GIT_INDEX_FILE when set) adds over HEAD: each changed blob with its staged
// path, and (on demand) the lines it adds over HEAD's version at that path.
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "git/warning.hpp"
#include "util/result.hpp"

namespace keyhound {

// Lines first..last of the staged version, 1-based and inclusive.
struct AddedLines {
  std::uint64_t first = 0;
  std::uint64_t last = 0;
};

class StagedVisitor {
 public:
  virtual ~StagedVisitor() = default;
  // `added_lines()` diffs against HEAD's version at the path (only worth it when something
  // matched); it returns nothing when every line counts (a new path, or HEAD's version
  // unreadable). Everything passed lasts for the call only.
  using AddedLinesQuery = std::function<std::optional<std::vector<AddedLines>>()>;
  virtual void on_blob(unsigned worker, std::string id, const std::string& path, std::string_view bytes,
                       const AddedLinesQuery& added_lines) = 0;
  virtual void on_warning(const GitWarning& warning) = 0;
};

class StagedChanges {
 public:
  using PathFilter = std::function<bool(const std::string& path)>;  // true: leave the path out
  StagedChanges(std::string repository, std::uint64_t max_blob_size, PathFilter excluded);
  ~StagedChanges();
  StagedChanges(const StagedChanges&) = delete;
  StagedChanges& operator=(const StagedChanges&) = delete;

  // Reads the index and HEAD's trees and lists what the index adds.
  Status open();
  Status read(unsigned threads, StagedVisitor& visitor);

 private:
  struct State;
  std::unique_ptr<State> state_;
};

}  // namespace keyhound
