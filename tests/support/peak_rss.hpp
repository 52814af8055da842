// This process's memory as the kernel counts it (/proc/self/status), for the tests that bound a
// scan's peak RSS: reset the peak, run the scan, read how far the peak grew.
#pragma once

#include <gtest/gtest.h>

#include <cstdint>
#include <fstream>
#include <string>

namespace keyhound::testing {

// A "<field>: <n> kB" line of /proc/self/status, in KiB.
inline std::uint64_t status_kib(const std::string& field) {
  std::ifstream status("/proc/self/status");
  for (std::string line; std::getline(status, line);)
    if (line.rfind(field + ":", 0) == 0) return std::stoull(line.substr(field.size() + 1));
  ADD_FAILURE() << field << " missing from /proc/self/status";
  return 0;
}

// Resets the peak (VmHWM) to the current RSS (writing 5 to clear_refs); returns that RSS in KiB.
inline std::uint64_t reset_peak_rss() {
  {
    std::ofstream reset("/proc/self/clear_refs");
    reset << "5";
  }
  std::uint64_t now = status_kib("VmRSS");
  EXPECT_LE(status_kib("VmHWM"), now + 1024) << "the peak was not reset";
  return now;
}

// How far the peak grew over `before` (reset_peak_rss's result), in MiB.
inline double peak_growth_mib(std::uint64_t before) {
  return static_cast<double>(status_kib("VmHWM") - before) / 1024;
}

}  // namespace keyhound::testing
