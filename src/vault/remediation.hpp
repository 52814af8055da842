// How code fetches a vaulted secret at run time instead of carrying it: the Secrets Manager
// Agent call, and an SDK snippet in the language of the file that held the secret.
#pragma once

#include <string>
#include <vector>

namespace keyhound {

// The agent's SSRF token: $AWS_TOKEN where the platform sets it (Lambda, ECS, EKS), else the
// file /var/run/awssmatoken (EC2). Every agent snippet is executed by tests/vault/snippet_test.cpp
// against a fake agent that checks the X-Aws-Parameters-Secrets-Token header.
struct Remediation {
  std::string agent_command;  // shell: curl against the Secrets Manager Agent on localhost:2773
  std::string language;       // "python", "javascript" (ESM), "javascript-cjs", "typescript", "go", "java",
                              // "ruby", "shell"
  std::string snippet;        // SDK code (or the AWS CLI for shell) that reads the secret
  // The same through the agent, in the file's language, with only the standard library. Java and
  // Go: the imports, a blank line, the function, a blank line, then the call.
  std::string agent_snippet;
};

// `fields`: a pair's JSON secret (plan.hpp); the snippets then read each field.
Remediation remediation_for(const std::string& secret_name, const std::string& source_path,
                            const std::vector<std::string>& fields = {});

}  // namespace keyhound
