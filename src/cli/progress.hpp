// The progress line on stderr while a scan runs: only on a terminal, only once the scan has
// taken a second, redrawn in place with \r and cleared when the scan ends.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <string>
#include <thread>

#include "pipeline/scan.hpp"

namespace keyhound::cli {

// "12,345 files, 410.2 MB, 180.3 MB/s, 7 matches": `unit` is "file" or "blob".
std::string progress_text(std::uint64_t items, std::uint64_t bytes, std::uint64_t matches, double seconds,
                          const std::string& unit);

// True when a progress line makes sense: stderr is a terminal (not "dumb") and not --quiet.
bool progress_wanted(bool quiet);

class ProgressLine {
 public:
  // Does nothing at all unless `enabled`.
  ProgressLine(const ScanCounters& counters, std::string unit, bool enabled);
  ~ProgressLine();
  ProgressLine(const ProgressLine&) = delete;
  ProgressLine& operator=(const ProgressLine&) = delete;

  // Prints a whole line (a warning) on stderr without tearing the progress line.
  void print_above(const std::string& line);
  // Stops the thread and clears the line; the destructor does it too.
  void stop();

 private:
  void run();
  void draw_locked();

  const ScanCounters& counters_;
  std::string unit_;
  bool enabled_;
  std::chrono::steady_clock::time_point started_;
  std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;
  bool drawn_ = false;
  std::thread thread_;
};

}  // namespace keyhound::cli
