#include "pipeline/scan.hpp"

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <map>
#include <mutex>
#include <set>

#include "finding/line_context.hpp"
#include "match/decoded_scan.hpp"
#include "match/entropy.hpp"
#include "pipeline/stream_window.hpp"
#include "util/hash.hpp"

namespace keyhound {

const char* to_string(ScanKind kind) {
  switch (kind) {
    case ScanKind::files:
      return "files";
    case ScanKind::stdin_stream:
      return "stdin";
    case ScanKind::git:
      return "git";
    case ScanKind::staged:
      return "staged";
  }
  return "files";
}

namespace {

// A confirmed match with its secret and location, before grouping.
struct RawFinding {
  std::uint32_t rule;
  std::string secret;
  Location location;
};

// The scan memos of a worker's recent blobs: in pack order a delta's base was nearly always
// scanned a few blobs earlier, by the same worker. A direct-mapped table: a blob's slot comes
// from its id, and a newer blob landing on the same slot replaces the older one (a delta of
// that one is then scanned whole: the same result, only slower). Slots keep their buffers, so
// in the long run remembering a memo allocates nothing.
class RecentMemos {
 public:
  const ScanMemo* find(const std::string& id) const {
    if (slots_.empty()) return nullptr;
    const Slot& slot = slots_[slot_of(id)];
    return slot.id == id ? &slot.memo : nullptr;
  }
  // Takes `memo`'s contents and leaves it holding an old memo's buffers, to be filled again.
  void keep(const std::string& id, ScanMemo& memo) {
    if (slots_.empty()) slots_.resize(kSlots);  // only sources with deltas (git history) get here
    Slot& slot = slots_[slot_of(id)];
    slot.id.assign(id);
    std::swap(slot.memo, memo);
  }

 private:
  static constexpr std::size_t kSlots = 8192;
  struct Slot {
    std::string id;
    ScanMemo memo;
  };
  // Blob ids are hex digests, as good a hash as any: the slot is their first hex digits' value.
  static std::size_t slot_of(const std::string& id) {
    std::size_t value = 0;
    for (std::size_t i = 0; i < id.size() && i < 4; ++i) {
      unsigned char c = static_cast<unsigned char>(id[i]);
      value = (value << 4) | ((c <= '9' ? c - '0' : (c | 32) - 'a' + 10) & 15);
    }
    return value % kSlots;
  }
  std::vector<Slot> slots_;
};

// Bytes of a blob findings are placed in: the whole blob, or a streamed file's window, which
// starts at `offset` in the file, on `line`, `column_before` code points into that line.
struct Piece {
  std::string_view bytes;
  std::uint64_t offset = 0;
  std::uint64_t line = 1;
  std::uint64_t column_before = 0;
};

struct Worker {
  MatchScratchPtr scratch;
  RecentMemos memos;
  ScanMemo memo;
  std::vector<Match> matches;
  DecodeScratch decode;
  std::vector<DecodedMatch> decoded;
  std::vector<RawFinding> found;
  std::string stream_buffer;  // a streamed file's window, and its re-reads (line context, blob id)
  std::string reread_buffer;
  std::uint64_t blobs = 0;
  std::uint64_t bytes = 0;
  std::uint64_t allowed_inline = 0;
};

class Collector : public BlobVisitor {
 public:
  Collector(const Matcher& matcher, const ScanSettings& settings)
      : matcher_(matcher), settings_(settings), workers_(std::max(1u, settings.threads)) {
    for (auto& worker : workers_) worker.scratch = matcher.new_scratch();
  }

  void on_blob(unsigned index, const Blob& blob) override {
    Worker& worker = workers_[index];
    if (blob.stream) return scan_stream(worker, blob);
    ++worker.blobs;
    worker.bytes += blob.bytes.size();
    if (settings_.counters) {
      settings_.counters->blobs.fetch_add(1, std::memory_order_relaxed);
      settings_.counters->bytes.fetch_add(blob.bytes.size(), std::memory_order_relaxed);
    }
    ScanMemo* memo = blob.may_be_delta_base ? &worker.memo : nullptr;
    const ScanMemo* base = blob.delta ? worker.memos.find(blob.delta->base_id) : nullptr;
    if (base)
      matcher_.scan_delta(blob.bytes, blob.delta->copies, *base, *worker.scratch, worker.matches, memo);
    else
      matcher_.scan(blob.bytes, *worker.scratch, worker.matches, memo);
    if (const char* failed = scan_failure(*worker.scratch)) {  // nothing found proves nothing
      on_warning({SkipReason::unreadable, blob.id.empty() ? blob.origin.path : blob.id,
                  std::string("not scanned: ") + failed});
      return;
    }
    if (memo) worker.memos.keep(blob.id, *memo);
    if (settings_.decode)
      scan_decoded(matcher_, blob.bytes, worker.matches, *worker.scratch, worker.decode, worker.decoded);
    if (worker.matches.empty() && worker.decoded.empty()) return;
    std::string blob_id = blob.id.empty() ? git_blob_id(blob.bytes) : blob.id;
    LineContext line_context(blob.bytes);
    add_findings(worker, blob, blob_id, Piece{blob.bytes}, line_context);
  }

  // The findings of worker.matches and worker.decoded, found in `piece` of the blob.
  void add_findings(Worker& worker, const Blob& blob, const std::string& blob_id, const Piece& piece,
                    LineContext& line_context) {
    LineCounter lines(piece.bytes);  // matches come ordered by start offset
    for (const Match& match : worker.matches)
      add_finding(worker, blob, blob_id, piece, lines, line_context, match.rule, match.start, match.end,
                  piece.bytes.substr(match.start, match.end - match.start), {});
    LineCounter decoded_lines(piece.bytes);  // decoded matches too, by the start of their encoded bytes
    for (const DecodedMatch& match : worker.decoded)
      add_finding(worker, blob, blob_id, piece, decoded_lines, line_context, match.rule, match.start,
                  match.end, match.secret, match.decoded);
    for (auto& match : worker.decoded) std::fill(match.secret.begin(), match.secret.end(), '\0');
    if (settings_.counters)
      settings_.counters->matches.fetch_add(worker.matches.size() + worker.decoded.size(),
                                            std::memory_order_relaxed);
  }

  // A file too large to hold whole, scanned window by window (pipeline/stream_window.hpp): each
  // match belongs to the one piece it starts in, and its window holds all the bytes its scan
  // looks at, so the findings are those of a whole-file scan. Line evidence (comments, code
  // blocks) carries from line to line through the whole file: it is caught up by reading the
  // file again, only for windows with matches, as is the file's blob id.
  void scan_stream(Worker& worker, const Blob& blob) {
    BlobStream& stream = *blob.stream;
    ++worker.blobs;
    worker.bytes += stream.size();
    if (settings_.counters) {
      settings_.counters->blobs.fetch_add(1, std::memory_order_relaxed);
      settings_.counters->bytes.fetch_add(stream.size(), std::memory_order_relaxed);
    }
    const std::size_t found_before = worker.found.size();
    const std::string& path = blob.origin.path;
    StreamWindow window(stream, worker.stream_buffer, stream.piece_size(), 2 * matcher_.context_reach());
    LineContext::Carry carry;  // the line evidence state at file offset carried_to (a line start)
    std::uint64_t carried_to = 0;
    while (window.next()) {
      std::string_view bytes = window.bytes();
      matcher_.scan(bytes, *worker.scratch, worker.matches);
      if (const char* failed = scan_failure(*worker.scratch)) {
        on_warning({SkipReason::unreadable, path, std::string("not scanned whole: ") + failed});
        break;
      }
      if (settings_.decode)
        scan_decoded(matcher_, bytes, worker.matches, *worker.scratch, worker.decode, worker.decoded);
      std::erase_if(worker.matches, [&](const Match& match) { return !window.owns(match.start); });
      for (auto& match : worker.decoded)
        if (!window.owns(match.start)) std::fill(match.secret.begin(), match.secret.end(), '\0');
      std::erase_if(worker.decoded, [&](const DecodedMatch& match) { return !window.owns(match.start); });
      if (worker.matches.empty() && worker.decoded.empty()) continue;
      if (carried_to < window.offset()) {
        if (!catch_up(stream, worker.reread_buffer, carry, carried_to, window.offset())) {
          on_warning(
              {SkipReason::unreadable, path, std::string("not scanned whole: ") + std::strerror(errno)});
          break;
        }
      }
      LineContext line_context(bytes, carry);
      add_findings(worker, blob, blob.id,
                   Piece{bytes, window.offset(), window.line(), window.column_before()}, line_context);
    }
    if (window.error() != 0)
      on_warning(
          {SkipReason::unreadable, path, std::string("not scanned whole: ") + std::strerror(window.error())});
    if (worker.found.size() == found_before) return;
    std::string id = blob.id.empty() ? git_blob_id(stream, worker.reread_buffer) : blob.id;
    for (std::size_t i = found_before; i < worker.found.size(); ++i) worker.found[i].location.blob_id = id;
  }

  // Advances `carry` from file offset `from` to `to` (line starts) by reading the file again.
  static bool catch_up(BlobStream& stream, std::string& buffer, LineContext::Carry& carry,
                       std::uint64_t& from, std::uint64_t to) {
    if (buffer.size() < StreamWindow::kLineReach) buffer.resize(StreamWindow::kLineReach);
    while (from < to) {
      std::size_t want = static_cast<std::size_t>(std::min<std::uint64_t>(buffer.size(), to - from));
      long long got = stream.read_at(from, buffer.data(), want);
      if (got <= 0) return false;
      std::string_view piece(buffer.data(), static_cast<std::size_t>(got));
      // Up to the last line start in what was read (all of it when it reaches `to`, or when a
      // line is longer than the buffer).
      std::size_t cut = piece.size();
      if (from + piece.size() < to)
        if (std::size_t newline = piece.rfind('\n'); newline != std::string_view::npos) cut = newline + 1;
      LineContext context(piece, carry);
      carry = context.carry_at(cut);
      from += cut;
    }
    return true;
  }

  // A confirmed secret at bytes [start, end) of the piece (for a decoded one, the encoded bytes).
  void add_finding(Worker& worker, const Blob& blob, const std::string& blob_id, const Piece& piece,
                   LineCounter& lines, LineContext& line_context, std::uint32_t rule_index, std::size_t start,
                   std::size_t end, std::string_view secret, std::string_view decoded) {
    const Rule& rule = matcher_.rules()[rule_index];
    const std::vector<LineRange>* only_lines = blob.only_lines ? blob.only_lines->ranges() : nullptr;
    if (only_lines && !touches_lines(*only_lines, line_column_at(blob.bytes, start).line,
                                     line_column_at(blob.bytes, end).line))
      return;  // a staged scan reports only what the index adds
    if (settings_.honour_allow_comments &&
        line_allows(piece.bytes, start, end, rule.id, settings_.honour_foreign_allow_comments)) {
      ++worker.allowed_inline;
      return;
    }
    RawFinding raw;
    raw.rule = rule_index;
    raw.secret.assign(secret);
    Location& location = raw.location;
    location.origin = blob.origin;
    location.blob_id = blob_id;
    LineColumn first = lines.at(start);
    LineColumn last = advance(first, piece.bytes.substr(start, end - start));
    // From the piece to the file: its first line may have started before it.
    location.line = piece.line + first.line - 1;
    location.column = first.column + (first.line == 1 ? piece.column_before : 0);
    location.end_line = piece.line + last.line - 1;
    location.end_column = last.column + (last.line == 1 ? piece.column_before : 0);
    location.start_offset = piece.offset + start;
    location.end_offset = piece.offset + end;
    location.decoded.assign(decoded);
    location.reasons = line_context.at(start, end);
    worker.found.push_back(std::move(raw));
  }

  void on_warning(const SourceWarning& warning) override {
    std::lock_guard lock(warning_mutex_);
    switch (warning.reason) {
      case SkipReason::binary:
        ++stats_.skipped_binary;
        return;  // counted, not printed
      case SkipReason::excluded:
        return;
      case SkipReason::too_large:
        ++stats_.skipped_too_large;
        break;
      case SkipReason::unreadable:
        ++stats_.unreadable;
        break;
      case SkipReason::other:
        break;
      case SkipReason::limit:
        ++stats_.not_scanned_limit;
        break;
    }
    if (loses_coverage(warning.reason)) ++stats_.not_scanned;
    ++stats_.warnings;
    if (settings_.on_warning) settings_.on_warning(warning);
  }

  std::vector<Worker>& workers() { return workers_; }
  ScanStats& stats() { return stats_; }

 private:
  const Matcher& matcher_;
  const ScanSettings& settings_;
  std::vector<Worker> workers_;
  std::mutex warning_mutex_;
  ScanStats stats_;
};

// A total order (blob ids break the last ties), so a report does not depend on which worker
// found what first: blobs no commit reaches share an empty path.
bool location_before(const Location& a, const Location& b) {
  return std::tie(a.origin.path, a.origin.commit_time, a.origin.commit, a.line, a.column, a.blob_id) <
         std::tie(b.origin.path, b.origin.commit_time, b.origin.commit, b.line, b.column, b.blob_id);
}

// Groups raw matches by fingerprint; a git blob without a path becomes one location per origin.
Result<std::vector<Finding>> group_findings(std::vector<Worker>& workers, const Matcher& matcher,
                                            Source& source, const std::string& fingerprint_key) {
  std::vector<std::string> pathless_blobs;
  for (const auto& worker : workers)
    for (const auto& raw : worker.found)
      if (raw.location.origin.path.empty()) pathless_blobs.push_back(raw.location.blob_id);
  std::sort(pathless_blobs.begin(), pathless_blobs.end());
  pathless_blobs.erase(std::unique(pathless_blobs.begin(), pathless_blobs.end()), pathless_blobs.end());
  Source::OriginMap origins;
  if (!pathless_blobs.empty()) {
    KH_TRY_ASSIGN(auto resolved, source.resolve_origins(pathless_blobs));
    origins = std::move(resolved);
  }

  std::map<std::string, Finding> by_fingerprint;
  for (auto& worker : workers) {
    for (auto& raw : worker.found) {
      const Rule& rule = matcher.rules()[raw.rule];
      std::string fingerprint = fingerprint_of(fingerprint_key, rule.id, raw.secret);
      Finding& finding = by_fingerprint[fingerprint];
      if (finding.fingerprint.empty()) {
        finding.rule_id = rule.id;
        finding.fingerprint = fingerprint;
        finding.secret_hmac = secret_hmac_of(fingerprint_key, raw.secret);
        finding.masked = mask_secret(raw.secret);
        finding.entropy = shannon_entropy(raw.secret);
        finding.secret = raw.secret;
        finding.pair = rule.pair;
        finding.pair_field = rule.pair_field;
      }
      if (!raw.location.origin.path.empty()) {
        finding.locations.push_back(std::move(raw.location));
        continue;
      }
      auto found = origins.find(raw.location.blob_id);
      if (found == origins.end() || found->second.empty()) {
        finding.locations.push_back(std::move(raw.location));
        continue;
      }
      for (const Origin& origin : found->second) {
        Location location = raw.location;
        location.origin = origin;
        finding.locations.push_back(std::move(location));
      }
    }
    // The secret copies are no longer needed by the worker; wipe them.
    for (auto& raw : worker.found) std::fill(raw.secret.begin(), raw.secret.end(), '\0');
    worker.found.clear();
  }
  std::vector<Finding> findings;
  for (auto& [fingerprint, finding] : by_fingerprint) {
    auto& locations = finding.locations;
    std::sort(locations.begin(), locations.end(), location_before);
    locations.erase(std::unique(locations.begin(), locations.end(),
                                [](const Location& a, const Location& b) {
                                  return a.origin.path == b.origin.path &&
                                         a.origin.commit == b.origin.commit &&
                                         a.start_offset == b.start_offset && a.blob_id == b.blob_id;
                                }),
                    locations.end());
    findings.push_back(std::move(finding));
  }
  std::sort(findings.begin(), findings.end(), [](const Finding& a, const Finding& b) {
    const Location& x = a.locations.front();
    const Location& y = b.locations.front();
    if (location_before(x, y)) return true;
    if (location_before(y, x)) return false;
    return a.rule_id < b.rule_id;
  });
  return findings;
}

}  // namespace

namespace {
bool is_rule_id_char(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '-' || c == '_';
}

// The same-line markers of the scanners teams migrate from; each allows every rule.
bool has_foreign_allow(std::string_view line) {
  static constexpr std::string_view kMarkers[] = {"gitleaks:allow", "trufflehog:ignore",
                                                  "pragma: allowlist secret", "kingfisher:ignore"};
  for (std::string_view marker : kMarkers)
    for (std::size_t at = line.find(marker); at != std::string_view::npos; at = line.find(marker, at + 1)) {
      std::size_t after = at + marker.size();
      if (after == line.size() || !is_rule_id_char(line[after])) return true;
    }
  return false;
}
}  // namespace

bool line_allows(std::string_view bytes, std::size_t start, std::size_t end, std::string_view rule_id,
                 bool foreign_markers) {
  static constexpr std::string_view kMarker = "keyhound:allow";
  std::size_t line_start = start == 0 ? std::string_view::npos : bytes.rfind('\n', start - 1);
  line_start = line_start == std::string_view::npos ? 0 : line_start + 1;
  std::size_t line_end = bytes.find('\n', end);
  if (line_end == std::string_view::npos) line_end = bytes.size();
  std::string_view line = bytes.substr(line_start, line_end - line_start);
  if (foreign_markers && has_foreign_allow(line)) return true;
  for (std::size_t at = line.find(kMarker); at != std::string_view::npos; at = line.find(kMarker, at + 1)) {
    std::string_view rest = line.substr(at + kMarker.size());
    if (!rest.empty() && is_rule_id_char(rest[0])) continue;  // "keyhound:allowed" is not the marker
    std::size_t id_start = std::min(rest.size(), rest.find_first_not_of(" \t=:"));
    std::size_t id_end = id_start;
    while (id_end < rest.size() && is_rule_id_char(rest[id_end])) ++id_end;
    std::string_view named = rest.substr(id_start, id_end - id_start);
    // Rule ids always hold a dot; a bare marker (or one followed by prose) allows every rule.
    if (named.find('.') == std::string_view::npos || named == rule_id) return true;
  }
  return false;
}

Result<ScanResult> run_scan(Source& source, const Matcher& matcher, const ScanSettings& settings) {
  auto started = std::chrono::steady_clock::now();
  Collector collector(matcher, settings);
  KH_TRY(source.run(std::max(1u, settings.threads), collector));
  ScanResult result;
  result.stats = collector.stats();
  for (const auto& worker : collector.workers()) {
    result.stats.blobs_scanned += worker.blobs;
    result.stats.bytes_scanned += worker.bytes;
    result.stats.allowed_inline += worker.allowed_inline;
  }
  KH_TRY_ASSIGN(auto findings,
                group_findings(collector.workers(), matcher, source, settings.fingerprint_key));
  result.findings = std::move(findings);
  result.stats.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  return result;
}

}  // namespace keyhound
