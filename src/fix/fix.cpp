// The checks around the rewrite: the file must be the one the scan saw, byte for byte.
#include "fix/fix.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <map>

#include "finding/finding.hpp"
#include "fix/diff.hpp"
#include "source/blob.hpp"

namespace keyhound {

std::vector<FileToFix> files_to_fix(const Baseline& baseline, const std::set<std::string>& only) {
  std::map<std::string, FileToFix> by_path;
  for (const auto& [fingerprint, entry] : baseline.entries) {
    if (entry.status != TriageStatus::vaulted || entry.secret_name.empty()) continue;
    if (!only.empty() && !only.count(fingerprint)) continue;
    for (const auto& location : entry.locations) {
      if (!location.commit.empty()) continue;  // history: rotation deals with it
      FileToFix& file = by_path[location.path];
      bool first = file.path.empty();
      file.path = location.path;
      if (first)
        file.blob_id = location.blob_id;
      else if (file.blob_id != location.blob_id)
        file.blob_id.clear();  // scans of two versions: refused
      SecretSite site;
      site.start = location.start_offset;
      site.end = location.end_offset;
      site.secret_name = entry.secret_name;
      site.field = entry.secret_field;
      site.identifier = "secret_" + fingerprint.substr(0, 8);
      if (!location.decoded.empty()) site.end = site.start;  // encoded here: refused by fix_file
      file.sites.push_back(std::move(site));
      file.secret_hmacs.push_back(entry.secret_hmac);
    }
  }
  std::vector<FileToFix> out;
  for (auto& [path, file] : by_path) out.push_back(std::move(file));
  return out;
}

Result<FixedFile> fix_file(const FileToFix& file, std::string_view bytes, std::string_view fingerprint_key) {
  if (file.blob_id.empty())
    return make_error(file.path +
                      ": the baseline records two different versions of it; run `keyhound baseline "
                      "update` and fix again");
  std::string now = git_blob_id(bytes);
  if (now != file.blob_id)
    return make_error(
        fmt::format("{}: changed since the scan (blob {} recorded, {} now); nothing was changed in it: "
                    "run `keyhound baseline update` and fix again",
                    file.path, file.blob_id.substr(0, 12), now.substr(0, 12)));
  for (std::size_t i = 0; i < file.sites.size(); ++i) {
    const SecretSite& site = file.sites[i];
    if (site.start == site.end)
      return make_error(
          fmt::format("{}: the secret {} is encoded there (base64, escapes); rewrite it by hand", file.path,
                      site.secret_name));
    bool intact = site.start < site.end && site.end <= bytes.size() &&
                  secret_hmac_of(fingerprint_key, bytes.substr(site.start, site.end - site.start)) ==
                      file.secret_hmacs[i];
    if (!intact)
      return make_error(
          fmt::format("{}: the recorded range {}-{} does not hold the secret {}; nothing was changed",
                      file.path, site.start, site.end, site.secret_name));
  }
  FixedFile fixed;
  fixed.language = language_of(file.path, bytes);
  auto edits = plan_rewrite(bytes, file.sites, fixed.language);
  if (!edits) return make_error(file.path + ": " + edits.error().message);
  fixed.after = apply_edits(bytes, *edits);
  // The diff shows what goes as reports show it: masked, never the value.
  std::vector<Edit> masks;
  for (const auto& site : file.sites)
    masks.push_back({site.start, site.end, mask_secret(bytes.substr(site.start, site.end - site.start))});
  std::sort(masks.begin(), masks.end(), [](const Edit& a, const Edit& b) { return a.start < b.start; });
  fixed.diff = unified_diff(file.path, apply_edits(bytes, masks), fixed.after);
  return fixed;
}

}  // namespace keyhound
