// Text and URI pieces of the SARIF report, kept apart so they can be tested on their own.
#pragma once

#include <string>
#include <string_view>

#include "rules/rule.hpp"

namespace keyhound {

// "AWS access key ID" -> "AwsAccessKeyId": the PascalCase name SARIF viewers show.
std::string sarif_rule_name(std::string_view name, std::string_view id);

// The text with a final period (SARIF messages are sentences).
std::string sarif_sentence(std::string_view text);

// The rule's help: what it found and how to fix it (rotate, purge, vault).
std::string sarif_help_text(const Rule& rule);
std::string sarif_help_markdown(const Rule& rule);

// A relative path as a URI reference: every byte outside [A-Za-z0-9-._~/] percent-encoded.
std::string percent_encode_path(std::string_view path);

// "file:///abs/path" (with a trailing slash when `directory`) for an absolute path.
std::string file_uri(std::string_view absolute_path, bool directory);

// A git remote as an absolute URI without credentials: "git@host:org/repo.git" becomes
// "ssh://host/org/repo.git", "https://user:token@host/x" becomes "https://host/x". Empty when
// the remote is not something a URI can name.
std::string sanitize_repository_uri(std::string_view remote);

}  // namespace keyhound
