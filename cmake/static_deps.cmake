# KEYHOUND_STATIC_DEPS: the third-party libraries that have Debian static archives are linked
# from them, not loaded at run time.
#
# A pre-commit hook starts the binary once per commit, and the dynamic linker's work was a third
# of it: 28 shared libraries (libgit2 alone brings 14, among them OpenSSL's libcrypto through
# libssh2), 8,500 symbol lookups and 29,000 relocations, each library's pages faulted in one by
# one on a virtual machine. From the archives the linker takes only the objects keyhound calls,
# resolved at build time. fmt and toml++ (no archives) are used header-only, so that the binary
# can take libstdc++ statically too (CMakeLists.txt); libgit2's Kerberos (no archive) is answered
# by src/git/no_kerberos.cpp. Left shared: libc, libm and mimalloc (it must stay ahead of libc).
# The binary stays position-independent.
set(static_deps_found ON)
foreach(archive hs re2 yaml-cpp git2 ssh2 mbedtls mbedx509 mbedcrypto http_parser pcre2-8 z deflate crypto)
  find_library(KEYHOUND_ARCHIVE_${archive} NAMES lib${archive}.a)
  if(NOT KEYHOUND_ARCHIVE_${archive})
    set(static_deps_found OFF)
  endif()
endforeach()
# Off by default in the sanitizer and fuzz builds: they measure no start-up, and their leak
# suppressions name libgit2's shared libraries (tests/sanitizer/lsan.supp).
set(static_deps_default ${static_deps_found})
if(KEYHOUND_SANITIZE OR KEYHOUND_FUZZ)
  set(static_deps_default OFF)
endif()
option(KEYHOUND_STATIC_DEPS "Link libgit2, Hyperscan, RE2, yaml-cpp, zlib, libdeflate and libcrypto from their archives"
       ${static_deps_default})
if(KEYHOUND_STATIC_DEPS AND NOT static_deps_found)
  message(FATAL_ERROR "KEYHOUND_STATIC_DEPS=ON but a static archive is missing (see KEYHOUND_ARCHIVE_* in CMakeCache.txt)")
endif()

set(KEYHOUND_FMT fmt::fmt)
if(KEYHOUND_STATIC_DEPS)
  set(KEYHOUND_FMT fmt::fmt-header-only)
  set(TOMLPP_LINK_LIBRARIES "")
  set(TOMLPP_CFLAGS ${TOMLPP_CFLAGS_OTHER} -DTOML_HEADER_ONLY=1)
  list(FILTER TOMLPP_CFLAGS EXCLUDE REGEX "TOML_HEADER_ONLY=0|TOML_SHARED_LIB")
  macro(keyhound_archive_of target)
    set_property(TARGET ${target} PROPERTY INTERFACE_LINK_LIBRARIES ${ARGN})
  endmacro()
  keyhound_archive_of(PkgConfig::HS ${KEYHOUND_ARCHIVE_hs} m)
  keyhound_archive_of(PkgConfig::RE2 ${KEYHOUND_ARCHIVE_re2} Threads::Threads)
  keyhound_archive_of(PkgConfig::DEFLATE ${KEYHOUND_ARCHIVE_deflate})
  # libgit2, then what it calls, each after its callers (libssh2 needs libcrypto).
  add_library(keyhound_no_kerberos STATIC ${PROJECT_SOURCE_DIR}/src/no_kerberos.cpp)
  keyhound_archive_of(PkgConfig::LIBGIT2 ${KEYHOUND_ARCHIVE_git2} keyhound_no_kerberos ${KEYHOUND_ARCHIVE_mbedtls} ${KEYHOUND_ARCHIVE_mbedx509}
                      ${KEYHOUND_ARCHIVE_mbedcrypto} ${KEYHOUND_ARCHIVE_http_parser} ${KEYHOUND_ARCHIVE_ssh2}
                      ${KEYHOUND_ARCHIVE_pcre2-8} ${KEYHOUND_ARCHIVE_crypto} ${KEYHOUND_ARCHIVE_z}
                      rt Threads::Threads ${CMAKE_DL_LIBS})
  # src/git/library.cpp's certificate-load skip: with mbedTLS linked in, it wraps the call at link
  # time instead of interposing it at load time.
  # libssh2's start-up (OpenSSL's with it) is skipped the same way.
  set_property(TARGET PkgConfig::LIBGIT2 PROPERTY INTERFACE_LINK_OPTIONS -Wl,--wrap=mbedtls_x509_crt_parse_file
                                                                            -Wl,--wrap=libssh2_init)
  foreach(pair "OpenSSL::Crypto=crypto" "ZLIB::ZLIB=z" "yaml-cpp=yaml-cpp")
    string(REPLACE "=" ";" pair ${pair})
    list(GET pair 0 target)
    list(GET pair 1 archive)
    set_property(TARGET ${target} PROPERTY IMPORTED_LOCATION ${KEYHOUND_ARCHIVE_${archive}})
    get_target_property(configurations ${target} IMPORTED_CONFIGURATIONS)
    foreach(configuration ${configurations})
      set_property(TARGET ${target} PROPERTY IMPORTED_LOCATION_${configuration} ${KEYHOUND_ARCHIVE_${archive}})
    endforeach()
  endforeach()
  set_property(TARGET OpenSSL::Crypto PROPERTY INTERFACE_LINK_LIBRARIES Threads::Threads ${CMAKE_DL_LIBS})
endif()
