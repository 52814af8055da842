// Finds a baselined secret again from where the scan saw it (a file, or a git blob by id) and
// proves it is the same secret by its SHA-256, so no report ever has to carry it.
#pragma once

#include <memory>
#include <string>

#include "baseline/baseline.hpp"
#include "util/result.hpp"
#include "vault/vault_run.hpp"  // SecretSource
#include "vault/wipe.hpp"

namespace keyhound {

class SecretReader : public SecretSource {
 public:
  // `root`: the directory the scan's paths are relative to; for git locations, the repository.
  explicit SecretReader(std::string root);
  ~SecretReader();
  SecretReader(const SecretReader&) = delete;
  SecretReader& operator=(const SecretReader&) = delete;

  // The secret at the first recorded location whose byte range hashes to secret_sha256. The
  // error names the fingerprint and each location tried, never any bytes read there.
  Result<SecretString> read(const BaselineEntry& entry) override;

 private:
  struct State;
  std::unique_ptr<State> state_;
};

}  // namespace keyhound
