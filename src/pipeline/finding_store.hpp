// The findings of a scan that outgrew their share of --memory-limit: compact records (rules,
// secrets, origins and blob ids as 32-bit indexes into tables of distinct values) kept in memory
// up to the share and spilled past it to an unlinked temporary file (mode 0600, in $TMPDIR),
// sorted in runs and merged when the scan ends, then read back one finding at a time in the
// order, and with the locations, a scan that keeps everything in memory reports.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>
#include <vector>

#include "finding/finding_source.hpp"
#include "rules/rule.hpp"
#include "source/source.hpp"

namespace keyhound {

// A confirmed match with its secret and location, before grouping.
struct RawFinding {
  std::uint32_t rule;
  std::string secret;
  Location location;
};

// About what `raw` holds in memory, its strings' buffers included.
std::size_t memory_of(const RawFinding& raw);

class FindingStore : public FindingSource {
 public:
  // `memory_share`: bytes of records to hold before spilling (each of the two phases).
  explicit FindingStore(std::uint64_t memory_share);
  ~FindingStore() override;
  FindingStore(const FindingStore&) = delete;
  FindingStore& operator=(const FindingStore&) = delete;

  // Takes `found` (left empty, its secrets wiped); from any thread. Errors name the temp file's
  // folder and why it could not be written (disk full, not writable).
  Status add(std::vector<RawFinding>& found);

  // After the scan: origins of pathless git blobs from `source`, then the sort. Then the store
  // is a FindingSource of the grouped findings, fingerprints keyed with `fingerprint_key`.
  Status finish(Source& source, const RuleList& rules, const std::string& fingerprint_key);

  std::size_t size() const { return order_.size(); }
  bool spilled() const { return spill_fd_ >= 0; }

  void rewind() override { next_ = 0; }
  const Finding* next() override { return take_next(); }
  // The same, for a caller that takes the finding's contents (valid until the next call).
  Finding* take_next();
  Status status() const override { return status_; }

  struct Record;  // one location, 72 bytes

 private:
  struct Distinct {  // a rule and secret: one finding
    std::uint32_t rule;
    std::string secret;
  };
  struct Extent {  // a finding's records in the sorted output
    std::uint64_t first = 0;
    std::uint64_t count = 0;
  };

  std::uint32_t intern_finding(std::uint32_t rule, const std::string& secret);
  std::uint32_t intern_origin(const Origin& origin);
  std::uint32_t intern_blob(const std::string& id);
  std::uint32_t intern_decoded(const std::string& decoded);
  Status spill(const std::vector<Record>& records);
  Status read_spilled(std::uint64_t record, std::size_t count, std::vector<Record>& out) const;
  Status open_spill_file();

  const std::uint64_t share_;
  std::mutex mutex_;
  std::vector<Distinct> findings_;
  std::unordered_map<std::string, std::uint32_t> finding_index_;
  std::vector<Origin> origins_;
  std::unordered_map<std::string, std::uint32_t> origin_index_;
  std::vector<std::string> blobs_;
  std::unordered_map<std::string, std::uint32_t> blob_index_;
  std::vector<std::string> decodings_;
  std::vector<Record> buffer_;  // records not yet spilled
  int spill_fd_ = -1;
  std::string spill_dir_;
  std::uint64_t spilled_records_ = 0;  // raw records at the file's start, before the sorted ones

  // After finish: the sorted records (in memory, or in the file from sorted_at_), each
  // finding's extent, and the report order of findings.
  std::vector<Record> sorted_;
  std::uint64_t sorted_at_ = 0;  // first sorted record's index in the file
  bool sorted_in_file_ = false;
  std::vector<Extent> extents_;
  std::vector<std::uint32_t> order_;
  const RuleList* rules_ = nullptr;
  std::string fingerprint_key_;
  std::size_t next_ = 0;
  Finding current_;
  std::vector<Record> reading_;
  Status status_ = Ok{};
};

}  // namespace keyhound
