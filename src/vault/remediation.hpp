// How code fetches a vaulted secret at run time instead of carrying it: the Secrets Manager
// Agent call, and an SDK snippet in the language of the file that held the secret.
#pragma once

#include <string>

namespace keyhound {

struct Remediation {
  std::string agent_command;  // curl against the Secrets Manager Agent on localhost:2773
  std::string language;       // "python", "javascript", "typescript", "go", "java", "shell"
  std::string snippet;        // SDK code (or the AWS CLI for shell) that reads the secret
};

Remediation remediation_for(const std::string& secret_name, const std::string& source_path);

}  // namespace keyhound
