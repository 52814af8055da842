// Profiling helper for the directory benchmark: where keyhound's matching time goes, per rule.
// Replays the matcher's two passes over every file of a corpus with the built-in rules: one
// Hyperscan scan per file (timed), then, per rule, RE2 over the same windows as
// Matcher::scan's confirm step (timed per rule), and prints the rules by RE2 time.
// Build and run: bench/dir/hits.sh [CORPUS_DIR]
#include <re2/re2.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <sstream>

#include "match/database.hpp"
#include "rules/loader.hpp"

using namespace keyhound;

namespace {

struct Hit {
  unsigned rule;
  std::size_t end;
};

struct PerRule {
  std::uint64_t hits = 0;          // Hyperscan matches
  std::uint64_t windows = 0;       // RE2 calls' windows (hits not covered by a previous match)
  std::uint64_t window_bytes = 0;  // bytes those windows span
  std::uint64_t confirmed = 0;     // RE2 matches
  double re2_seconds = 0;
};

int on_hit(unsigned id, unsigned long long, unsigned long long to, unsigned, void* context) {
  static_cast<std::vector<Hit>*>(context)->push_back({id, static_cast<std::size_t>(to)});
  return 0;
}

// Thread CPU time, so that other processes on a busy machine do not count.
double cpu_now() {
  timespec now{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &now);
  return static_cast<double>(now.tv_sec) + static_cast<double>(now.tv_nsec) / 1e9;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: %s CORPUS_DIR\n", argv[0]);
    return 2;
  }
  // RULES=DIR replays another rule set (rules/ of a worktree) without rebuilding the library.
  auto sources = std::getenv("RULES") ? rule_sources_from_path(std::getenv("RULES"))
                                      : Result<std::vector<RuleSource>>(builtin_rule_sources());
  if (!sources) {
    std::fprintf(stderr, "%s\n", sources.error().message.c_str());
    return 2;
  }
  auto rules = parse_rule_sources(*sources);
  if (!rules) {
    std::fprintf(stderr, "%s\n", rules.error().message.c_str());
    return 2;
  }
  auto database = compile_database(*rules, "");
  if (!database) {
    std::fprintf(stderr, "%s\n", database.error().message.c_str());
    return 2;
  }
  hs_scratch_t* scratch = nullptr;
  hs_alloc_scratch(database->database.get(), &scratch);

  RE2::Options options;
  options.set_log_errors(false);
  options.set_encoding(RE2::Options::EncodingLatin1);
  options.set_max_mem(32 << 20);  // as regex_options() in src/match/matcher.cpp
  std::vector<std::unique_ptr<RE2>> regexes;
  std::vector<std::size_t> lookbehind, lookahead;
  std::vector<std::pair<double, std::size_t>> compile_seconds;  // RE2 constructors, by rule
  for (std::size_t i = 0; i < rules->size(); ++i) {
    double compile_start = cpu_now();
    regexes.push_back(std::make_unique<RE2>((*rules)[i].pattern, options));
    compile_seconds.emplace_back(cpu_now() - compile_start, i);
    // Window sizes as in Matcher::build (src/match/matcher.cpp).
    const PatternWidth& width = database->match_widths[i];
    bool around = (*rules)[i].searched_around_hits();
    std::size_t behind = 16384, ahead = around ? 16384 : 1024;
    if (width.max != PatternWidth::kUnbounded) {
      behind = width.max + 1;
      ahead = around ? width.max + 1 : width.max - width.min + 1;
    }
    lookbehind.push_back(behind);
    lookahead.push_back(ahead);
  }
  {  // the matcher compiles a rule's RE2 at its first hit: this is what each hit rule costs once
    double total = 0;
    for (auto& [seconds, rule] : compile_seconds) total += seconds;
    std::sort(compile_seconds.rbegin(), compile_seconds.rend());
    std::printf("RE2 compile (all %zu rules) %.3f s; slowest:\n", compile_seconds.size(), total);
    for (std::size_t k = 0; k < 8 && k < compile_seconds.size(); ++k)
      std::printf("  %-36s %.4f s\n", (*rules)[compile_seconds[k].second].id.c_str(),
                  compile_seconds[k].first);
  }

  std::vector<PerRule> per_rule(rules->size());
  std::vector<Hit> hits;
  std::vector<re2::StringPiece> groups(64);
  double hs_seconds = 0;
  std::uint64_t files = 0, bytes = 0;
  std::string buffer;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(argv[1])) {
    if (!entry.is_regular_file()) continue;
    std::ifstream in(entry.path(), std::ios::binary);
    buffer.assign(std::istreambuf_iterator<char>(in), {});
    ++files;
    bytes += buffer.size();
    if (buffer.empty()) continue;
    hits.clear();
    double started = cpu_now();
    hs_scan(database->database.get(), buffer.data(), static_cast<unsigned>(buffer.size()), 0, scratch, on_hit,
            &hits);
    hs_seconds += cpu_now() - started;
    std::stable_sort(hits.begin(), hits.end(), [](const Hit& a, const Hit& b) { return a.rule < b.rule; });
    for (std::size_t i = 0; i < hits.size();) {
      std::size_t j = i;
      unsigned rule = hits[i].rule;
      while (j < hits.size() && hits[j].rule == rule) ++j;
      PerRule& stats = per_rule[rule];
      const RE2& regex = *regexes[rule];
      int group_count = regex.NumberOfCapturingGroups() + 1;
      re2::StringPiece text(buffer.data(), buffer.size());
      double confirm_started = cpu_now();
      std::size_t covered_until = 0;
      for (std::size_t k = i; k < j; ++k) {
        ++stats.hits;
        std::size_t end = hits[k].end;
        if (end <= covered_until && covered_until != 0) continue;
        std::size_t window_start = end > lookbehind[rule] ? end - lookbehind[rule] : 0;
        std::size_t window_end = std::min(buffer.size(), end + lookahead[rule]);
        ++stats.windows;
        stats.window_bytes += window_end - window_start;
        covered_until = end;
        std::size_t position = window_start;
        while (position <= window_end &&
               regex.Match(text, position, window_end, RE2::UNANCHORED, groups.data(), group_count)) {
          ++stats.confirmed;
          std::size_t match_end =
              static_cast<std::size_t>(groups[0].data() - buffer.data()) + groups[0].size();
          covered_until = std::max(covered_until, match_end);
          position = groups[0].empty() ? match_end + 1 : match_end;
        }
      }
      stats.re2_seconds += cpu_now() - confirm_started;
      i = j;
    }
  }
  hs_free_scratch(scratch);

  double re2_total = 0;
  std::vector<std::size_t> order(rules->size());
  for (std::size_t i = 0; i < order.size(); ++i) {
    order[i] = i;
    re2_total += per_rule[i].re2_seconds;
  }
  std::sort(order.begin(), order.end(),
            [&](std::size_t a, std::size_t b) { return per_rule[a].re2_seconds > per_rule[b].re2_seconds; });
  std::printf("%llu files, %.0f MB, %zu rules\n", static_cast<unsigned long long>(files), bytes / 1e6,
              rules->size());
  std::uint64_t all_hits = 0, all_windows = 0;
  for (const PerRule& s : per_rule) {
    all_hits += s.hits;
    all_windows += s.windows;
  }
  std::printf("CPU seconds: Hyperscan %.2f (%.0f MB/s); RE2 confirm %.2f (%llu hits, %llu windows)\n",
              hs_seconds, bytes / 1e6 / hs_seconds, re2_total, static_cast<unsigned long long>(all_hits),
              static_cast<unsigned long long>(all_windows));
  std::printf("%-36s %8s %8s %10s %9s %8s %6s %9s\n", "rule (by RE2 time)", "hs hits", "windows", "window MB",
              "confirmed", "RE2 s", "share", "RE2 prog");
  for (std::size_t n = 0; n < order.size() && n < (std::getenv("TOP") ? std::atoi(std::getenv("TOP")) : 25);
       ++n) {
    const PerRule& s = per_rule[order[n]];
    if (s.hits == 0) break;
    std::printf("%-36s %8llu %8llu %10.2f %9llu %8.3f %5.1f%% %9d\n", (*rules)[order[n]].id.c_str(),
                static_cast<unsigned long long>(s.hits), static_cast<unsigned long long>(s.windows),
                s.window_bytes / 1e6, static_cast<unsigned long long>(s.confirmed), s.re2_seconds,
                100 * s.re2_seconds / re2_total, regexes[order[n]]->ProgramSize());
  }
  // What a scan pays to compile RE2s at first hits, and how much of it goes to rules that
  // confirm nothing here (candidates for a stricter Hyperscan expression).
  std::vector<double> compile_cost(rules->size());
  for (auto& [seconds, rule] : compile_seconds) compile_cost[rule] = seconds;
  double hit_compile = 0, idle_compile = 0, idle_re2 = 0;
  std::size_t hit_rules = 0, idle_rules = 0;
  std::vector<std::size_t> idle;
  for (std::size_t i = 0; i < rules->size(); ++i) {
    if (per_rule[i].hits == 0) continue;
    ++hit_rules;
    hit_compile += compile_cost[i];
    if (per_rule[i].confirmed != 0) continue;
    ++idle_rules;
    idle_compile += compile_cost[i];
    idle_re2 += per_rule[i].re2_seconds;
    idle.push_back(i);
  }
  std::printf(
      "\nrules hit: %zu (RE2 compile %.3f s); hit but nothing confirmed: %zu (compile %.3f s, RE2 %.3f s)\n",
      hit_rules, hit_compile, idle_rules, idle_compile, idle_re2);
  std::sort(idle.begin(), idle.end(), [&](std::size_t a, std::size_t b) {
    return compile_cost[a] + per_rule[a].re2_seconds > compile_cost[b] + per_rule[b].re2_seconds;
  });
  std::printf("%-36s %8s %8s %10s %10s  %s\n", "hit, unconfirmed (by cost)", "hs hits", "windows",
              "compile s", "RE2 s", "Hyperscan keyword / prefilter");
  for (std::size_t i : idle)
    std::printf("%-36s %8llu %8llu %10.4f %10.4f  %s\n", (*rules)[i].id.c_str(),
                static_cast<unsigned long long>(per_rule[i].hits),
                static_cast<unsigned long long>(per_rule[i].windows), compile_cost[i],
                per_rule[i].re2_seconds,
                !(*rules)[i].prefilter.empty() ? (*rules)[i].prefilter.c_str()
                : (*rules)[i].keywords.empty() ? "(pattern)"
                                               : (*rules)[i].keywords[0].c_str());
  return 0;
}
