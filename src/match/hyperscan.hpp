// Owners for Hyperscan's C resources.
#pragma once

#include <hs/hs.h>
#include <sys/mman.h>

#include <cstddef>
#include <memory>

namespace keyhound {

// A database is Hyperscan's allocation, or (mapped != 0) a mapping of that many bytes that
// hs_deserialize_database_at filled (database.cpp).
struct HsDatabaseFree {
  std::size_t mapped = 0;
  void operator()(hs_database_t* db) const {
    if (mapped)
      munmap(db, mapped);
    else
      hs_free_database(db);
  }
};
struct HsScratchFree {
  void operator()(hs_scratch_t* scratch) const { hs_free_scratch(scratch); }
};
struct HsCompileErrorFree {
  void operator()(hs_compile_error_t* error) const { hs_free_compile_error(error); }
};

using HsDatabase = std::unique_ptr<hs_database_t, HsDatabaseFree>;
using HsScratch = std::unique_ptr<hs_scratch_t, HsScratchFree>;
using HsCompileError = std::unique_ptr<hs_compile_error_t, HsCompileErrorFree>;

}  // namespace keyhound
