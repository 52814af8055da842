// The confidence model's data files (rules/evidence/*.txt), embedded at build time.
#pragma once

#include <string_view>

namespace keyhound {

// The text of rules/evidence/NAME ("common-words.txt", "published-examples.txt"); empty if absent.
std::string_view embedded_evidence_file(std::string_view name);

}  // namespace keyhound
