// `scan --events-bus`: one EventBridge event per new finding (source keyhound, detail-type
// "Secret Found"), sent through PutEvents in batches EventBridge accepts, failed entries retried.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "alerts/services.hpp"
#include "finding/finding.hpp"

namespace keyhound {

inline constexpr std::size_t kMaxEntriesPerPutEvents = 10;
inline constexpr std::size_t kMaxBytesPerPutEvents = 256 * 1024;

// The event's detail: fingerprint, rule, confidence, verification, repository and the first
// location's path, commit and line. Never the secret, nor its masked form.
nlohmann::json finding_event_detail(const Finding& finding, const std::string& repository);
EventEntry finding_event(const Finding& finding, const std::string& repository, const std::string& bus);

// Consecutive runs of entry indexes, each at most `max_entries` long and `max_bytes` in entry
// size; an entry larger than `max_bytes` alone goes to `oversized` (EventBridge would refuse it).
struct BatchPlan {
  std::vector<std::vector<std::size_t>> batches;
  std::vector<std::size_t> oversized;
};
BatchPlan plan_batches(const std::vector<EventEntry>& entries,
                       std::size_t max_entries = kMaxEntriesPerPutEvents,
                       std::size_t max_bytes = kMaxBytesPerPutEvents);

struct PublishResult {
  std::size_t published = 0;
  std::size_t failed = 0;
  int requests = 0;    // PutEvents requests that got an answer or failed for good
  std::string reason;  // why the first entry that failed for good did (error code or call error)
};

// Sends every entry; entries EventBridge failed (FailedEntryCount, per-entry ErrorCode) are sent
// again, up to `max_rounds` times in all, with a backoff between rounds.
PublishResult publish_events(EventBridgeClient& events, const std::vector<EventEntry>& entries,
                             int max_rounds = 4);

}  // namespace keyhound
