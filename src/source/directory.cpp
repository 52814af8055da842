#include "source/directory.hpp"

#include <fcntl.h>
#include <fnmatch.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
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

// Reads one file into `buffer` (reused across files), reporting problems as warnings.
bool read_file_into(const std::string& path, const SourceOptions& options, std::string& buffer,
                    BlobVisitor& visitor) {
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
  if (!read_file_into(path, options, buffer, visitor)) return;
  if (looks_binary(buffer)) {
    visitor.on_warning({SkipReason::binary, path, "skipped: binary"});
    return;
  }
  Blob blob;
  blob.bytes = buffer;
  blob.origin.path = path;
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

  Status run(unsigned threads, BlobVisitor& visitor) override {
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
  void walk(const std::string& root_text, BoundedQueue<std::string>& queue, BlobVisitor& visitor) {
    fs::path root(root_text);
    std::error_code ec;
    auto root_status = options_.follow_symlinks ? fs::status(root, ec) : fs::symlink_status(root, ec);
    if (!fs::is_directory(root_status)) {
      // A file named on the command line is scanned even when it is a symlink.
      queue.push(root.generic_string());
      return;
    }
    auto flags = fs::directory_options::skip_permission_denied;
    if (options_.follow_symlinks) flags |= fs::directory_options::follow_directory_symlink;
    fs::recursive_directory_iterator it(root, flags, ec), end;
    if (ec) {
      visitor.on_warning({SkipReason::unreadable, root_text, ec.message()});
      return;
    }
    for (; it != end; it.increment(ec)) {
      if (ec) {
        visitor.on_warning({SkipReason::unreadable, it->path().generic_string(), ec.message()});
        ec.clear();
        continue;
      }
      const fs::directory_entry& entry = *it;
      std::string relative = entry.path().lexically_relative(root).generic_string();
      std::string name = entry.path().filename().string();
      std::error_code type_ec;
      bool is_link = entry.is_symlink(type_ec);
      if (entry.is_directory(type_ec) && (!is_link || options_.follow_symlinks)) {
        if (name == ".git" || path_excluded(relative, options_.exclude_globs)) it.disable_recursion_pending();
        continue;
      }
      if (is_link && !options_.follow_symlinks) continue;
      if (!entry.is_regular_file(type_ec) || is_atomic_write_temp(name)) continue;
      if (path_excluded(relative, options_.exclude_globs)) continue;
      queue.push(display_path(root, relative));
    }
  }

  std::vector<std::string> roots_;
  SourceOptions options_;
};

class StreamSource : public Source {
 public:
  StreamSource(int fd, std::string name, SourceOptions options)
      : fd_(fd), name_(std::move(name)), options_(std::move(options)) {}

  Status run(unsigned /*threads*/, BlobVisitor& visitor) override {
    std::string buffer;
    char chunk[65536];
    while (true) {
      ssize_t got = ::read(fd_, chunk, sizeof chunk);
      if (got < 0) {
        if (errno == EINTR) continue;
        return make_error("cannot read " + name_ + ": " + std::strerror(errno));
      }
      if (got == 0) break;
      buffer.append(chunk, static_cast<std::size_t>(got));
      if (buffer.size() > options_.max_file_size) {
        visitor.on_warning({SkipReason::too_large, name_, "skipped: input is over --max-file-size"});
        return Ok{};
      }
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
  int fd_;
  std::string name_;
  SourceOptions options_;
};

}  // namespace

std::unique_ptr<Source> make_directory_source(std::vector<std::string> roots, SourceOptions options) {
  return std::make_unique<DirectorySource>(std::move(roots), std::move(options));
}

std::unique_ptr<Source> make_stream_source(int fd, std::string name, SourceOptions options) {
  return std::make_unique<StreamSource>(fd, std::move(name), std::move(options));
}

}  // namespace keyhound
