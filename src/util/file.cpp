#include "util/file.hpp"

#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace keyhound {

Result<std::string> read_whole_file(const std::string& path, std::uint64_t max_size) {
  // O_NONBLOCK: opening a FIFO must not wait for a writer; it is refused below anyway.
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK);
  if (fd < 0) return make_error("cannot read " + path + ": " + std::strerror(errno));
  struct stat info {};
  if (::fstat(fd, &info) != 0) {
    std::string reason = std::strerror(errno);
    ::close(fd);
    return make_error("cannot read " + path + ": " + reason);
  }
  if (!S_ISREG(info.st_mode)) {
    ::close(fd);
    return make_error("cannot read " + path + ": not a regular file");
  }
  if (static_cast<std::uint64_t>(info.st_size) > max_size) {
    ::close(fd);
    return make_error("cannot read " + path + ": " + std::to_string(info.st_size) +
                      " bytes is over the limit of " + std::to_string(max_size));
  }
  std::string content(static_cast<std::size_t>(info.st_size), '\0');
  std::size_t used = 0;
  while (true) {
    // A file that grows while read still stops at the limit (one byte past it tells).
    if (used == content.size()) {
      if (used > max_size) break;
      content.resize(std::min<std::uint64_t>(std::max<std::size_t>(4096, content.size() * 2), max_size + 1));
    }
    ssize_t got = ::read(fd, content.data() + used, content.size() - used);
    if (got < 0 && errno == EINTR) continue;
    if (got < 0) {
      std::string reason = std::strerror(errno);
      ::close(fd);
      return make_error("cannot read " + path + ": " + reason);
    }
    if (got == 0) break;
    used += static_cast<std::size_t>(got);
  }
  ::close(fd);
  if (used > max_size)
    return make_error("cannot read " + path + ": over the limit of " + std::to_string(max_size) + " bytes");
  content.resize(used);
  return content;
}

namespace {

// Devices and pipes (-o /dev/stdout, /dev/null) are written in place: renaming over them
// would replace the device with a regular file.
Status write_in_place(const std::string& path, std::string_view content) {
  int fd = ::open(path.c_str(), O_WRONLY | O_CLOEXEC);
  if (fd < 0) return make_error("cannot write " + path + ": " + std::strerror(errno));
  const char* data = content.data();
  std::size_t left = content.size();
  while (left > 0) {
    ssize_t written = ::write(fd, data, left);
    if (written < 0 && errno == EINTR) continue;
    if (written < 0) {
      std::string reason = std::strerror(errno);
      ::close(fd);
      return make_error("cannot write " + path + ": " + reason);
    }
    data += written;
    left -= static_cast<std::size_t>(written);
  }
  ::close(fd);
  return Ok{};
}

// ".NAME.keyhound-tmp-PID-XXXXXX": the marker lets scans skip it, the pid lets a later write
// tell a dead writer's leftover from a file another process is writing right now.
std::string temp_prefix(const std::filesystem::path& target) {
  return "." + target.filename().string() + std::string(kAtomicTempMarker);
}

// A write killed between mkstemp and rename (kill -9, power loss) leaves its temp file; the
// next write of the same file removes those whose writer is gone.
void remove_stale_temps(const std::filesystem::path& folder, const std::filesystem::path& target) {
  std::string prefix = temp_prefix(target);
  std::error_code ec;
  for (std::filesystem::directory_iterator it(folder, ec), end; !ec && it != end; it.increment(ec)) {
    std::string name = it->path().filename().string();
    if (name.rfind(prefix, 0) != 0) continue;
    long pid = std::strtol(name.c_str() + prefix.size(), nullptr, 10);
    if (pid > 0 && ::kill(static_cast<pid_t>(pid), 0) != 0 && errno == ESRCH) ::unlink(it->path().c_str());
  }
}

// The protocol both writes share: a temp file beside `path` (leftovers of dead writers removed
// first), filled by `fill` (through the descriptor or by name), given the permissions of the
// file it replaces (a new file: 0666 less umask), synced when asked, renamed over `path`. On any
// failure the temp file is removed and `path` is left as it was.
Status replace_atomically(const std::string& path, Sync sync,
                          const std::function<Status(int fd, const std::string& temp)>& fill) {
  std::filesystem::path target(path);
  std::filesystem::path folder = target.parent_path();
  if (folder.empty()) folder = ".";
  remove_stale_temps(folder, target);
  std::string temp = (folder / (temp_prefix(target) + std::to_string(::getpid()) + "-XXXXXX")).string();
  int fd = mkstemp(temp.data());
  if (fd < 0) return make_error("cannot write " + path + ": " + std::strerror(errno));
  if (Status filled = fill(fd, temp); !filled) {
    ::close(fd);
    ::unlink(temp.c_str());
    return filled;
  }
  struct stat existing {};
  if (::stat(path.c_str(), &existing) == 0) {
    ::fchmod(fd, existing.st_mode & 07777);
  } else {
    mode_t mask = ::umask(0);
    ::umask(mask);
    ::fchmod(fd, 0666 & ~mask);
  }
  int sync_error = sync == Sync::to_disk && ::fsync(fd) != 0 ? errno : 0;
  int close_error = ::close(fd) != 0 ? errno : 0;
  if (sync_error || close_error) {
    ::unlink(temp.c_str());
    return make_error("cannot write " + path + ": " + std::strerror(sync_error ? sync_error : close_error));
  }
  if (std::rename(temp.c_str(), path.c_str()) != 0) {
    std::string reason = std::strerror(errno);
    ::unlink(temp.c_str());
    return make_error("cannot replace " + path + ": " + reason);
  }
  return Ok{};
}

}  // namespace

bool is_atomic_write_temp(std::string_view file_name) {
  return file_name.find(kAtomicTempMarker) != std::string_view::npos;
}

Status write_file_atomically(const std::string& path, std::string_view content, Sync sync) {
  struct stat current {};
  if (::stat(path.c_str(), &current) == 0 && !S_ISREG(current.st_mode)) return write_in_place(path, content);
  return replace_atomically(path, sync, [&](int fd, const std::string&) -> Status {
    const char* data = content.data();
    std::size_t left = content.size();
    while (left > 0) {
      ssize_t written = ::write(fd, data, left);
      if (written < 0 && errno == EINTR) continue;
      if (written < 0) return make_error("cannot write " + path + ": " + std::strerror(errno));
      data += written;
      left -= static_cast<std::size_t>(written);
    }
    return Ok{};
  });
}

Status write_file_atomically(const std::string& path, const std::function<Status(std::ostream&)>& write) {
  struct stat current {};
  if (::stat(path.c_str(), &current) == 0 && !S_ISREG(current.st_mode)) {  // a device or pipe: as it comes
    std::ofstream out(path, std::ios::binary);
    if (!out) return make_error("cannot write " + path + ": " + std::strerror(errno));
    KH_TRY(write(out));
    out.flush();
    if (!out) return make_error("cannot write " + path + ": " + std::strerror(errno));
    return Ok{};
  }
  return replace_atomically(path, Sync::no, [&](int, const std::string& temp) -> Status {
    std::ofstream out(temp, std::ios::binary | std::ios::trunc);
    if (!out) return make_error("cannot write " + path + ": " + std::strerror(errno));
    KH_TRY(write(out));
    out.flush();
    if (!out) return make_error("cannot write " + path + ": " + std::strerror(errno));
    out.close();
    if (!out) return make_error("cannot write " + path + ": " + std::strerror(errno));
    return Ok{};
  });
}

}  // namespace keyhound
