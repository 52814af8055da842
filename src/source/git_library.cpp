// libgit2's initialization without its TLS certificate store.
//
// Debian builds libgit2 with mbedTLS, and the first git_libgit2_init parses the system's whole
// CA bundle (about 140 certificates, 8 ms here): the largest single cost of a pre-commit hook.
// keyhound never uses libgit2's network transports, so that one load is skipped: the definition
// below comes first in the dynamic linker's search (the executable is searched before the
// libraries), answers "no certificates" while this thread is inside git_libgit2_init, and hands
// every other call to mbedTLS itself. libgit2 then holds an empty chain, so a TLS connection it
// made would fail verification rather than go unchecked.
#include <dlfcn.h>

#include <atomic>

#include "source/git_handles.hpp"

namespace {
thread_local bool initializing_libgit2 = false;
std::atomic<int> skipped_loads{0};
}  // namespace

extern "C" int mbedtls_x509_crt_parse_file(void* chain, const char* path) {
  if (initializing_libgit2) {
    skipped_loads.fetch_add(1, std::memory_order_relaxed);
    return 0;
  }
  using Parse = int (*)(void*, const char*);
  static const auto real = reinterpret_cast<Parse>(dlsym(RTLD_NEXT, "mbedtls_x509_crt_parse_file"));
  return real ? real(chain, path) : -0x3E00;  // MBEDTLS_ERR_PK_FILE_IO_ERROR
}

namespace keyhound {

GitLibrary::GitLibrary() {
  initializing_libgit2 = true;
  git_libgit2_init();
  initializing_libgit2 = false;
}

int skipped_certificate_loads() { return skipped_loads.load(std::memory_order_relaxed); }

}  // namespace keyhound
