// The engine's ceiling: Hyperscan alone, with the built-in rules' database, over every file of
// a directory (or one file), on one thread: the time no scan of the same bytes can beat. Files
// are read whole (a file over 8 MiB in 8 MiB blocks, as keyhound streams it) before the clock
// runs for each; only hs_scan is timed (thread CPU and wall).
// Build and run: bench/ceiling/run.sh (it compares with `keyhound scan --threads 1`).
#include <algorithm>
#include <cstdio>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <vector>

#include "common/hs_timing.hpp"
#include "match/database.hpp"
#include "rules/loader.hpp"

using namespace keyhound;

int main(int argc, char** argv) {
  if (argc != 3) {
    std::fprintf(stderr, "usage: %s CACHE_DIR PATH\n", argv[0]);
    return 2;
  }
  auto rules = parse_rule_sources(builtin_rule_sources());
  if (!rules) return std::fprintf(stderr, "%s\n", rules.error().message.c_str()), 2;
  auto database = compile_database(*rules, argv[1]);
  if (!database) return std::fprintf(stderr, "%s\n", database.error().message.c_str()), 2;
  hs_scratch_t* scratch = nullptr;
  if (hs_alloc_scratch(database->database.get(), &scratch) != HS_SUCCESS) return 2;
  std::vector<std::filesystem::path> files;
  if (std::filesystem::is_directory(argv[2])) {
    for (const auto& entry : std::filesystem::recursive_directory_iterator(argv[2]))
      if (entry.is_regular_file() && !entry.is_symlink()) files.push_back(entry.path());
  } else {
    files.push_back(argv[2]);
  }
  constexpr std::size_t kBlock = 8u << 20;
  std::vector<char> buffer(kBlock);
  double cpu = 0, wall = 0;
  unsigned long long bytes = 0, hits = 0;
  for (const auto& path : files) {
    std::ifstream in(path, std::ios::binary);
    while (in) {
      in.read(buffer.data(), static_cast<std::streamsize>(buffer.size()));
      std::size_t got = static_cast<std::size_t>(in.gcount());
      if (got == 0) break;
      double cpu_start = bench::clock_of(CLOCK_THREAD_CPUTIME_ID),
             wall_start = bench::clock_of(CLOCK_MONOTONIC);
      hs_scan(database->database.get(), buffer.data(), static_cast<unsigned>(got), 0, scratch,
              bench::count_hit, &hits);
      cpu += bench::clock_of(CLOCK_THREAD_CPUTIME_ID) - cpu_start;
      wall += bench::clock_of(CLOCK_MONOTONIC) - wall_start;
      bytes += got;
    }
  }
  hs_free_scratch(scratch);
  std::printf("files %zu bytes %llu hits %llu hs_cpu %.3f hs_wall %.3f\n", files.size(), bytes, hits, cpu,
              wall);
  return 0;
}
