// The pre-commit hook's heap on transparent huge pages (linked into the binary with mimalloc).
//
// `scan --staged` fills a few megabytes of heap once (the rule set, the index's entries), and on
// a virtual machine the first touch of each 4 KB page traps to the hypervisor: the hook's 1,200
// extra page faults over `git diff --cached` were a fifth of its time. mimalloc backs its
// segments with huge pages when its large_os_pages option is on, but reads that option from the
// environment when it loads; so it is turned on here for the segments made from now on (the
// other threads'), and the main thread's first segment, made before main, is advised by hand.
// Only for --staged: a long scan's heap is large and sparse, where huge pages cost memory.
#include <mimalloc.h>
#include <sys/mman.h>

#include <cstdint>
#include <cstring>

namespace {

constexpr std::uintptr_t kSegmentSize = std::uintptr_t{32} << 20;  // mimalloc 2's segment size and alignment
constexpr std::size_t kHugePage = std::size_t{2} << 20;
constexpr int kCollapse = 25;  // MADV_COLLAPSE

// glibc passes argc, argv and envp to the executable's constructors.
__attribute__((constructor)) void huge_pages_for_the_hook(int argc, char** argv, char**) {
  bool staged = false;
  for (int i = 1; i < argc && !staged; ++i) staged = std::strcmp(argv[i], "--staged") == 0;
  if (!staged) return;
  mi_option_enable(mi_option_large_os_pages);
  // A thread's first segment is otherwise made without huge pages (committed lazily): the rule
  // loading thread's whole heap would be 4 KB pages (decoding the rules took 7.8 ms of CPU, 2.4 ms
  // with this).
  mi_option_set(mi_option_eager_commit_delay, 0);
  void* probe = mi_malloc(16);
  const std::uintptr_t segment = reinterpret_cast<std::uintptr_t>(probe) & ~(kSegmentSize - 1);
  madvise(reinterpret_cast<void*>(segment), kSegmentSize, MADV_HUGEPAGE);  // a miss only costs speed
  // Its first 2 MB already has 4 KB pages (the allocations of the libraries' constructors): made
  // one huge page now (Linux 6.1), the rest of it is not faulted in page by page.
  madvise(reinterpret_cast<void*>(segment), kHugePage, kCollapse);
  mi_free(probe);
}

}  // namespace
