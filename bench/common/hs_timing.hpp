// What the Hyperscan-alone bench programs (bench/ceiling, bench/dir/hs_cost) share: a clock
// reading and a match handler that only counts.
#pragma once

#include <ctime>

namespace keyhound::bench {

// Seconds on `id` (CLOCK_THREAD_CPUTIME_ID for CPU, CLOCK_MONOTONIC for wall).
inline double clock_of(clockid_t id) {
  timespec now{};
  clock_gettime(id, &now);
  return static_cast<double>(now.tv_sec) + static_cast<double>(now.tv_nsec) / 1e9;
}

// hs_scan's handler: counts the hits in the unsigned long long `hits` points at, never stops.
inline int count_hit(unsigned, unsigned long long, unsigned long long, unsigned, void* hits) {
  ++*static_cast<unsigned long long*>(hits);
  return 0;
}

}  // namespace keyhound::bench
