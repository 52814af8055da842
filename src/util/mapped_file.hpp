// A read-only mapping of a whole file, unmapped when it goes away.
#pragma once

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstddef>
#include <string>

namespace keyhound {

class MappedFile {
 public:
  // prefault: read every page in with the mapping (MAP_POPULATE), for a file that is read
  // whole at once: one call instead of a page fault per 4 KB, which a virtual machine makes dear.
  enum class Prefault { no, yes };

  MappedFile() = default;
  explicit MappedFile(const std::string& path, Prefault prefault = Prefault::no) {
    // O_NONBLOCK: a FIFO named like a pack must not block the scan; only regular files are mapped.
    int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK);
    if (fd < 0) return;
    struct stat info {};
    if (::fstat(fd, &info) == 0 && S_ISREG(info.st_mode) && info.st_size > 0) {
      int flags = MAP_PRIVATE | (prefault == Prefault::yes ? MAP_POPULATE : 0);
      void* data = ::mmap(nullptr, static_cast<std::size_t>(info.st_size), PROT_READ, flags, fd, 0);
      if (data != MAP_FAILED) {
        data_ = static_cast<const unsigned char*>(data);
        size_ = static_cast<std::size_t>(info.st_size);
      }
    }
    ::close(fd);
  }
  ~MappedFile() {
    if (data_) ::munmap(const_cast<unsigned char*>(data_), size_);
  }
  MappedFile(MappedFile&& other) noexcept : data_(other.data_), size_(other.size_) {
    other.data_ = nullptr;
    other.size_ = 0;
  }
  MappedFile& operator=(MappedFile&& other) noexcept {
    std::swap(data_, other.data_);
    std::swap(size_, other.size_);
    return *this;
  }
  MappedFile(const MappedFile&) = delete;
  MappedFile& operator=(const MappedFile&) = delete;

  const unsigned char* data() const { return data_; }
  std::size_t size() const { return size_; }
  // Gives the mapped pages back (they stay in the page cache): the process's resident memory
  // drops, and reading them again costs a minor fault each. Safe while other threads read.
  void release_pages() const {
    if (data_) ::madvise(const_cast<unsigned char*>(data_), size_, MADV_DONTNEED);
  }

 private:
  const unsigned char* data_ = nullptr;
  std::size_t size_ = 0;
};

}  // namespace keyhound
