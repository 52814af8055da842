// What a baseline does to a scan: which findings still count, and how a scan refreshes it.
#pragma once

#include <cstdint>
#include <vector>

#include "baseline/baseline.hpp"
#include "finding/finding.hpp"

namespace keyhound {

struct BaselineFiltered {
  std::vector<Finding> reported;  // new fingerprints, and those triaged open or confirmed
  std::uint64_t suppressed = 0;   // findings the baseline marks false_positive, accepted_risk, vaulted
};
BaselineFiltered filter_by_baseline(std::vector<Finding> findings, const Baseline& baseline);

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
// vaulted ones (their record says where the secret went).
BaselineChanges update_baseline(Baseline& baseline, const std::vector<Finding>& findings, bool prune);

// The entry whose fingerprint is `fingerprint` or starts with it (at least 6 hex digits);
// an error when none or several match.
Result<BaselineEntry*> find_baseline_entry(Baseline& baseline, const std::string& fingerprint);

}  // namespace keyhound
