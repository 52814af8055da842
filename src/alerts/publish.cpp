// Entry sizes are counted as EventBridge counts them (UTF-8 bytes of Source, DetailType and
// Detail; no Time or Resources are sent), so a batch it would refuse is never built.
#include "alerts/publish.hpp"

#include <algorithm>
#include <chrono>
#include <set>
#include <thread>

#include "rules/rule.hpp"

namespace keyhound {
namespace {

// Entry errors worth another try; the rest (malformed detail, not authorized) fail the same again.
bool entry_may_pass_later(const std::string& code) {
  static const std::set<std::string> kTransient = {"InternalFailure",     "InternalException",
                                                   "ThrottlingException", "Throttling",
                                                   "ServiceUnavailable",  "NoEventId"};
  return kTransient.count(code) > 0;
}

}  // namespace

nlohmann::json finding_event_detail(const Finding& finding, const std::string& repository) {
  nlohmann::json detail = {{"fingerprint", finding.fingerprint},
                           {"rule", finding.rule_id},
                           {"confidence", to_string(finding.confidence)},
                           {"verification", nullptr},  // null: not verified (scan without --verify)
                           {"repository", repository},
                           {"path", nullptr},
                           {"commit", nullptr},
                           {"line", nullptr},
                           {"locations", finding.locations.size()}};
  if (!finding.verification.empty()) detail["verification"] = finding.verification;
  if (!finding.verified_identity.empty()) detail["verified_identity"] = finding.verified_identity;
  if (!finding.locations.empty()) {
    const Location& first = finding.locations.front();
    detail["path"] = first.origin.path;
    if (!first.origin.commit.empty()) detail["commit"] = first.origin.commit;
    detail["line"] = first.line;
  }
  return detail;
}

EventEntry finding_event(const Finding& finding, const std::string& repository, const std::string& bus) {
  // Invalid UTF-8 in a path is replaced, not thrown on: the event still goes out.
  return {"keyhound", "Secret Found",
          finding_event_detail(finding, repository)
              .dump(-1, ' ', false, nlohmann::json::error_handler_t::replace),
          bus};
}

BatchPlan plan_batches(const std::vector<EventEntry>& entries, std::size_t max_entries,
                       std::size_t max_bytes) {
  BatchPlan plan;
  std::vector<std::size_t> current;
  std::size_t bytes = 0;
  for (std::size_t i = 0; i < entries.size(); ++i) {
    std::size_t size = entries[i].size();
    if (size > max_bytes) {
      plan.oversized.push_back(i);
      continue;
    }
    if (!current.empty() && (current.size() == max_entries || bytes + size > max_bytes)) {
      plan.batches.push_back(std::move(current));
      current.clear();
      bytes = 0;
    }
    current.push_back(i);
    bytes += size;
  }
  if (!current.empty()) plan.batches.push_back(std::move(current));
  return plan;
}

PublishResult publish_events(EventBridgeClient& events, const std::vector<EventEntry>& entries,
                             int max_rounds) {
  PublishResult result;
  BatchPlan plan = plan_batches(entries);
  if (!plan.oversized.empty()) {
    result.failed += plan.oversized.size();
    result.reason = "an event is larger than PutEvents' 256 KB";
  }
  std::vector<std::size_t> pending;
  for (const auto& batch : plan.batches) pending.insert(pending.end(), batch.begin(), batch.end());
  const RetryPolicy& policy = events.aws().policy();
  for (int round = 1; round <= max_rounds && !pending.empty(); ++round) {
    if (round > 1) {  // failed entries wait a little: throttling and internal failures pass
      auto wait = std::min(policy.max_delay.count(), policy.base_delay.count() << (round - 2));
      std::this_thread::sleep_for(std::chrono::milliseconds(wait));
    }
    std::vector<EventEntry> round_entries;
    for (std::size_t index : pending) round_entries.push_back(entries[index]);
    BatchPlan round_plan = plan_batches(round_entries);
    std::vector<std::size_t> again;
    for (const auto& batch : round_plan.batches) {
      std::vector<const EventEntry*> sent;
      for (std::size_t i : batch) sent.push_back(&entries[pending[i]]);
      auto reply = events.put_events(sent);
      ++result.requests;
      if (!reply.ok()) {  // the whole request failed after the client's own retries
        result.failed += batch.size();
        if (result.reason.empty()) result.reason = explain_call("events:PutEvents", reply.error);
        continue;
      }
      for (std::size_t k = 0; k < batch.size(); ++k) {
        const EntryResult& entry = (*reply.value)[k];
        if (entry.error_code.empty()) {
          ++result.published;
        } else if (entry_may_pass_later(entry.error_code) && round < max_rounds) {
          again.push_back(pending[batch[k]]);
        } else {
          ++result.failed;
          if (result.reason.empty())
            result.reason =
                "events:PutEvents: entries failed with " + entry.error_code +
                (entry_may_pass_later(entry.error_code) ? " after " + std::to_string(max_rounds) + " attempts"
                                                        : std::string());
        }
      }
    }
    pending = std::move(again);
  }
  return result;
}

}  // namespace keyhound
