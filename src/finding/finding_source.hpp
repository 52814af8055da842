// Findings read one at a time, as often as a reporter needs: from a vector, or from a scan's
// finding store that outgrew its share of --memory-limit (pipeline/finding_store.hpp).
#pragma once

#include <cstddef>
#include <vector>

#include "finding/finding.hpp"
#include "util/result.hpp"

namespace keyhound {

class FindingSource {
 public:
  virtual ~FindingSource() = default;
  // Back to the first finding.
  virtual void rewind() = 0;
  // The next finding, valid until the next call; null at the end, or on an error (status()).
  virtual const Finding* next() = 0;
  // An error reading the findings back (a temporary file): the report is then incomplete.
  virtual Status status() const { return Ok{}; }
};

class VectorFindings : public FindingSource {
 public:
  explicit VectorFindings(const std::vector<Finding>& findings) : findings_(findings) {}
  void rewind() override { next_ = 0; }
  const Finding* next() override { return next_ < findings_.size() ? &findings_[next_++] : nullptr; }

 private:
  const std::vector<Finding>& findings_;
  std::size_t next_ = 0;
};

}  // namespace keyhound
