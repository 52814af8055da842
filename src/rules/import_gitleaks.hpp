// Converts a team's own gitleaks rules (a gitleaks.toml) into a keyhound rule file, and says
// exactly what does not translate, so nothing is dropped without a word.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "util/result.hpp"

namespace keyhound {

struct GitleaksImportOptions {
  std::string id_prefix = "custom";  // gitleaks id "acme-token" becomes "custom.acme-token"
};

struct GitleaksImport {
  std::string rules_yaml;             // a keyhound rule file (for --rules or .keyhound.yml rules:)
  std::string config_yaml;            // allowlist settings for .keyhound.yml; empty when none
  std::vector<std::string> problems;  // "FILE:LINE: rule ID: what does not translate"
  std::vector<std::string> notes;     // translated with a caveat (no examples, scope widened)
  std::size_t converted = 0;
};

// `file` names the input in messages. A TOML syntax error is an error; a rule that does not
// translate is left out and listed in `problems`.
Result<GitleaksImport> import_gitleaks(std::string_view toml_text, const std::string& file,
                                       const GitleaksImportOptions& options = {});

}  // namespace keyhound
