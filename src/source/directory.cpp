#include "source/directory.hpp"

#include <fcntl.h>
#include <fnmatch.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <set>
#include <thread>

#include "util/bounded_queue.hpp"
#include "util/file.hpp"

namespace keyhound {
namespace fs = std::filesystem;

bool path_excluded(const std::string& path, const std::vector<std::string>& globs) {
  for (const auto& glob : globs) {
    if (glob.find('/') != std::string::npos) {
      std::string pattern = glob.front() == '/' ? glob.substr(1) : glob;
      if (fnmatch(pattern.c_str(), path.c_str(), FNM_PATHNAME) == 0) return true;
      // "dir/**" and "dir/" exclude everything below dir.
      if (fnmatch(pattern.c_str(), path.c_str(), 0) == 0) return true;
      // "src/generated" names a folder: git paths and files below it are excluded too, as the
      // directory walker excludes them by not entering it.
      for (std::size_t slash = path.find('/'); slash != std::string::npos; slash = path.find('/', slash + 1))
        if (fnmatch(pattern.c_str(), path.substr(0, slash).c_str(), FNM_PATHNAME) == 0) return true;
      continue;
    }
    std::size_t begin = 0;
    while (begin <= path.size()) {
      std::size_t end = path.find('/', begin);
      if (end == std::string::npos) end = path.size();
      std::string component = path.substr(begin, end - begin);
      if (fnmatch(glob.c_str(), component.c_str(), 0) == 0) return true;
      begin = end + 1;
    }
  }
  return false;
}

namespace {

// A file read in pieces by the scan, with positioned reads: the scan can go back to hash it
// when it found something (a finding names the file's blob id).
class FileStream : public BlobStream {
 public:
  FileStream(int fd, std::uint64_t size, std::size_t piece) : fd_(fd), size_(size), piece_(piece) {}
  std::uint64_t size() const override { return size_; }
  std::size_t piece_size() const override { return piece_; }
  long long read_at(std::uint64_t offset, char* out, std::size_t length) override {
    if (offset >= size_) return 0;
    length = static_cast<std::size_t>(std::min<std::uint64_t>(length, size_ - offset));
    while (true) {
      ssize_t got = ::pread(fd_, out, length, static_cast<off_t>(offset));
      if (got < 0 && errno == EINTR) continue;
      return got;
    }
  }

 private:
  int fd_;
  std::uint64_t size_;
  std::size_t piece_;
};

// Hands a file over `options.stream_chunk` to the scan as a stream, after the binary test on
// its first block.
void stream_file(unsigned worker, const std::string& path, int fd, std::uint64_t size,
                 const SourceOptions& options, std::string& buffer, BlobVisitor& visitor) {
  FileStream stream(fd, size, static_cast<std::size_t>(options.stream_chunk));
  char head[8192];
  long long got = stream.read_at(0, head, sizeof head);
  if (got < 0) {
    visitor.on_warning({SkipReason::unreadable, path, std::strerror(errno)});
    return;
  }
  if (looks_binary(std::string_view(head, static_cast<std::size_t>(got)))) {
    visitor.on_warning({SkipReason::binary, path, "skipped: binary"});
    return;
  }
  Blob blob;
  blob.origin.path = path;
  blob.stream = &stream;
  if (!options.shard.whole()) {  // the shard goes by blob id
    blob.id = git_blob_id(stream, buffer);
    if (blob.id.empty()) {
      visitor.on_warning({SkipReason::unreadable, path, "file shrank or could not be read while hashed"});
      return;
    }
  }
  visitor.on_blob(worker, blob);
}

// Reads one file into `buffer` (reused across files), reporting problems as warnings; a file
// over options.stream_chunk goes to the visitor as a stream instead (false is returned then too).
bool read_file_into(unsigned worker, const std::string& path, const SourceOptions& options,
                    std::string& buffer, BlobVisitor& visitor) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | (options.follow_symlinks ? 0 : O_NOFOLLOW));
  if (fd < 0) {
    // A file that vanished mid-scan, or that we may not read: warn and go on.
    visitor.on_warning({SkipReason::unreadable, path, std::strerror(errno)});
    return false;
  }
  struct stat info {};
  if (::fstat(fd, &info) != 0 || !S_ISREG(info.st_mode)) {
    ::close(fd);
    return false;
  }
  if (static_cast<std::uint64_t>(info.st_size) > options.max_file_size) {
    ::close(fd);
    visitor.on_warning({SkipReason::too_large, path,
                        "skipped: " + std::to_string(info.st_size) + " bytes is over --max-file-size (" +
                            std::to_string(options.max_file_size) + ")"});
    return false;
  }
  if (static_cast<std::uint64_t>(info.st_size) > options.stream_chunk) {
    stream_file(worker, path, fd, static_cast<std::uint64_t>(info.st_size), options, buffer, visitor);
    ::close(fd);
    return false;
  }
  // Read up to the limit plus one byte, in case the file grew since fstat.
  std::size_t capacity = static_cast<std::size_t>(info.st_size) + 1;
  if (buffer.size() < capacity) buffer.resize(capacity);
  std::size_t length = 0;
  while (true) {
    if (length == buffer.size()) {
      if (length > options.max_file_size) break;
      buffer.resize(buffer.size() * 2);
    }
    ssize_t got = ::read(fd, buffer.data() + length, buffer.size() - length);
    if (got < 0) {
      if (errno == EINTR) continue;
      visitor.on_warning({SkipReason::unreadable, path, std::strerror(errno)});
      ::close(fd);
      return false;
    }
    if (got == 0) break;
    length += static_cast<std::size_t>(got);
  }
  ::close(fd);
  if (length > options.max_file_size) {
    visitor.on_warning({SkipReason::too_large, path, "skipped: file grew over --max-file-size while read"});
    return false;
  }
  buffer.resize(length);
  return true;
}

void scan_one_file(unsigned worker, const std::string& path, const SourceOptions& options,
                   std::string& buffer, BlobVisitor& visitor) {
  if (!read_file_into(worker, path, options, buffer, visitor)) return;
  if (looks_binary(buffer)) {
    visitor.on_warning({SkipReason::binary, path, "skipped: binary"});
    return;
  }
  Blob blob;
  blob.bytes = buffer;
  blob.origin.path = path;
  if (!options.shard.whole()) blob.id = git_blob_id(blob.bytes);  // the shard goes by blob id
  visitor.on_blob(worker, blob);
}

std::string display_path(const fs::path& root, const fs::path& relative) {
  if (root == ".") return relative.generic_string();
  return (root / relative).generic_string();
}

class DirectorySource : public Source {
 public:
  DirectorySource(std::vector<std::string> roots, SourceOptions options)
      : roots_(std::move(roots)), options_(std::move(options)) {}

  Status run(unsigned threads, BlobVisitor& all) override {
    ShardVisitor sharded(all, options_.shard);
    BlobVisitor& visitor = options_.shard.whole() ? all : sharded;
    for (const auto& root : roots_) {
      std::error_code ec;
      auto status = fs::symlink_status(root, ec);
      if (ec || !fs::exists(status)) return make_error("cannot scan " + root + ": no such file or directory");
    }
    BoundedQueue<std::string> queue(4096);
    std::vector<std::thread> workers;
    for (unsigned index = 0; index < threads; ++index) {
      workers.emplace_back([&, index] {
        std::string buffer;
        while (auto path = queue.pop()) scan_one_file(index, *path, options_, buffer, visitor);
      });
    }
    for (const auto& root : roots_) walk(root, queue, visitor);
    queue.close();
    for (auto& worker : workers) worker.join();
    return Ok{};
  }

 private:
  // Depth-first, one directory open at a time: each is listed whole and closed before its
  // subdirectories are entered, so a deep tree cannot run out of descriptors, and every error
  // (a directory removed or unreadable mid-walk, too many open files) is a warning about that
  // directory while the walk goes on with the rest.
  void walk(const std::string& root_text, BoundedQueue<std::string>& queue, BlobVisitor& visitor) {
    fs::path root(root_text);
    std::error_code ec;
    auto root_status = options_.follow_symlinks ? fs::status(root, ec) : fs::symlink_status(root, ec);
    if (!fs::is_directory(root_status)) {
      // A file named on the command line is scanned even when it is a symlink.
      queue.push(root.generic_string());
      return;
    }
    struct Pending {
      fs::path path;
      std::size_t depth;
    };
    std::vector<Pending> pending = {{root, 0}};
    // Directories entered, by (device, inode): following symlinks, a link to an ancestor (or
    // two links to each other) would otherwise be walked forever.
    std::set<std::pair<dev_t, ino_t>> visited;
    while (!pending.empty()) {
      Pending directory = std::move(pending.back());
      pending.pop_back();
      std::string shown = directory.path.generic_string();
      struct stat info {};
      if (::stat(directory.path.c_str(), &info) != 0) {
        visitor.on_warning(
            {SkipReason::unreadable, shown, std::string("directory not scanned: ") + std::strerror(errno)});
        continue;
      }
      if (!visited.emplace(info.st_dev, info.st_ino).second) {
        visitor.on_warning(
            {SkipReason::other, shown, "directory not scanned again: a symlink loop leads back to it"});
        continue;
      }
      std::vector<Pending> subdirectories;
      fs::directory_iterator it(directory.path, ec), end;
      if (ec) {
        visitor.on_warning({SkipReason::unreadable, shown, "directory not scanned: " + ec.message()});
        continue;
      }
      for (; it != end; it.increment(ec)) {
        const fs::directory_entry& entry = *it;
        std::string relative = entry.path().lexically_relative(root).generic_string();
        std::string name = entry.path().filename().string();
        std::error_code type_ec;
        bool is_link = entry.is_symlink(type_ec);
        if (entry.is_directory(type_ec) && (!is_link || options_.follow_symlinks)) {
          if (name == ".git" || path_excluded(relative, options_.exclude_globs)) continue;
          if (directory.depth + 1 > kMaxDepth) {
            visitor.on_warning(
                {SkipReason::limit, entry.path().generic_string(),
                 "directory not scanned: deeper than " + std::to_string(kMaxDepth) + " levels"});
            continue;
          }
          subdirectories.push_back({entry.path(), directory.depth + 1});
          continue;
        }
        if (is_link && !options_.follow_symlinks) continue;
        if (!entry.is_regular_file(type_ec) || is_atomic_write_temp(name)) continue;
        if (path_excluded(relative, options_.exclude_globs)) continue;
        std::string path = display_path(root, relative);
        if (path.size() > kMaxPath) {
          visitor.on_warning({SkipReason::limit, path.substr(0, 64) + "...",
                              "file not scanned: path longer than " + std::to_string(kMaxPath) + " bytes"});
          continue;
        }
        queue.push(std::move(path));
      }
      // libstdc++ turns the iterator into `end` when increment fails: the rest of this directory
      // is lost, and that is said, not silently skipped.
      if (ec)
        visitor.on_warning({SkipReason::unreadable, shown, "directory only partly scanned: " + ec.message()});
      // Entered in listing order.
      pending.insert(pending.end(), std::make_move_iterator(subdirectories.rbegin()),
                     std::make_move_iterator(subdirectories.rend()));
    }
  }

  static constexpr std::size_t kMaxDepth = 256;
  static constexpr std::size_t kMaxPath = 4096;

  std::vector<std::string> roots_;
  SourceOptions options_;
};

// Standard input (or any descriptor that can only be read once). Up to stream_chunk bytes are
// held in memory and scanned whole; past that the input is copied to an unlinked temporary
// file in $TMPDIR and scanned from there as a streamed file (the same windows as a big file), so
// memory stays flat whatever the input's size, and findings and blob ids are those of a
// whole-buffer scan.
class StreamSource : public Source {
 public:
  StreamSource(int fd, std::string name, SourceOptions options)
      : fd_(fd), name_(std::move(name)), options_(std::move(options)) {}

  Status run(unsigned /*threads*/, BlobVisitor& visitor) override {
    std::string buffer;
    int spool = -1;
    std::uint64_t total = 0;
    auto close_spool = [&] {
      if (spool >= 0) ::close(spool);
      spool = -1;
    };
    char chunk[65536];
    while (true) {
      ssize_t got = ::read(fd_, chunk, sizeof chunk);
      if (got < 0) {
        if (errno == EINTR) continue;
        close_spool();
        return make_error("cannot read " + name_ + ": " + std::strerror(errno));
      }
      if (got == 0) break;
      total += static_cast<std::uint64_t>(got);
      if (total > options_.max_file_size) {
        close_spool();
        visitor.on_warning({SkipReason::too_large, name_, "skipped: input is over --max-file-size"});
        return Ok{};
      }
      if (spool < 0) {
        buffer.append(chunk, static_cast<std::size_t>(got));
        if (buffer.size() <= options_.stream_chunk) continue;
        auto opened = open_spool();
        if (!opened) return make_error("cannot read " + name_ + ": " + opened.error().message);
        spool = *opened;
        if (auto written = write_all(spool, buffer.data(), buffer.size()); !written) {
          close_spool();
          return make_error("cannot read " + name_ + ": " + written.error().message);
        }
        std::string().swap(buffer);  // the memory goes back: from here the input lives in the file
      } else if (auto written = write_all(spool, chunk, static_cast<std::size_t>(got)); !written) {
        close_spool();
        return make_error("cannot read " + name_ + ": " + written.error().message);
      }
    }
    if (spool >= 0) {
      stream_file(0, name_, spool, total, options_, buffer, visitor);
      close_spool();
      return Ok{};
    }
    if (looks_binary(buffer)) {
      visitor.on_warning({SkipReason::binary, name_, "skipped: binary"});
      return Ok{};
    }
    Blob blob;
    blob.bytes = buffer;
    blob.origin.path = name_;
    visitor.on_blob(0, blob);
    return Ok{};
  }

 private:
  // An unlinked file in $TMPDIR (else /tmp): nothing is left behind, however the scan ends.
  static Result<int> open_spool() {
    const char* tmpdir = std::getenv("TMPDIR");
    std::string dir = tmpdir && *tmpdir ? tmpdir : "/tmp";
    int fd = ::open(dir.c_str(), O_TMPFILE | O_RDWR | O_CLOEXEC, 0600);
    if (fd < 0) {  // a file system without O_TMPFILE: create, then unlink at once
      std::string path = dir + "/keyhound-stdin-XXXXXX";
      fd = ::mkostemp(path.data(), O_CLOEXEC);
      if (fd >= 0) ::unlink(path.c_str());
    }
    if (fd < 0)
      return make_error("cannot create a temporary file in " + dir +
                        " to stream it through: " + std::strerror(errno));
    return fd;
  }
  static Status write_all(int fd, const char* data, std::size_t size) {
    while (size > 0) {
      ssize_t put = ::write(fd, data, size);
      if (put < 0 && errno == EINTR) continue;
      if (put <= 0)
        return make_error(std::string("cannot write its temporary copy: ") +
                          std::strerror(put < 0 ? errno : ENOSPC));
      data += put;
      size -= static_cast<std::size_t>(put);
    }
    return Ok{};
  }

  int fd_;
  std::string name_;
  SourceOptions options_;
};

}  // namespace

std::unique_ptr<Source> make_directory_source(std::vector<std::string> roots, SourceOptions options) {
  // Tests stream small files to put chunk edges where they want them.
  if (const char* chunk = std::getenv("KEYHOUND_STREAM_CHUNK"); chunk && std::atoll(chunk) > 0)
    options.stream_chunk = static_cast<std::uint64_t>(std::atoll(chunk));
  return std::make_unique<DirectorySource>(std::move(roots), std::move(options));
}

std::unique_ptr<Source> make_stream_source(int fd, std::string name, SourceOptions options) {
  if (const char* chunk = std::getenv("KEYHOUND_STREAM_CHUNK"); chunk && std::atoll(chunk) > 0)
    options.stream_chunk = static_cast<std::uint64_t>(std::atoll(chunk));
  return std::make_unique<StreamSource>(fd, std::move(name), std::move(options));
}

}  // namespace keyhound
