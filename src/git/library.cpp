// libgit2's one initialisation per process, and (with KEYHOUND_MBEDTLS_INTERPOSE) without its
// TLS certificate store.
//
// Debian builds libgit2 with mbedTLS, and git_libgit2_init parses the system's whole CA bundle
// (about 140 certificates, 8 ms here): the largest single cost of a pre-commit hook. keyhound
// never uses libgit2's network transports, so that one load is skipped: the definition below
// comes first in the dynamic linker's search (the executable is searched before the libraries),
// answers "no certificates" while this thread is inside git_libgit2_init, and hands every other
// call to mbedTLS itself. libgit2 then holds an empty chain, so a TLS connection it made would
// fail verification rather than go unchecked. CMake turns the option off when libgit2 is not
// built with mbedTLS (the interposition would then do nothing). With KEYHOUND_STATIC_DEPS the
// linker does the same (--wrap), mbedTLS being linked in.
#include <dlfcn.h>

#include <atomic>
#include <mutex>

#include "git/handles.hpp"

namespace {
thread_local bool initializing_libgit2 = false;
std::atomic<int> skipped_loads{0};
std::atomic<int> initializations{0};
}  // namespace

#if KEYHOUND_MBEDTLS_INTERPOSE && KEYHOUND_STATIC_DEPS
// mbedTLS linked in from its archive (cmake/static_deps.cmake): the linker sends libgit2's call
// here (--wrap), and __real_ is mbedTLS's own function.
extern "C" int __real_mbedtls_x509_crt_parse_file(void* chain, const char* path);
extern "C" int __wrap_mbedtls_x509_crt_parse_file(void* chain, const char* path) {
  if (initializing_libgit2) {
    skipped_loads.fetch_add(1, std::memory_order_relaxed);
    return 0;
  }
  return __real_mbedtls_x509_crt_parse_file(chain, path);
}
#elif KEYHOUND_MBEDTLS_INTERPOSE
extern "C" int mbedtls_x509_crt_parse_file(void* chain, const char* path) {
  if (initializing_libgit2) {
    skipped_loads.fetch_add(1, std::memory_order_relaxed);
    return 0;
  }
  using Parse = int (*)(void*, const char*);
  static const auto real = reinterpret_cast<Parse>(dlsym(RTLD_NEXT, "mbedtls_x509_crt_parse_file"));
  return real ? real(chain, path) : -0x3E00;  // MBEDTLS_ERR_PK_FILE_IO_ERROR
}
#endif

#if KEYHOUND_STATIC_DEPS
// libssh2 linked in too: its start-up initialises OpenSSL and loads its error strings (freeing
// them at exit), 1 ms of a pre-commit run for an SSH transport keyhound never opens. Skipped
// inside git_libgit2_init; libssh2 initialises itself when a session is made.
extern "C" int __real_libssh2_init(int flags);
extern "C" int __wrap_libssh2_init(int flags) {
  return initializing_libgit2 ? 0 : __real_libssh2_init(flags);
}
#endif

namespace keyhound {

GitLibrary::GitLibrary() {
  static std::once_flag once;
  std::call_once(once, [] {
    initializing_libgit2 = true;
    git_libgit2_init();
    initializing_libgit2 = false;
    initializations.fetch_add(1, std::memory_order_relaxed);
  });
}

int skipped_certificate_loads() {
  return skipped_loads.load(std::memory_order_relaxed);
}

int libgit2_initializations() {
  return initializations.load(std::memory_order_relaxed);
}

bool skips_certificate_load() {
  return KEYHOUND_MBEDTLS_INTERPOSE != 0;
}

}  // namespace keyhound
