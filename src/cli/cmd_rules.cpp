// keyhound rules list | check [FILE...]
#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <iostream>
#include <map>

#include "cli/common.hpp"
#include "rules/loader.hpp"

namespace keyhound::cli {
namespace {

struct RulesOptions {
  RuleOptions rules;
  std::vector<std::string> files;  // for check: only these files' rules
  std::string category;            // for list: only this category's rules
};

int run_list(const RulesOptions& options) {
  if (!options.category.empty() && std::none_of(std::begin(kCategories), std::end(kCategories),
                                                [&](const char* known) { return options.category == known; }))
    return fail(fmt::format("--category: unknown category '{}' (one of: {})", options.category,
                            fmt::join(std::begin(kCategories), std::end(kCategories), ", ")));
  auto rules = load_rules(options.rules);
  if (!rules) return fail(rules.error().message);
  std::map<std::string, std::size_t> per_category;
  std::size_t shown = 0;
  for (const auto& rule : *rules) {
    if (!options.category.empty() && rule.category != options.category) continue;
    std::cout << fmt::format("{:<48} {:<14} {:<7} {}\n", rule.id, rule.category.empty() ? "-" : rule.category,
                             to_string(rule.confidence), rule.name);
    ++per_category[rule.category.empty() ? "-" : rule.category];
    ++shown;
  }
  std::vector<std::string> counts;
  for (const auto& [category, count] : per_category) counts.push_back(fmt::format("{} {}", category, count));
  std::cout << fmt::format("{} rules ({})\n", shown, fmt::join(counts, ", "));
  return kClean;
}

// What every rule must carry besides passing examples: how it was made and how to test it.
std::vector<std::string> missing_parts(const Rule& rule) {
  std::vector<std::string> missing;
  if (rule.category.empty()) missing.push_back("has no category");
  if (rule.references.empty()) missing.push_back("has no references");
  if (rule.description.empty()) missing.push_back("has no description");
  if (rule.examples.size() < 2) missing.push_back("needs at least 2 examples");
  if (rule.negative_examples.size() < 2) missing.push_back("needs at least 2 negative examples");
  return missing;
}

bool has_match_of(const Matcher& matcher, MatchScratch& scratch, std::string_view text, std::uint32_t rule) {
  std::vector<Match> matches;
  matcher.scan(text, scratch, matches);
  for (const auto& match : matches)
    if (match.rule == rule) return true;
  return false;
}

// Every example must produce the rule's finding and no negative example may.
int run_check(const RulesOptions& options) {
  RuleOptions rule_options = options.rules;
  if (!options.files.empty()) {
    rule_options.no_builtin = true;
    rule_options.rule_paths.insert(rule_options.rule_paths.end(), options.files.begin(), options.files.end());
  }
  auto matcher = load_matcher(rule_options);
  if (!matcher) return fail(matcher.error().message);
  if (auto compiled = (*matcher)->compile_all_regexes(); !compiled) return fail(compiled.error().message);
  auto scratch = (*matcher)->new_scratch();
  const RuleList& rules = (*matcher)->rules();
  int failures = 0;
  std::size_t examples = 0;
  for (std::uint32_t i = 0; i < rules.size(); ++i) {
    const Rule& rule = rules[i];
    std::string where = fmt::format("{}:{}: {}", rule.file, rule.line, rule.id);
    for (const auto& missing : missing_parts(rule)) {
      std::cout << fmt::format("FAIL {}: {}\n", where, missing);
      ++failures;
    }
    for (std::size_t n = 0; n < rule.examples.size(); ++n, ++examples) {
      if (has_match_of(**matcher, *scratch, rule.examples[n], i)) continue;
      std::cout << fmt::format("FAIL {}: example {} is not found: {}\n", where, n + 1, rule.examples[n]);
      ++failures;
    }
    for (std::size_t n = 0; n < rule.negative_examples.size(); ++n, ++examples) {
      if (!has_match_of(**matcher, *scratch, rule.negative_examples[n], i)) continue;
      std::cout << fmt::format("FAIL {}: negative example {} is found: {}\n", where, n + 1,
                               rule.negative_examples[n]);
      ++failures;
    }
  }
  std::cout << fmt::format("{} rules, {} examples: {}\n", rules.size(), examples,
                           failures == 0 ? "all pass" : fmt::format("{} failed", failures));
  return failures == 0 ? kClean : kFindings;
}

}  // namespace

void add_rules_command(CLI::App& app, int& exit_code) {
  auto options = std::make_shared<RulesOptions>();
  CLI::App* rules = app.add_subcommand("rules", "List the rules or test them against their examples");
  rules->require_subcommand(1);
  CLI::App* list = rules->add_subcommand("list", "Show every rule: id, confidence, name");
  list->add_option("--category", options->category, "Only the rules of this category");
  add_rule_options(*list, options->rules);
  list->callback([options, &exit_code] { exit_code = run_list(*options); });
  CLI::App* check = rules->add_subcommand("check", "Run every rule's examples and negative examples");
  check->add_option("files", options->files, "Rule files to check instead of the built-in rules");
  add_rule_options(*check, options->rules);
  check->callback([options, &exit_code] { exit_code = run_check(*options); });
  add_import_gitleaks_command(*rules, exit_code);
}

}  // namespace keyhound::cli
