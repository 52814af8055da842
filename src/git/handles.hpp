// Owners for libgit2 handles, and the library's init/shutdown pairing.
#pragma once

#include <git2.h>

#include <memory>
#include <string>

namespace keyhound {

struct GitDeleter {
  void operator()(git_repository* p) const { git_repository_free(p); }
  void operator()(git_odb* p) const { git_odb_free(p); }
  void operator()(git_odb_object* p) const { git_odb_object_free(p); }
  void operator()(git_object* p) const { git_object_free(p); }
  void operator()(git_commit* p) const { git_commit_free(p); }
  void operator()(git_tree* p) const { git_tree_free(p); }
  void operator()(git_tree_entry* p) const { git_tree_entry_free(p); }
  void operator()(git_blob* p) const { git_blob_free(p); }
  void operator()(git_index* p) const { git_index_free(p); }
  void operator()(git_reference* p) const { git_reference_free(p); }
  void operator()(git_reference_iterator* p) const { git_reference_iterator_free(p); }
  void operator()(git_reflog* p) const { git_reflog_free(p); }
  void operator()(git_config* p) const { git_config_free(p); }
  void operator()(git_remote* p) const { git_remote_free(p); }
};

using RepositoryPtr = std::unique_ptr<git_repository, GitDeleter>;
using OdbPtr = std::unique_ptr<git_odb, GitDeleter>;
using OdbObjectPtr = std::unique_ptr<git_odb_object, GitDeleter>;
using ObjectPtr = std::unique_ptr<git_object, GitDeleter>;
using CommitPtr = std::unique_ptr<git_commit, GitDeleter>;
using TreePtr = std::unique_ptr<git_tree, GitDeleter>;
using TreeEntryPtr = std::unique_ptr<git_tree_entry, GitDeleter>;
using BlobPtr = std::unique_ptr<git_blob, GitDeleter>;
using IndexPtr = std::unique_ptr<git_index, GitDeleter>;
using ReferencePtr = std::unique_ptr<git_reference, GitDeleter>;
using ReferenceIteratorPtr = std::unique_ptr<git_reference_iterator, GitDeleter>;
using ReflogPtr = std::unique_ptr<git_reflog, GitDeleter>;
using ConfigPtr = std::unique_ptr<git_config, GitDeleter>;
using RemotePtr = std::unique_ptr<git_remote, GitDeleter>;

// libgit2 is initialised once per process, on first use, and never shut down (its state lives
// as long as the process; tearing it down per scan cost an init per source). Every object that
// uses libgit2 holds one of these, so the first use initialises it, without its TLS certificate
// store where keyhound can skip that (library.cpp).
class GitLibrary {
 public:
  GitLibrary();
  GitLibrary(const GitLibrary&) = delete;
  GitLibrary& operator=(const GitLibrary&) = delete;
};

// How many times this process initialised libgit2 (0 or 1).
int libgit2_initializations();

// True when this build skips libgit2's CA bundle load (KEYHOUND_MBEDTLS_INTERPOSE).
bool skips_certificate_load();

// How many CA bundle loads libgit2's initialization has skipped in this process.
int skipped_certificate_loads();

// The message of libgit2's last error on this thread, or `fallback`.
inline std::string git_error_text(const char* fallback = "unknown libgit2 error") {
  const git_error* error = git_error_last();
  return error && error->message ? error->message : fallback;
}

inline std::string oid_hex(const git_oid& oid) {
  char text[GIT_OID_HEXSZ + 1];
  git_oid_tostr(text, sizeof text, &oid);
  return text;
}

// Hash for unordered containers keyed by oid: the id is already uniformly random.
struct OidHash {
  std::size_t operator()(const git_oid& oid) const {
    std::size_t value;
    static_assert(sizeof value <= GIT_OID_RAWSZ);
    __builtin_memcpy(&value, oid.id, sizeof value);
    return value;
  }
};
struct OidEqual {
  bool operator()(const git_oid& a, const git_oid& b) const { return git_oid_equal(&a, &b); }
};

}  // namespace keyhound
