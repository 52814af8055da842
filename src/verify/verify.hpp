// `--verify`: asks each provider whether a found secret still works, with one read-only HTTPS
// request built from the rule's `verify:` block (AWS: a SigV4-signed STS GetCallerIdentity).
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "finding/finding.hpp"
#include "rules/rule.hpp"
#include "util/result.hpp"

namespace keyhound {

struct VerifyOptions {
  std::string root;                                  // scan root: paths of file locations are relative to it
  long timeout_seconds = 10;                         // per request, connection included
  unsigned workers = 8;                              // requests in flight over all hosts
  unsigned per_host = 2;                             // requests in flight to one host
  std::chrono::milliseconds per_host_interval{100};  // at most 10 requests a second to one host
  // Tests only (KEYHOUND_VERIFY_ENDPOINT_OVERRIDE, KEYHOUND_VERIFY_CA_FILE): connect to a
  // loopback address instead of the rule's host ("*" for every host); trust this CA file.
  std::map<std::string, std::string> connect_to;  // host -> "127.0.0.1:PORT"
  std::string ca_file;
};

// Reads KEYHOUND_VERIFY_ENDPOINT_OVERRIDE ("host=127.0.0.1:PORT,..." or "*=127.0.0.1:PORT") and
// KEYHOUND_VERIFY_CA_FILE into `options`. A target that is not a loopback address, or a CA file
// without an override, is an error naming the variable.
Status read_verify_overrides(VerifyOptions& options);

struct VerifyStats {
  std::uint64_t live = 0, revoked = 0, unknown = 0, error = 0, requests = 0;
};

// Sets `verification` (live | revoked | unknown | error), `verified_identity` and
// `verification_detail` on every finding whose rule has a verify block; others stay unverified.
// Each fingerprint is asked once; no secret reaches a message.
VerifyStats verify_findings(std::vector<Finding>& findings, const RuleList& rules,
                            const VerifyOptions& options);

// Live findings first, then the rest in their order (the text report's order).
void order_live_first(std::vector<Finding>& findings);

}  // namespace keyhound
