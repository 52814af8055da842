// Runs the fix library on a file's text the way `keyhound fix` does, for the tests of src/fix.
#pragma once

#include <string>
#include <vector>

#include "finding/finding.hpp"
#include "fix/fix.hpp"
#include "source/blob.hpp"

namespace keyhound::testing {

inline const std::string kFixKey(64, 'b');                     // the baseline's fingerprint key
inline const std::string kSecret = "tok_4fJ9qLx2Vb7Rw1KpZt8";  // a synthetic token the tests vault

// A secret in the file and where it now lives; `field` for one half of a pair.
struct Vaulted {
  std::string secret;
  std::string name;
  std::string field;
};

// The file to fix with a site at every occurrence of each secret.
inline FileToFix file_to_fix(const std::string& path, const std::string& text,
                             const std::vector<Vaulted>& secrets) {
  FileToFix file;
  file.path = path;
  file.blob_id = git_blob_id(text);
  for (std::size_t k = 0; k < secrets.size(); ++k) {
    const Vaulted& vaulted = secrets[k];
    for (std::size_t at = text.find(vaulted.secret); at != std::string::npos;
         at = text.find(vaulted.secret, at + vaulted.secret.size())) {
      SecretSite site;
      site.start = at;
      site.end = at + vaulted.secret.size();
      site.secret_name = vaulted.name;
      site.field = vaulted.field;
      site.identifier = "secret_" + std::to_string(k + 1);
      file.sites.push_back(site);
      file.secret_hmacs.push_back(secret_hmac_of(kFixKey, vaulted.secret));
    }
  }
  return file;
}

// The unified diff, or "error: MESSAGE".
inline std::string fix_diff(const std::string& path, const std::string& text,
                            const std::vector<Vaulted>& secrets) {
  auto fixed = fix_file(file_to_fix(path, text, secrets), text, kFixKey);
  return fixed ? fixed->diff : "error: " + fixed.error().message;
}

}  // namespace keyhound::testing
