// `keyhound fix` as a library (the CLI and the editor integration call it): which work-tree files
// hold literals of vaulted secrets, and the checked rewrite of one file's bytes.
#pragma once

#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "baseline/baseline.hpp"
#include "fix/language.hpp"
#include "fix/rewrite.hpp"
#include "util/result.hpp"

namespace keyhound {

// One work-tree file as the scan recorded it, and the vaulted secrets in it.
struct FileToFix {
  std::string path;     // as the baseline records it: relative to the work tree
  std::string blob_id;  // the bytes the scan read; empty when two entries recorded different ones
  std::vector<SecretSite> sites;
  std::vector<std::string> secret_hmacs;  // per site: what its range must still hold
};

// Every work-tree location of a vaulted entry (of `only`, a set of full fingerprints, when not
// empty), grouped by file, sorted by path. History locations are left to rotation.
std::vector<FileToFix> files_to_fix(const Baseline& baseline, const std::set<std::string>& only = {});

struct FixedFile {
  FileLanguage language = FileLanguage::unknown;
  std::string after;  // the new bytes
  std::string diff;   // unified diff from the old bytes, their secrets masked (mask_secret)
};

// Rewrites `bytes` (the file now) if they are exactly what the scan read (same git blob id)
// and every range still holds its secret (checked by keyed hash under `fingerprint_key`); else
// an error saying what changed. Errors never hold a byte of the file.
Result<FixedFile> fix_file(const FileToFix& file, std::string_view bytes, std::string_view fingerprint_key);

}  // namespace keyhound
