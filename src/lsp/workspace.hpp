// What the editor's buffers are scanned against: the cached rule database, the nearest
// .keyhound.yml and the workspace baseline, applied as `keyhound scan --baseline` applies them,
// so that the editor and the pre-commit hook agree.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "baseline/baseline.hpp"
#include "finding/finding.hpp"
#include "match/matcher.hpp"
#include "util/result.hpp"

namespace keyhound::lsp {

// Loads the rules (built-in plus `extra_rule_paths`) into a matcher; the CLI passes its own
// loader, with the on-disk database cache.
using MatcherLoader =
    std::function<Result<std::unique_ptr<Matcher>>(const std::vector<std::string>& extra_rule_paths)>;

struct WorkspaceSettings {
  std::string root;                  // absolute folder the editor opened; empty: none
  std::string baseline_file;         // relative to root unless absolute
  std::string user_fingerprint_key;  // keys fingerprints when there is no baseline
  std::uint64_t max_file_size = 16ull << 20;
  std::optional<Confidence> min_confidence;  // --min-confidence; else the config's, else medium
  MatcherLoader load_matcher;
};

struct BufferFinding {
  Finding finding;  // its locations are in this buffer; the secret itself is wiped
  const Rule* rule = nullptr;
  std::string baseline_state;  // "" or apply.hpp's kVaultedStillInCode
};

struct BufferScan {
  std::vector<BufferFinding> findings;  // sorted by position
  std::string not_scanned;  // why the buffer was not looked at (too large, binary); empty when it was
};

class Workspace {
 public:
  explicit Workspace(WorkspaceSettings settings);

  const WorkspaceSettings& settings() const { return settings_; }
  void set_root(std::string root) { settings_.root = std::move(root); }
  void set_min_confidence(std::optional<Confidence> level) { settings_.min_confidence = level; }

  // Loads the default matcher now (the first scan need not wait for it).
  Status warm_up();
  // Rule files a config adds may have changed: load them again on the next scan. (The config
  // and the baseline are read on every scan; the built-in rules never change.)
  void forget_added_rules();

  // Scans `text`, the buffer of the file at `path` (absolute; empty for an unsaved buffer named
  // `name`). `key`, when given, keys fingerprints instead of the baseline's or the user's.
  Result<BufferScan> scan(const std::string& path, const std::string& name, std::string_view text,
                          const std::string* key = nullptr);

  // The path a scan of the workspace records for this file: relative to the root when below it.
  std::string recorded_path(const std::string& path) const;
  std::string baseline_path() const;
  // The baseline, or nullopt when the file does not exist; an error when it exists and is bad.
  Result<std::optional<Baseline>> read_workspace_baseline() const;

 private:
  Result<const Matcher*> matcher_for(const std::vector<std::string>& extra_rule_paths);

  WorkspaceSettings settings_;
  std::map<std::vector<std::string>, std::unique_ptr<Matcher>> matchers_;  // by the config's extra rules
};

}  // namespace keyhound::lsp
