// Profiling helper: what the built-in rules cost Hyperscan alone (thread CPU of hs_scan over a
// corpus held in memory, best of 3), for the whole rule set or a part of it. A rule that costs
// much alone (an expression without a literal to start from) shows up in `each`.
//   bench/dir/hs_cost.sh CORPUS [all] [one:RULE_ID] [drop:RULE_ID] [expr:REGEX] [each]
// RULES=DIR takes the rules from DIR (another worktree's rules/) instead of the built-in ones.
#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "common/hs_timing.hpp"
#include "match/database.hpp"
#include "rules/loader.hpp"

using namespace keyhound;

namespace {

// hs_scan seconds (best of 3) and hits of `rules` over `files`; negative when they do not compile.
double cost(const RuleList& rules, const std::vector<std::string>& files, unsigned long long& hits) {
  auto database = compile_database(rules, "");
  if (!database) {
    std::fprintf(stderr, "%s\n", database.error().message.c_str());
    return -1;
  }
  hs_scratch_t* scratch = nullptr;
  hs_alloc_scratch(database->database.get(), &scratch);
  double best = 1e9;
  for (int round = 0; round < 3; ++round) {
    hits = 0;
    double started = bench::clock_of(CLOCK_THREAD_CPUTIME_ID);
    for (const auto& file : files)
      if (!file.empty())
        hs_scan(database->database.get(), file.data(), static_cast<unsigned>(file.size()), 0, scratch,
                bench::count_hit, &hits);
    best = std::min(best, bench::clock_of(CLOCK_THREAD_CPUTIME_ID) - started);
  }
  hs_free_scratch(scratch);
  return best;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: %s CORPUS [all|one:ID|drop:ID|expr:REGEX|each]...\n", argv[0]);
    return 2;
  }
  auto sources = std::getenv("RULES") ? rule_sources_from_path(std::getenv("RULES"))
                                      : Result<std::vector<RuleSource>>(builtin_rule_sources());
  auto all = sources ? parse_rule_sources(*sources) : Result<RuleList>(sources.error());
  if (!all) {
    std::fprintf(stderr, "%s\n", all.error().message.c_str());
    return 2;
  }
  std::vector<std::string> files;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(argv[1])) {
    if (!entry.is_regular_file()) continue;
    std::ifstream in(entry.path(), std::ios::binary);
    files.emplace_back(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  }
  std::vector<std::string> modes(argv + 2, argv + argc);
  if (modes.empty()) modes.push_back("all");
  for (const std::string& mode : modes) {
    std::vector<std::pair<std::string, RuleList>> runs;  // label, rules
    if (mode == "each") {
      runs.push_back({"expr:abcdef (floor)", {}});
      runs.back().second.push_back((*all)[0]);
      runs.back().second.back().keywords.clear();
      runs.back().second.back().prefilter = "abcdef";
      for (const Rule& rule : *all)
        if (rule.keywords.empty()) runs.push_back({"one:" + rule.id, {rule}});
    } else if (mode.rfind("expr:", 0) == 0) {
      Rule rule = (*all)[0];
      rule.keywords.clear();
      rule.prefilter = mode.substr(5);
      runs.push_back({mode, {rule}});
    } else {
      RuleList picked;
      for (const Rule& rule : *all) {
        if (mode.rfind("one:", 0) == 0 && rule.id != mode.substr(4)) continue;
        if (mode.rfind("drop:", 0) == 0 && rule.id == mode.substr(5)) continue;
        picked.push_back(rule);
      }
      runs.push_back({mode, picked});
    }
    std::vector<std::pair<double, std::string>> lines;
    for (const auto& [label, rules] : runs) {
      unsigned long long hits = 0;
      double seconds = cost(rules, files, hits);
      char line[512];
      std::snprintf(line, sizeof line, "%-48s rules %4zu  hs_scan %.3f s  hits %llu", label.c_str(),
                    rules.size(), seconds, hits);
      lines.push_back({mode == "each" ? -seconds : 0, line});
    }
    std::stable_sort(lines.begin(), lines.end());
    for (const auto& [ignored, line] : lines) std::printf("%s\n", line.c_str());
  }
  return 0;
}
