#include "cli/progress.hpp"

#include <fmt/format.h>
#include <unistd.h>

#include <cstdlib>
#include <cstring>
#include <iostream>

namespace keyhound::cli {
namespace {

std::string grouped(std::uint64_t value) {
  std::string digits = std::to_string(value), out;
  for (std::size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out.push_back(',');
    out.push_back(digits[i]);
  }
  return out;
}

constexpr auto kFirstDraw = std::chrono::seconds(1);
constexpr auto kRedraw = std::chrono::milliseconds(250);
constexpr const char* kClearLine = "\r\033[K";

}  // namespace

std::string progress_text(std::uint64_t items, std::uint64_t bytes, std::uint64_t matches, double seconds,
                          const std::string& unit) {
  double megabytes = static_cast<double>(bytes) / 1e6;
  double rate = seconds > 0 ? megabytes / seconds : 0.0;
  return fmt::format("{} {}{}, {:.1f} MB, {:.1f} MB/s, {} match{}", grouped(items), unit,
                     items == 1 ? "" : "s", megabytes, rate, grouped(matches), matches == 1 ? "" : "es");
}

bool progress_wanted(bool quiet) {
  if (quiet || !isatty(STDERR_FILENO)) return false;
  const char* term = std::getenv("TERM");
  return !(term && std::strcmp(term, "dumb") == 0);
}

ProgressLine::ProgressLine(const ScanCounters& counters, std::string unit, bool enabled)
    : counters_(counters),
      unit_(std::move(unit)),
      enabled_(enabled),
      started_(std::chrono::steady_clock::now()) {
  if (enabled_) thread_ = std::thread([this] { run(); });
}

ProgressLine::~ProgressLine() {
  stop();
}

void ProgressLine::stop() {
  {
    std::lock_guard lock(mutex_);
    if (stopping_) return;
    stopping_ = true;
    if (drawn_) std::cerr << kClearLine << std::flush;
    drawn_ = false;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void ProgressLine::print_above(const std::string& line) {
  std::lock_guard lock(mutex_);
  if (drawn_) std::cerr << kClearLine;
  std::cerr << line << '\n';
  if (drawn_) draw_locked();
  std::cerr << std::flush;
}

void ProgressLine::draw_locked() {
  double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started_).count();
  std::cerr << kClearLine
            << progress_text(counters_.blobs.load(std::memory_order_relaxed),
                             counters_.bytes.load(std::memory_order_relaxed),
                             counters_.matches.load(std::memory_order_relaxed), seconds, unit_)
            << std::flush;
  drawn_ = true;
}

void ProgressLine::run() {
  std::unique_lock lock(mutex_);
  // Quick scans (a pre-commit hook) never show a progress line.
  if (wake_.wait_until(lock, started_ + kFirstDraw, [this] { return stopping_; })) return;
  while (!stopping_) {
    draw_locked();
    wake_.wait_for(lock, kRedraw, [this] { return stopping_; });
  }
}

}  // namespace keyhound::cli
