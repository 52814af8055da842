// Worker threads for the git sources and the one place that reads a blob.
#include "git/workers.hpp"

#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <thread>
#include <vector>

#include "git/repository.hpp"

namespace keyhound {

Status run_git_workers(const std::string& git_dir, std::size_t count, unsigned threads, std::size_t chunk,
                       const ItemWork& work, bool yield) {
  threads = std::max(1u, threads);
  chunk = std::max<std::size_t>(1, chunk);
  std::vector<RepositoryPtr> repos;
  for (unsigned i = 0; i < threads; ++i) {
    KH_TRY_ASSIGN(auto repo, reopen_repository(git_dir));
    repos.push_back(std::move(repo));
  }
  std::atomic<std::size_t> next{0};
  auto loop = [&](unsigned worker) {
    while (true) {
      // Chunks shrink towards the end, so no worker is left with a long last chunk alone.
      std::size_t begin = next.load(), size = 0;
      do {
        if (begin >= count) return;
        size =
            std::clamp<std::size_t>((count - begin) / (4 * threads), std::min<std::size_t>(chunk, 64), chunk);
      } while (!next.compare_exchange_weak(begin, begin + size));
      std::size_t end = std::min(count, begin + size);
      for (std::size_t i = begin; i < end; ++i) work(worker, repos[worker].get(), i);
    }
  };
  std::vector<std::thread> pool;
  if (yield) {
    // Linux keeps a nice value per thread; raising one's own by 3 needs no privilege. (The
    // calling thread only waits: it keeps its priority for what comes after.)
    for (unsigned i = 0; i < threads; ++i)
      pool.emplace_back([&loop, i] {
        auto self = static_cast<id_t>(gettid());
        errno = 0;
        int nice = getpriority(PRIO_PROCESS, self);  // -1 is a valid value: errno tells
        if (errno == 0) setpriority(PRIO_PROCESS, self, std::min(nice + 3, 19));
        loop(i);
      });
  } else {
    for (unsigned i = 1; i < threads; ++i) pool.emplace_back(loop, i);
    loop(0);
  }
  for (auto& thread : pool) thread.join();
  return Ok{};
}

ReadBlob read_blob(git_odb* odb, const git_oid& oid, std::uint64_t max_size) {
  ReadBlob out;
  std::size_t size = 0;
  git_object_t type = GIT_OBJECT_INVALID;
  // The header alone gives the size, so an oversized blob is never inflated.
  if (git_odb_read_header(&size, &type, odb, &oid) != 0) {
    out.error = "blob missing or corrupt: " + git_error_text();
    git_error_clear();
    return out;
  }
  out.size = size;
  if (size > max_size) {
    out.too_large = true;
    return out;
  }
  git_odb_object* raw = nullptr;
  if (git_odb_read(&raw, odb, &oid) != 0) {
    out.error = "blob missing or corrupt: " + git_error_text();
    git_error_clear();
    return out;
  }
  out.object.reset(raw);
  if (git_odb_object_type(raw) != GIT_OBJECT_BLOB) {
    out.object.reset();
    out.error = "object is not a blob";
  }
  return out;
}

}  // namespace keyhound
