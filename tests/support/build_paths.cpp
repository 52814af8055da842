#include "support/build_paths.hpp"

namespace keyhound::testing {
const char* keyhound_bin_path() {
  return KH_BUILD_KEYHOUND_BIN;
}
const char* source_dir_path() {
  return KH_BUILD_SOURCE_DIR;
}
const char* test_cache_dir_path() {
  return KH_BUILD_TEST_CACHE_DIR;
}
}  // namespace keyhound::testing
