// What a baseline does to a scan: which findings still count, and how a scan refreshes it.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "baseline/baseline.hpp"
#include "finding/finding.hpp"

namespace keyhound {

// What a scan says about a vaulted secret it still finds: the copy in Secrets Manager does not
// make the literal harmless.
inline constexpr const char* kVaultedStillInCode = "vaulted-still-in-code";  // in the tree: remove it
inline constexpr const char* kNeedsRotation = "needs-rotation";              // history only: rotate it

struct BaselineFiltered {
  std::vector<Finding> reported;  // new, open, confirmed, and vaulted ones still found (see states)
  std::map<std::string, std::string> states;  // fingerprint -> kVaultedStillInCode or kNeedsRotation
  std::uint64_t suppressed = 0;  // findings the baseline marks false_positive, accepted_risk, rotated
};
// `in_tree` says whether the scanned work tree (or index) still holds the finding's literal; a
// vaulted one found only elsewhere (the history) needs rotation. A rotated secret is suppressed,
// except that one vaulted before and still in the tree must leave the code all the same.
BaselineFiltered filter_by_baseline(std::vector<Finding> findings, const Baseline& baseline,
                                    const std::function<bool(const Finding&)>& in_tree);

// A new entry (status open) for a finding: fingerprint, rule, masked value, hash, locations.
BaselineEntry baseline_entry_for(const Finding& finding);

struct BaselineChanges {
  std::uint64_t added = 0;      // fingerprints new to the baseline, added as open
  std::uint64_t refreshed = 0;  // known fingerprints whose locations were refreshed
  std::uint64_t unseen = 0;     // entries this scan did not find (kept unless pruned)
  std::uint64_t pruned = 0;     // entries removed because unseen (only with prune)
};
// Adds new fingerprints as open and refreshes the locations of known ones; statuses, notes and
// vault records are kept. With `prune`, entries the scan did not find are dropped, except
// vaulted and rotated ones (their record says where the secret went). The findings must be keyed
// with baseline.fingerprint_key; entries of a version-1 file (unkeyed) are re-keyed on the way.
BaselineChanges update_baseline(Baseline& baseline, const std::vector<Finding>& findings, bool prune);

// The entry whose fingerprint is `fingerprint` or starts with it (at least 6 hex digits);
// an error when none or several match.
Result<BaselineEntry*> find_baseline_entry(Baseline& baseline, const std::string& fingerprint);

}  // namespace keyhound
