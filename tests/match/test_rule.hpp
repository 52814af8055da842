// A rule built in code for the matcher's tests: only the fields the matcher reads.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "rules/rule.hpp"

namespace keyhound::testing {

inline Rule make_rule(std::string id, std::string pattern, std::vector<std::string> tags = {},
                      double min_entropy = 0) {
  Rule rule;
  rule.id = std::move(id);
  rule.name = rule.id;
  rule.pattern = std::move(pattern);
  rule.tags = std::move(tags);
  rule.min_entropy = min_entropy;
  rule.file = "test.yml";
  rule.line = 1;
  return rule;
}

}  // namespace keyhound::testing
