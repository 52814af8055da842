// FindingStore: compact records of a scan's matches, spilled past their share of the memory
// limit, sorted in runs and merged into the order run_scan's in-memory grouping gives.
#include "pipeline/finding_store.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <numeric>
#include <queue>
#include <tuple>

#include "match/entropy.hpp"

namespace keyhound {

struct FindingStore::Record {
  std::uint32_t finding = 0;  // index into findings_
  std::uint32_t origin = 0;   // index into origins_ (an empty path: a git blob's origins come later)
  std::uint32_t blob = 0;     // index into blobs_
  std::uint32_t decoded = 0;  // index into decodings_
  std::uint32_t reasons = 0;
  std::uint32_t unused = 0;
  std::uint64_t line = 0;
  std::uint64_t column = 0;
  std::uint64_t end_line = 0;
  std::uint64_t end_column = 0;
  std::uint64_t start_offset = 0;
  std::uint64_t end_offset = 0;
};

namespace {

using Record = FindingStore::Record;

std::size_t heap_of(const std::string& text) {
  return text.capacity() > 15 ? text.capacity() + 1 : 0;
}

// Writes or reads whole records at a record index; a short count is an error.
Status write_records(int fd, std::uint64_t at, const Record* records, std::size_t count,
                     const std::string& dir) {
  const char* data = reinterpret_cast<const char*>(records);
  std::size_t left = count * sizeof(Record);
  auto offset = static_cast<off_t>(at * sizeof(Record));
  while (left > 0) {
    ssize_t put = ::pwrite(fd, data, left, offset);
    if (put < 0 && errno == EINTR) continue;
    if (put <= 0)
      return make_error("cannot keep the findings past --memory-limit's share in a temporary file in " + dir +
                        ": " + std::strerror(put < 0 ? errno : ENOSPC));
    data += put;
    left -= static_cast<std::size_t>(put);
    offset += put;
  }
  return Ok{};
}

Status read_records(int fd, std::uint64_t at, Record* records, std::size_t count, const std::string& dir) {
  char* data = reinterpret_cast<char*>(records);
  std::size_t left = count * sizeof(Record);
  auto offset = static_cast<off_t>(at * sizeof(Record));
  while (left > 0) {
    ssize_t got = ::pread(fd, data, left, offset);
    if (got < 0 && errno == EINTR) continue;
    if (got <= 0)
      return make_error("cannot read back the findings kept in a temporary file in " + dir + ": " +
                        (got < 0 ? std::strerror(errno) : "the file is shorter than written"));
    data += got;
    left -= static_cast<std::size_t>(got);
    offset += got;
  }
  return Ok{};
}

}  // namespace

std::size_t memory_of(const RawFinding& raw) {
  const Location& l = raw.location;
  const Origin& o = l.origin;
  return sizeof(RawFinding) + heap_of(raw.secret) + heap_of(l.blob_id) + heap_of(l.decoded) +
         heap_of(o.path) + heap_of(o.commit) + heap_of(o.author_name) + heap_of(o.author_email) +
         heap_of(o.summary);
}

FindingStore::FindingStore(std::uint64_t memory_share)
    : share_(std::max<std::uint64_t>(memory_share, 1 << 16)) {
  decodings_.emplace_back();  // index 0: as it is
}

FindingStore::~FindingStore() {
  for (auto& distinct : findings_) std::fill(distinct.secret.begin(), distinct.secret.end(), '\0');
  for (auto& [key, index] : finding_index_)
    std::fill(const_cast<std::string&>(key).begin(), const_cast<std::string&>(key).end(), '\0');
  std::fill(current_.secret.begin(), current_.secret.end(), '\0');
  if (spill_fd_ >= 0) ::close(spill_fd_);
}

std::uint32_t FindingStore::intern_finding(std::uint32_t rule, const std::string& secret) {
  std::string key(reinterpret_cast<const char*>(&rule), sizeof(rule));
  key += secret;
  auto [it, added] = finding_index_.try_emplace(std::move(key), static_cast<std::uint32_t>(findings_.size()));
  if (added) findings_.push_back({rule, secret});
  return it->second;
}

std::uint32_t FindingStore::intern_origin(const Origin& o) {
  std::string key = o.path + '\0' + o.commit + '\0' + o.author_name + '\0' + o.author_email + '\0' +
                    std::to_string(o.commit_time) + '\0' + std::to_string(o.commit_time_offset) + '\0' +
                    o.summary;
  auto [it, added] = origin_index_.try_emplace(std::move(key), static_cast<std::uint32_t>(origins_.size()));
  if (added) origins_.push_back(o);
  return it->second;
}

std::uint32_t FindingStore::intern_blob(const std::string& id) {
  auto [it, added] = blob_index_.try_emplace(id, static_cast<std::uint32_t>(blobs_.size()));
  if (added) blobs_.push_back(id);
  return it->second;
}

std::uint32_t FindingStore::intern_decoded(const std::string& decoded) {
  for (std::size_t i = 0; i < decodings_.size(); ++i)
    if (decodings_[i] == decoded) return static_cast<std::uint32_t>(i);
  decodings_.push_back(decoded);
  return static_cast<std::uint32_t>(decodings_.size() - 1);
}

Status FindingStore::open_spill_file() {
  const char* tmpdir = std::getenv("TMPDIR");
  spill_dir_ = tmpdir && *tmpdir ? tmpdir : "/tmp";
  int fd = ::open(spill_dir_.c_str(), O_TMPFILE | O_RDWR | O_CLOEXEC, 0600);
  if (fd < 0 && errno != EACCES && errno != ENOENT && errno != ENOTDIR && errno != EROFS) {
    std::string path = spill_dir_ + "/keyhound-findings-XXXXXX";  // no O_TMPFILE: create, unlink at once
    fd = ::mkostemp(path.data(), O_CLOEXEC);
    if (fd >= 0) ::unlink(path.c_str());
  }
  if (fd < 0)
    return make_error("cannot create a temporary file in " + spill_dir_ +
                      " for the findings past --memory-limit's share: " + std::strerror(errno));
  spill_fd_ = fd;
  return Ok{};
}

Status FindingStore::spill(const std::vector<Record>& records) {
  if (spill_fd_ < 0) KH_TRY(open_spill_file());
  KH_TRY(write_records(spill_fd_, spilled_records_, records.data(), records.size(), spill_dir_));
  spilled_records_ += records.size();
  return Ok{};
}

Status FindingStore::add(std::vector<RawFinding>& found) {
  std::lock_guard lock(mutex_);
  Status status = Ok{};
  for (auto& raw : found) {
    const Location& l = raw.location;
    Record record;
    record.finding = intern_finding(raw.rule, raw.secret);
    record.origin = intern_origin(l.origin);
    record.blob = intern_blob(l.blob_id);
    record.decoded = intern_decoded(l.decoded);
    record.reasons = l.reasons;
    record.line = l.line;
    record.column = l.column;
    record.end_line = l.end_line;
    record.end_column = l.end_column;
    record.start_offset = l.start_offset;
    record.end_offset = l.end_offset;
    std::fill(raw.secret.begin(), raw.secret.end(), '\0');
    if (!status) continue;
    buffer_.push_back(record);
    if (buffer_.size() * sizeof(Record) >= share_ / 2) {
      status = spill(buffer_);
      buffer_.clear();
    }
  }
  found.clear();
  return status;
}

Status FindingStore::finish(Source& source, const RuleList& rules, const std::string& fingerprint_key) {
  rules_ = &rules;
  fingerprint_key_ = fingerprint_key;

  // Git blobs found without a path: one location per commit and path that introduced them.
  std::vector<bool> pathless(blobs_.size(), false);
  auto note_pathless = [&](const Record& record) {
    if (origins_[record.origin].path.empty()) pathless[record.blob] = true;
  };
  std::vector<Record> chunk;
  const std::size_t chunk_records = std::max<std::size_t>(1024, share_ / 4 / sizeof(Record));
  auto for_each_raw = [&](auto&& visit) -> Status {
    for (std::uint64_t at = 0; at < spilled_records_; at += chunk.size()) {
      chunk.resize(static_cast<std::size_t>(std::min<std::uint64_t>(chunk_records, spilled_records_ - at)));
      KH_TRY(read_records(spill_fd_, at, chunk.data(), chunk.size(), spill_dir_));
      for (const Record& record : chunk) KH_TRY(visit(record));
    }
    for (const Record& record : buffer_) KH_TRY(visit(record));
    return Ok{};
  };
  KH_TRY(for_each_raw([&](const Record& record) -> Status {
    note_pathless(record);
    return Ok{};
  }));
  std::vector<std::string> pathless_ids;
  for (std::size_t blob = 0; blob < blobs_.size(); ++blob)
    if (pathless[blob]) pathless_ids.push_back(blobs_[blob]);
  std::sort(pathless_ids.begin(), pathless_ids.end());
  std::vector<std::vector<std::uint32_t>> expansions(blobs_.size());
  if (!pathless_ids.empty()) {
    KH_TRY_ASSIGN(auto resolved, source.resolve_origins(pathless_ids));
    for (auto& [id, origins] : resolved) {
      auto blob = blob_index_.find(id);
      if (blob == blob_index_.end()) continue;
      for (const Origin& origin : origins) expansions[blob->second].push_back(intern_origin(origin));
    }
  }

  // Ranks that order as location_before does: (path, commit time, commit), then blob id.
  std::vector<std::uint32_t> origin_rank(origins_.size()), blob_rank(blobs_.size());
  {
    std::vector<std::uint32_t> by(origins_.size());
    std::iota(by.begin(), by.end(), 0);
    auto key = [&](std::uint32_t i) {
      const Origin& o = origins_[i];
      return std::tie(o.path, o.commit_time, o.commit);
    };
    std::sort(by.begin(), by.end(), [&](std::uint32_t a, std::uint32_t b) { return key(a) < key(b); });
    for (std::size_t i = 0, rank = 0; i < by.size(); ++i) {
      if (i > 0 && key(by[i - 1]) < key(by[i])) ++rank;
      origin_rank[by[i]] = static_cast<std::uint32_t>(rank);
    }
    std::vector<std::uint32_t> blobs(blobs_.size());
    std::iota(blobs.begin(), blobs.end(), 0);
    std::sort(blobs.begin(), blobs.end(),
              [&](std::uint32_t a, std::uint32_t b) { return blobs_[a] < blobs_[b]; });
    for (std::size_t i = 0; i < blobs.size(); ++i) blob_rank[blobs[i]] = static_cast<std::uint32_t>(i);
  }
  auto location_key = [&](const Record& r) {
    return std::make_tuple(origin_rank[r.origin], r.line, r.column, blob_rank[r.blob]);
  };
  auto before = [&](const Record& a, const Record& b) {
    if (a.finding != b.finding) return a.finding < b.finding;
    return location_key(a) < location_key(b);
  };
  auto duplicate = [&](const Record& a, const Record& b) {  // group_findings' std::unique
    return a.finding == b.finding && origin_rank[a.origin] == origin_rank[b.origin] &&
           origins_[a.origin].path == origins_[b.origin].path &&
           origins_[a.origin].commit == origins_[b.origin].commit && a.start_offset == b.start_offset &&
           a.blob == b.blob;
  };

  // Expand, then sort in runs of the share; runs past the first go to the file.
  const std::size_t run_records = std::max<std::size_t>(1024, share_ / 2 / sizeof(Record));
  std::vector<Record> run;
  struct Run {
    std::uint64_t at, count;
  };
  std::vector<Run> runs;
  std::uint64_t file_end = spilled_records_;
  auto flush_run = [&]() -> Status {
    std::sort(run.begin(), run.end(), before);
    if (spill_fd_ < 0) KH_TRY(open_spill_file());
    KH_TRY(write_records(spill_fd_, file_end, run.data(), run.size(), spill_dir_));
    runs.push_back({file_end, run.size()});
    file_end += run.size();
    run.clear();
    return Ok{};
  };
  KH_TRY(for_each_raw([&](const Record& raw) -> Status {
    const auto& into = expansions[raw.blob];
    if (!origins_[raw.origin].path.empty() || into.empty()) {
      run.push_back(raw);
    } else {
      for (std::uint32_t origin : into) {
        run.push_back(raw);
        run.back().origin = origin;
      }
    }
    if (run.size() >= run_records) KH_TRY(flush_run());
    return Ok{};
  }));
  std::vector<Record>().swap(buffer_);
  std::vector<Record>().swap(chunk);

  extents_.assign(findings_.size(), {});
  std::vector<Record> firsts(findings_.size());
  std::uint64_t emitted = 0;
  bool have_last = false;
  Record last;
  auto emit = [&](const Record& record, std::vector<Record>& out) {
    if (have_last && duplicate(last, record)) return;
    Extent& extent = extents_[record.finding];
    if (extent.count == 0) {
      extent.first = emitted;
      firsts[record.finding] = record;
    }
    ++extent.count;
    ++emitted;
    out.push_back(record);
    last = record;
    have_last = true;
  };
  if (runs.empty()) {  // it all fits: sorted in memory
    std::sort(run.begin(), run.end(), before);
    sorted_.reserve(run.size());
    for (const Record& record : run) emit(record, sorted_);
    std::vector<Record>().swap(run);
  } else {
    if (!run.empty()) KH_TRY(flush_run());
    std::vector<Record>().swap(run);
    // A k-way merge of the runs into the file's end, through a small buffer per run.
    const std::size_t per_run = std::max<std::size_t>(256, share_ / 4 / sizeof(Record) / (runs.size() + 1));
    std::vector<std::vector<Record>> heads(runs.size());
    std::vector<std::size_t> at(runs.size(), 0);
    std::vector<std::uint64_t> read(runs.size(), 0);
    auto refill = [&](std::size_t r) -> Status {
      std::size_t count = static_cast<std::size_t>(std::min<std::uint64_t>(per_run, runs[r].count - read[r]));
      heads[r].resize(count);
      at[r] = 0;
      if (count == 0) return Ok{};
      KH_TRY(read_records(spill_fd_, runs[r].at + read[r], heads[r].data(), count, spill_dir_));
      read[r] += count;
      return Ok{};
    };
    auto later = [&](std::size_t a, std::size_t b) { return before(heads[b][at[b]], heads[a][at[a]]); };
    std::priority_queue<std::size_t, std::vector<std::size_t>, decltype(later)> queue(later);
    for (std::size_t r = 0; r < runs.size(); ++r) {
      KH_TRY(refill(r));
      if (!heads[r].empty()) queue.push(r);
    }
    sorted_at_ = file_end;
    sorted_in_file_ = true;
    std::vector<Record> out;
    out.reserve(per_run);
    while (!queue.empty()) {
      std::size_t r = queue.top();
      queue.pop();
      emit(heads[r][at[r]], out);
      if (out.size() >= per_run) {
        KH_TRY(write_records(spill_fd_, file_end, out.data(), out.size(), spill_dir_));
        file_end += out.size();
        out.clear();
      }
      if (++at[r] == heads[r].size()) KH_TRY(refill(r));
      if (at[r] < heads[r].size()) queue.push(r);
    }
    KH_TRY(write_records(spill_fd_, file_end, out.data(), out.size(), spill_dir_));
    file_end += out.size();
  }

  // Findings in the order of their first location (then rule id), as group_findings sorts them.
  for (std::uint32_t f = 0; f < findings_.size(); ++f)
    if (extents_[f].count > 0) order_.push_back(f);
  std::sort(order_.begin(), order_.end(), [&](std::uint32_t a, std::uint32_t b) {
    auto x = location_key(firsts[a]);
    auto y = location_key(firsts[b]);
    if (x != y) return x < y;
    return rules[findings_[a].rule].id < rules[findings_[b].rule].id;
  });
  return Ok{};
}

Finding* FindingStore::take_next() {
  if (!status_ || next_ >= order_.size()) return nullptr;
  std::uint32_t f = order_[next_++];
  const Extent& extent = extents_[f];
  const Record* records = nullptr;
  if (sorted_in_file_) {
    reading_.resize(static_cast<std::size_t>(extent.count));
    status_ =
        read_records(spill_fd_, sorted_at_ + extent.first, reading_.data(), reading_.size(), spill_dir_);
    if (!status_) return nullptr;
    records = reading_.data();
  } else {
    records = sorted_.data() + extent.first;
  }
  std::fill(current_.secret.begin(), current_.secret.end(), '\0');
  current_ = Finding{};
  const Distinct& distinct = findings_[f];
  const Rule& rule = (*rules_)[distinct.rule];
  current_.rule_id = rule.id;
  current_.fingerprint = fingerprint_of(fingerprint_key_, rule.id, distinct.secret);
  current_.secret_hmac = secret_hmac_of(fingerprint_key_, distinct.secret);
  current_.masked = mask_secret(distinct.secret);
  current_.entropy = shannon_entropy(distinct.secret);
  current_.secret = distinct.secret;
  current_.pair = rule.pair;
  current_.pair_field = rule.pair_field;
  current_.locations.resize(static_cast<std::size_t>(extent.count));
  for (std::size_t i = 0; i < current_.locations.size(); ++i) {
    const Record& r = records[i];
    Location& l = current_.locations[i];
    l.origin = origins_[r.origin];
    l.blob_id = blobs_[r.blob];
    l.line = r.line;
    l.column = r.column;
    l.end_line = r.end_line;
    l.end_column = r.end_column;
    l.start_offset = r.start_offset;
    l.end_offset = r.end_offset;
    l.decoded = decodings_[r.decoded];
    l.reasons = r.reasons;
  }
  return &current_;
}

}  // namespace keyhound
