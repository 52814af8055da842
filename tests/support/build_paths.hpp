// Where the build put things. The paths are compiled into build_paths.cpp alone, so that every
// other test object is the same in any checkout and ccache can share it between worktrees.
#pragma once

namespace keyhound::testing {
const char* keyhound_bin_path();
const char* source_dir_path();
const char* test_cache_dir_path();
}  // namespace keyhound::testing

#define KEYHOUND_BIN (::keyhound::testing::keyhound_bin_path())
#define KEYHOUND_SOURCE_DIR (::keyhound::testing::source_dir_path())
#define KEYHOUND_TEST_CACHE_DIR (::keyhound::testing::test_cache_dir_path())
