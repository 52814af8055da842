// Per-finding confidence: the rule's level, adjusted by evidence about this secret (where it
// is, what surrounds it, what it looks like), each piece recorded as a reason code.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "finding/finding.hpp"
#include "rules/rule.hpp"

namespace keyhound {

enum Reason : Reasons {
  // The path, relative to the scan root.
  kTestPath = 1u << 0,       // test/, spec/, testdata/, fixtures/, mocks/, *_test.go, test_*.py, *.spec.ts
  kExamplePath = 1u << 1,    // examples/, samples/, demo/, *.example, .env.sample
  kDocPath = 1u << 2,        // *.md, *.rst, *.adoc, *.textile, docs/, guides/
  kVendoredPath = 1u << 3,   // vendor/, node_modules/, third_party/, site-packages/
  kGeneratedPath = 1u << 4,  // minified or bundled files (*.min.js)
  // The line.
  kComment = 1u << 5,     // in a comment
  kDocstring = 1u << 6,   // in a Python docstring (a string statement of its own)
  kDocExample = 1u << 7,  // in a code block of a documentation file
  kTruncated = 1u << 8,   // cut short with ... or …
  kKeyName = 1u << 9,     // the value repeats its own key name (password = "password1")
  // The value.
  kPublishedExample = 1u << 10,  // an example value printed in a vendor's documentation
  kDictionaryWord = 1u << 11,    // made of common words ("am@z1ng_p@ssw0rd#!")
  kChecksum = 1u << 12,          // the vendor's checksum matches
  kChecksumMismatch = 1u << 13,
  kStructure = 1u << 14,  // decodes into the vendor's documented structure
  kStructureMismatch = 1u << 15,
  // Raw line facts that become reasons only with a path: a markdown fence is kDocExample in a
  // documentation file and nothing elsewhere.
  kInFence = 1u << 16,
};

// The reason codes in `reasons`, in a fixed order ("test-path", "comment", ...).
std::vector<std::string> reason_names(Reasons reasons);

// Evidence from a path relative to the scan root ("tests/app_test.py").
Reasons path_reasons(std::string_view path);

// Evidence from the value alone: published examples and common words.
Reasons value_reasons(std::string_view secret);

// A path as the scan reported it, relative to the root the user gave (one of `roots`), so that
// scanning testdata/ itself does not make every file a test file.
std::string path_below_root(std::string_view path, const std::vector<std::string>& roots);

// True when the rule's secret starts with a fixed vendor prefix ("ghp_", "(?:AKIA|ASIA)",
// "xoxb-"): the value itself says what it is. A rule that knows its secret only from a name
// near it ("mandrill ... key = <22 characters>") does not.
bool has_vendor_prefix(const Rule& rule);

// The confidence of `rule`'s finding at one place with this evidence, and the reasons that
// count (raw facts such as kInFence resolved). Generic rules drop to low on any evidence of an
// example; rules without a vendor prefix drop one level; rules with one keep their level unless
// a checksum or structure says otherwise.
struct Assessment {
  Confidence confidence;
  Reasons reasons;
};
Assessment assess(const Rule& rule, Reasons evidence);

// Sets each finding's and location's confidence and reasons. Locations already carry their
// line evidence (pipeline); this adds path, value and structure evidence.
void assess_findings(std::vector<Finding>& findings, const RuleList& rules,
                     const std::vector<std::string>& roots);

}  // namespace keyhound
