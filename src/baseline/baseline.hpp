// The baseline (triage file) a team commits: one entry per fingerprint with a status, and,
// once vaulted, where the secret went. It never holds a raw secret.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "util/result.hpp"

namespace keyhound {

// rotated: the value was replaced where it is used (by `keyhound vault --rotate` or by hand), so
// the literal left in the history no longer opens anything.
enum class TriageStatus { open, false_positive, accepted_risk, confirmed, vaulted, rotated };
const char* to_string(TriageStatus status);
std::optional<TriageStatus> parse_triage_status(const std::string& text);

// Whether a scan still reports (and fails on) a finding with this status.
inline bool still_reported(TriageStatus status) {
  return status == TriageStatus::open || status == TriageStatus::confirmed;
}

// Enough of one location to find the secret again without storing it.
struct BaselineLocation {
  std::string path;
  std::string commit;  // empty for files
  std::string blob_id;
  std::uint64_t line = 0;
  std::uint64_t column = 0;
  std::uint64_t start_offset = 0;
  std::uint64_t end_offset = 0;
  std::string decoded;  // how the range encodes the secret (Location::decoded); empty: as it is
};

struct BaselineEntry {
  std::string fingerprint;
  std::string rule_id;
  TriageStatus status = TriageStatus::open;
  std::string note;
  std::string masked;
  std::string secret_hmac;    // secret_hmac_of(Baseline::fingerprint_key, secret)
  std::string secret_sha256;  // version 1 only (unkeyed): read to migrate, never written
  std::vector<BaselineLocation> locations;
  std::string pair;  // the rule's pair and this secret's field in it (rules/rule.hpp)
  std::string pair_field;
  // Filled by `keyhound vault`.
  std::string secret_field;  // vaulted as this field of a pair's JSON secret; empty: the whole value
  std::string secret_name;
  std::string secret_arn;
  std::string vaulted_at;  // ISO 8601 UTC
};

struct Baseline {
  // 64 random hex digits that key every fingerprint and secret HMAC in this file (finding.hpp);
  // empty only in a version-1 file, which `baseline update` re-keys.
  std::string fingerprint_key;
  std::map<std::string, BaselineEntry> entries;  // by fingerprint; sorted, so the file diffs well
};

// A new random fingerprint key (64 hex digits).
std::string new_fingerprint_key();

// A malformed file is an error naming the file and the line or key at fault.
Result<Baseline> read_baseline(const std::string& path);
// Stable, sorted, pretty-printed JSON, written atomically.
Status write_baseline(const std::string& path, const Baseline& baseline);

// The same, on text: `name` is the file name used in error messages.
Result<Baseline> parse_baseline(std::string_view text, const std::string& name);
std::string baseline_to_json(const Baseline& baseline);

}  // namespace keyhound
