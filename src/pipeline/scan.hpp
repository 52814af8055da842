// Drives a source through the matcher and groups what it confirms into findings.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <vector>

#include "finding/finding.hpp"
#include "match/matcher.hpp"
#include "source/source.hpp"
#include "util/result.hpp"

namespace keyhound {

// What was scanned; reports name it ("kind") and git kinds carry version-control provenance.
enum class ScanKind { files, stdin_stream, git, staged };
const char* to_string(ScanKind kind);  // files | stdin | git | staged
inline bool is_git(ScanKind kind) {
  return kind == ScanKind::git || kind == ScanKind::staged;
}

// Live counters, read by the CLI's progress line while the scan runs.
struct ScanCounters {
  std::atomic<std::uint64_t> blobs{0};
  std::atomic<std::uint64_t> bytes{0};
  std::atomic<std::uint64_t> matches{0};
};

struct ScanStats {
  std::uint64_t blobs_scanned = 0;
  std::uint64_t bytes_scanned = 0;
  std::uint64_t skipped_binary = 0;
  std::uint64_t skipped_too_large = 0;
  std::uint64_t unreadable = 0;
  std::uint64_t warnings = 0;  // every SourceWarning except binary skips
  // Coverage lost: inputs the scan was asked to read and did not (SkipReason::unreadable and
  // ::limit), also counted above. A scan with any is not a clean bill of health.
  std::uint64_t not_scanned = 0;
  std::uint64_t not_scanned_limit = 0;  // of which: over a depth or path length limit
  std::uint64_t allowed_inline = 0;     // matches suppressed by a keyhound:allow comment
  double seconds = 0.0;
};

struct ScanResult {
  std::vector<Finding> findings;  // sorted by first location
  ScanStats stats;
};

struct ScanSettings {
  unsigned threads = 1;
  bool honour_allow_comments = true;
  bool honour_foreign_allow_comments = false;  // .keyhound.yml allow_foreign_comments: true
  bool decode = true;  // also scan the decoded form of base64, percent-encoded and escaped spans
  // Called for each warning, from any thread, one at a time.
  std::function<void(const SourceWarning&)> on_warning;
  ScanCounters* counters = nullptr;  // optional
  std::string fingerprint_key;       // keys fingerprints and secret HMACs (finding.hpp)
};

Result<ScanResult> run_scan(Source& source, const Matcher& matcher, const ScanSettings& settings);

// True when the line holding bytes [start, end) carries `keyhound:allow` for `rule_id`
// (bare, or followed by that rule id), or with `foreign_markers`, another scanner's allow
// comment (gitleaks:allow, trufflehog:ignore, pragma: allowlist secret, kingfisher:ignore).
bool line_allows(std::string_view bytes, std::size_t start, std::size_t end, std::string_view rule_id,
                 bool foreign_markers = false);

}  // namespace keyhound
