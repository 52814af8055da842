// Rules as data: what a rule file says, after validation.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace keyhound {

enum class Confidence { low = 0, medium = 1, high = 2 };
const char* to_string(Confidence confidence);
// "low", "medium" or "high"; nothing for any other word.
std::optional<Confidence> confidence_from(std::string_view name);

// How `scan --verify` asks the provider whether a secret still works: one read-only HTTPS
// request to a fixed URL on the provider's own host. {secret} is replaced by the secret,
// {partner} by the partner value found near it in the same blob (two-part credentials).
struct VerifySpec {
  std::string kind = "http";               // http | aws-sts | azure-storage: signed calls that need code
  std::string method = "GET";              // GET, HEAD or POST (for read-only RPC calls)
  std::string url;                         // https://host/path; {secret} only in the path
  std::vector<std::string> headers;        // "Name: value" templates
  std::string basic_user, basic_password;  // basic-auth templates (both or neither)
  std::string body;                        // POST body template (form or JSON)
  std::vector<int> live = {200};           // statuses meaning the secret works
  std::vector<int> revoked = {401, 403};   // statuses meaning it does not
  std::string live_field;                  // JSON boolean that must be true for live ("ok")
  std::string identity;                    // JSON field reported as the identity ("login", "user.name")
  std::string partner;                     // RE2 regex; group 1 (or all) is {partner}
  std::string partner2;                    // a second one, {partner2} (Atlassian: site and e-mail)
  bool present() const { return !url.empty() || kind != "http"; }
};

struct Rule {
  std::string id;       // stable, lowercase, provider.kind
  std::string name;     // for people: "AWS access key ID"
  std::string pattern;  // RE2 syntax; group 1 or the group named `secret` is the secret
  // Literal words (matched case-insensitively) without which the pattern cannot match: when
  // given, Hyperscan looks only for them and RE2 runs the pattern around each one. Compiling
  // literals is cheap, so hundreds of "provider name + key word" rules cost little.
  std::vector<std::string> keywords;
  // Or a looser regex that every match contains, for the same purpose (generic rules, whose
  // full patterns cost Hyperscan seconds to compile).
  std::string prefilter;
  std::string category;  // cloud, ci-cd, payments, ... (kCategories)
  Confidence confidence = Confidence::medium;
  double min_entropy = 0.0;  // Shannon bits per byte of the secret; 0 = no gate
  std::string description;   // what the secret grants and how to rotate it (optional)
  std::vector<std::string> references;
  std::vector<std::string> tags;
  std::vector<std::string> examples;
  std::vector<std::string> negative_examples;
  VerifySpec verify;      // empty url: the rule's findings are not verified
  std::string file;       // where it was defined: "rules/aws.yml" or the user's path
  int line = 0;           // line of the rule's entry in that file
  bool embedded = false;  // a built-in rule: its regex compiles (the test suite checks every one)
  // Findings that belong together (an access key ID and its secret key): rules naming the same
  // pair, found in one blob, vault as one JSON secret in which this rule's secret is `pair_field`.
  std::string pair;        // "aws-access-key"
  std::string pair_field;  // "accessKeyId"

  // Hyperscan finds only keywords or the prefilter; RE2 then looks around each hit.
  bool searched_around_hits() const { return !keywords.empty() || !prefilter.empty(); }
};

// A generic rule takes any value under a credential-like name: it yields to a specific rule on the
// same bytes, and the name/path/format checks apply to it only.
inline bool is_generic(const Rule& rule) {
  for (const auto& tag : rule.tags)
    if (tag == "generic") return true;
  return false;
}

using RuleList = std::vector<Rule>;

// The categories a rule may belong to; `rules list --category` filters by them.
inline constexpr const char* kCategories[] = {"cloud", "ci-cd",         "payments", "communications",
                                              "ai",    "observability", "database", "registry",
                                              "saas",  "generic"};

}  // namespace keyhound
