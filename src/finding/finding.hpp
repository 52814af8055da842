// A finding is one secret for one rule, with every place it was seen.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "rules/rule.hpp"
#include "source/blob.hpp"

namespace keyhound {

// Evidence about a finding, one bit per reason (finding/confidence.hpp names them).
using Reasons = std::uint32_t;

struct Location {
  Origin origin;             // path, and for git the introducing commit
  std::string blob_id;       // git blob oid of the bytes that hold the secret
  std::uint64_t line = 0;    // 1-based
  std::uint64_t column = 0;  // 1-based, in Unicode code points
  std::uint64_t end_line = 0;
  std::uint64_t end_column = 0;    // exclusive
  std::uint64_t start_offset = 0;  // byte range of the secret within the blob
  std::uint64_t end_offset = 0;
  // How the bytes at [start_offset, end_offset) encode the secret: "" (as it is), "base64",
  // "percent", "escape", or two of them outermost first ("base64+escape").
  std::string decoded;
  Reasons reasons = 0;                         // evidence here: path, line and value (finding/confidence.hpp)
  Confidence confidence = Confidence::medium;  // of the secret at this place
};

struct Finding {
  std::string rule_id;
  std::string fingerprint;  // fingerprint_of(key, rule_id, secret)
  std::string secret_hmac;  // secret_hmac_of(key, secret): what the vault checks a re-read against
  std::string masked;       // "AKIA…MPLE": enough to recognise, not to use
  std::string secret;       // the raw value; printed only with --show-secrets
  double entropy = 0.0;
  Confidence rule_confidence = Confidence::medium;  // what the rule says before any evidence
  Confidence confidence = Confidence::medium;       // the best of its locations'
  Reasons reasons = 0;                              // the evidence behind `confidence`
  // With --verify, when the rule can be verified: live | revoked | unknown | error; the
  // identity the provider named (account, login, ARN) and why, never the secret.
  std::string verification;
  std::string verified_identity;
  std::string verification_detail;
  std::vector<Location> locations;  // sorted by path, commit, line, column
  std::string pair;                 // the rule's pair and field (rules/rule.hpp), when it has one
  std::string pair_field;
};

// Keyed so that a report alone never confirms a guessed password (docs/baseline.md): `key` is
// the baseline's random fingerprint key, or for scans without a baseline one kept per user.
// First 16 hex digits of HMAC-SHA256(key, "keyhound fingerprint\0" + rule_id + "\0" + secret).
std::string fingerprint_of(std::string_view key, std::string_view rule_id, std::string_view secret);
// HMAC-SHA256(key, "keyhound secret\0" + secret), 64 hex digits.
std::string secret_hmac_of(std::string_view key, std::string_view secret);
// The unkeyed fingerprint of version-1 baselines (SHA-256), kept only to migrate them.
std::string legacy_fingerprint_of(std::string_view rule_id, std::string_view secret);

// Keeps at most a quarter of the secret visible, split between its two ends.
std::string mask_secret(std::string_view secret);

// 1-based line and code-point column of byte `offset` in `bytes`.
struct LineColumn {
  std::uint64_t line = 1;
  std::uint64_t column = 1;
};
LineColumn line_column_at(std::string_view bytes, std::size_t offset);

// Where `span` ends when it starts at `from`.
LineColumn advance(LineColumn from, std::string_view span);

// line_column_at for increasing offsets in one blob, in time linear in the blob's size.
class LineCounter {
 public:
  explicit LineCounter(std::string_view bytes) : bytes_(bytes) {}
  LineColumn at(std::size_t offset);  // offsets below a previous one restart from the top

 private:
  std::string_view bytes_;
  std::size_t offset_ = 0;      // position reached
  std::uint64_t line_ = 1;      // line at offset_
  std::size_t line_start_ = 0;  // where that line begins
};

}  // namespace keyhound
