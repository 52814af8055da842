// Re-reads the blob a finding came from (file under the root, or git blob by id) and looks for
// the partner value there; the bytes are wiped after use.
#include "verify/partner.hpp"

#include <re2/re2.h>

#include <cstdlib>
#include <filesystem>
#include <mutex>

#include "git/handles.hpp"
#include "util/file.hpp"
#include "vault/wipe.hpp"

namespace keyhound {

struct PartnerFinder::State {
  std::string root;
  std::mutex mutex;  // verifier workers share one repository handle
  GitLibrary library;
  RepositoryPtr repository;
  bool repository_tried = false;

  std::optional<std::string> read_git_blob(const std::string& blob_id) {
    std::lock_guard lock(mutex);
    if (!repository_tried) {
      repository_tried = true;
      git_repository* raw = nullptr;
      if (git_repository_open_ext(&raw, root.c_str(), 0, nullptr) == 0) repository.reset(raw);
    }
    if (!repository) return std::nullopt;
    git_oid oid;
    if (git_oid_fromstr(&oid, blob_id.c_str()) != 0) return std::nullopt;
    git_blob* raw = nullptr;
    if (git_blob_lookup(&raw, repository.get(), &oid) != 0) return std::nullopt;
    BlobPtr blob(raw);
    return std::string(static_cast<const char*>(git_blob_rawcontent(raw)), git_blob_rawsize(raw));
  }

  std::optional<std::string> read_file(const std::string& path) {
    namespace fs = std::filesystem;
    for (const fs::path& candidate : {fs::path(root) / path, fs::path(path)}) {
      auto text = read_whole_file(candidate.string());
      if (text) return std::move(*text);
    }
    return std::nullopt;
  }
};

PartnerFinder::PartnerFinder(std::string root) : state_(std::make_unique<State>()) {
  state_->root = root.empty() ? "." : std::move(root);
}
PartnerFinder::~PartnerFinder() = default;

std::optional<std::string> PartnerFinder::find(const Finding& finding, const std::string& regex) {
  RE2 pattern(regex, RE2::Quiet);
  if (!pattern.ok()) return std::nullopt;
  for (const auto& location : finding.locations) {
    std::optional<std::string> bytes = location.origin.from_git() ? state_->read_git_blob(location.blob_id)
                                                                  : state_->read_file(location.origin.path);
    if (!bytes) continue;
    std::optional<std::string> nearest;
    std::uint64_t best_distance = UINT64_MAX;
    re2::StringPiece input(*bytes);
    re2::StringPiece groups[2];
    int group_count = std::min(pattern.NumberOfCapturingGroups() + 1, 2);
    std::size_t at = 0;
    while (at <= bytes->size() &&
           pattern.Match(input, at, bytes->size(), RE2::UNANCHORED, groups, group_count)) {
      re2::StringPiece value = group_count == 2 && groups[1].data() ? groups[1] : groups[0];
      auto start = static_cast<std::uint64_t>(value.data() - bytes->data());
      std::uint64_t distance =
          start > location.start_offset ? start - location.start_offset : location.start_offset - start;
      if (distance < best_distance) {
        best_distance = distance;
        nearest = std::string(value);
      }
      std::size_t end = static_cast<std::size_t>(groups[0].data() - bytes->data()) + groups[0].size();
      at = end > at ? end : at + 1;
    }
    wipe(*bytes);
    if (nearest) return nearest;
  }
  return std::nullopt;
}

}  // namespace keyhound
