// The unit every source produces: bytes plus where they came from.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "util/delta_copy.hpp"

namespace keyhound {

// Where a blob was seen. Files fill only `path`; git history fills the commit fields too.
struct Origin {
  std::string path;
  std::string commit;  // full hex oid of the commit that introduced the blob at `path`
  std::string author_name;
  std::string author_email;
  std::int64_t commit_time = 0;  // seconds since the epoch
  int commit_time_offset = 0;    // minutes east of UTC
  std::string summary;           // first line of the commit message

  bool from_git() const { return !commit.empty(); }
};

// Lines first..last, 1-based and inclusive.
struct LineRange {
  std::uint64_t first = 0;
  std::uint64_t last = 0;
};

// A git blob stored as a delta of another blob: that blob's id, and the stretches of the
// blob's bytes the delta copied from it (in order, adjacent ones merged).
struct BlobDelta {
  std::string base_id;
  std::vector<DeltaCopy> copies;
};

// The lines of a blob that count (a staged scan: the lines the index adds), worked out only
// when something in the blob matched: diffing against HEAD's version costs more than the scan,
// and most staged files match nothing.
class LineFilter {
 public:
  virtual ~LineFilter() = default;
  // Sorted ranges; null when every line counts.
  virtual const std::vector<LineRange>* ranges() = 0;
};

// A file too large to hold whole (over SourceOptions::stream_chunk): the scan reads it in
// pieces into a buffer of its own (pipeline/streamed_scan.cpp), so memory stays flat.
class BlobStream {
 public:
  virtual ~BlobStream() = default;
  // The size when the file was opened; reads stop there.
  virtual std::uint64_t size() const = 0;
  // How many bytes the scan should take at a time.
  virtual std::size_t piece_size() const = 0;
  // Reads up to `length` bytes at `offset` into `out`: the count read (0 at the end), or -1 with
  // errno set.
  virtual long long read_at(std::uint64_t offset, char* out, std::size_t length) = 0;
};

// Bytes under scan. `bytes` is only valid during the visitor call that receives the blob.
struct Blob {
  std::string id;  // git blob oid (hex); empty for files until a finding needs it
  std::string_view bytes;
  Origin origin;  // for git blobs, the path is filled only when it is known cheaply
  // When set, only matches touching the lines it names count.
  LineFilter* only_lines = nullptr;
  // Git history only: set when the blob is stored as a delta of another blob, so the scanner
  // can re-check just what the delta changed.
  const BlobDelta* delta = nullptr;
  // Git history only: later blobs may be deltas of this one, so its scan is worth remembering.
  bool may_be_delta_base = false;
  // A streamed file: `bytes` is empty and the scan reads the file through this.
  BlobStream* stream = nullptr;
};

// True when lines first..last overlap one of the sorted `ranges`.
bool touches_lines(const std::vector<LineRange>& ranges, std::uint64_t first, std::uint64_t last);

// Git's blob id of some bytes ("blob <size>\0" + bytes, SHA-1), so files and history agree.
std::string git_blob_id(std::string_view bytes);
// The same for a streamed file, read through `buffer` (reused); empty when a read fails or
// the file is shorter than its size said.
std::string git_blob_id(BlobStream& stream, std::string& buffer);

// True when the first block holds a NUL byte: the same test git and ripgrep use.
bool looks_binary(std::string_view bytes);

}  // namespace keyhound
