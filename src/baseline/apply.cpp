#include "baseline/apply.hpp"

#include <set>

namespace keyhound {

BaselineFiltered filter_by_baseline(std::vector<Finding> findings, const Baseline& baseline,
                                    const std::function<bool(const Finding&)>& in_tree) {
  BaselineFiltered out;
  for (auto& finding : findings) {
    auto entry = baseline.entries.find(finding.fingerprint);
    if (entry == baseline.entries.end() || still_reported(entry->second.status)) {
      out.reported.push_back(std::move(finding));
      continue;
    }
    const BaselineEntry& known = entry->second;
    bool was_vaulted = known.status == TriageStatus::vaulted ||
                       (known.status == TriageStatus::rotated && !known.secret_arn.empty());
    const char* state = nullptr;
    if (was_vaulted && in_tree(finding))
      state = kVaultedStillInCode;
    else if (known.status == TriageStatus::vaulted)
      state = kNeedsRotation;
    if (state) {
      out.states[finding.fingerprint] = state;
      out.reported.push_back(std::move(finding));
    } else {
      ++out.suppressed;
    }
  }
  return out;
}

namespace {
BaselineLocation baseline_location_for(const Location& location) {
  BaselineLocation out;
  out.path = location.origin.path;
  out.commit = location.origin.commit;
  out.blob_id = location.blob_id;
  out.line = location.line;
  out.column = location.column;
  out.start_offset = location.start_offset;
  out.end_offset = location.end_offset;
  out.decoded = location.decoded;
  return out;
}
}  // namespace

BaselineEntry baseline_entry_for(const Finding& finding) {
  BaselineEntry entry;
  entry.fingerprint = finding.fingerprint;
  entry.rule_id = finding.rule_id;
  entry.status = TriageStatus::open;
  entry.masked = finding.masked;
  entry.secret_hmac = finding.secret_hmac;
  entry.pair = finding.pair;
  entry.pair_field = finding.pair_field;
  for (const auto& location : finding.locations) entry.locations.push_back(baseline_location_for(location));
  return entry;
}

BaselineChanges update_baseline(Baseline& baseline, const std::vector<Finding>& findings, bool prune) {
  BaselineChanges changes;
  std::set<std::string> seen;
  // Version-1 entries (unkeyed SHA-256 fingerprints) move to the keyed fingerprint of the same
  // secret, keeping their triage; what the scan no longer finds cannot be re-keyed and is dropped
  // unless its record matters (vaulted, rotated): those keep their old fingerprint.
  for (const auto& finding : findings) {
    if (baseline.entries.count(finding.fingerprint)) continue;
    auto legacy = baseline.entries.find(legacy_fingerprint_of(finding.rule_id, finding.secret));
    if (legacy == baseline.entries.end() || legacy->second.secret_sha256.empty()) continue;
    BaselineEntry moved = std::move(legacy->second);
    baseline.entries.erase(legacy);
    moved.fingerprint = finding.fingerprint;
    moved.secret_sha256.clear();
    baseline.entries.emplace(finding.fingerprint, std::move(moved));
  }
  for (const auto& finding : findings) {
    seen.insert(finding.fingerprint);
    BaselineEntry fresh = baseline_entry_for(finding);
    auto [it, inserted] = baseline.entries.try_emplace(finding.fingerprint, fresh);
    if (inserted) {
      ++changes.added;
      continue;
    }
    BaselineEntry& entry = it->second;
    entry.rule_id = fresh.rule_id;
    entry.masked = fresh.masked;
    entry.secret_hmac = fresh.secret_hmac;
    entry.pair = fresh.pair;
    entry.pair_field = fresh.pair_field;
    entry.locations = std::move(fresh.locations);
    ++changes.refreshed;
  }
  for (auto it = baseline.entries.begin(); it != baseline.entries.end();) {
    if (seen.count(it->first)) {
      ++it;
      continue;
    }
    ++changes.unseen;
    bool keep = it->second.status == TriageStatus::vaulted || it->second.status == TriageStatus::rotated;
    if (prune && !keep) {
      ++changes.pruned;
      it = baseline.entries.erase(it);
    } else {
      ++it;
    }
  }
  return changes;
}

Result<BaselineEntry*> find_baseline_entry(Baseline& baseline, const std::string& fingerprint) {
  auto exact = baseline.entries.find(fingerprint);
  if (exact != baseline.entries.end()) return &exact->second;
  if (fingerprint.size() < 6)
    return make_error("no baseline entry has fingerprint '" + fingerprint + "' (give at least 6 hex digits)");
  BaselineEntry* match = nullptr;
  for (auto it = baseline.entries.lower_bound(fingerprint);
       it != baseline.entries.end() && it->first.compare(0, fingerprint.size(), fingerprint) == 0; ++it) {
    if (match) return make_error("fingerprint prefix '" + fingerprint + "' matches several baseline entries");
    match = &it->second;
  }
  if (!match) return make_error("no baseline entry has fingerprint '" + fingerprint + "'");
  return match;
}

}  // namespace keyhound
