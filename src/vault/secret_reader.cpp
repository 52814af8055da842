// Files are read from the work tree; git locations from the object database by blob id
// through the git library (the same blob reader as the scan), so history-only secrets are found
// without checking anything out.
#include "vault/secret_reader.hpp"

#include <fmt/format.h>

#include <filesystem>
#include <optional>
#include <span>

#include "finding/finding.hpp"
#include "git/handles.hpp"
#include "git/repository.hpp"
#include "git/workers.hpp"
#include "util/decode.hpp"
#include "util/file.hpp"
#include "util/hash.hpp"

namespace keyhound {
namespace {

namespace fs = std::filesystem;

std::string where(const BaselineLocation& location) {
  std::string text = fmt::format("{}:{}", location.path, location.line);
  if (!location.commit.empty()) text += " (commit " + location.commit.substr(0, 12) + ")";
  return text;
}

// A decoded location records the encoded bytes, which decode to the secret plus, at either end,
// at most a few bytes of the units it shares with its neighbours (a base64 group holds three
// bytes, a \\u escape up to four). Decodes `encoded` through `layers` (outermost first), trying
// each such trim, and keeps only what has the entry's keyed hash: never a value it cannot prove.
constexpr std::size_t kMaxTrim = 3;
bool find_decoded(std::string_view encoded, std::span<const Encoding> layers, const std::string& key,
                  const std::string& hmac, std::optional<SecretString>& found) {
  if (layers.empty()) {
    if (secret_hmac_of(key, encoded) != hmac) return false;
    found.emplace(encoded);
    return true;
  }
  auto decoded = decode(layers.front(), encoded);
  if (!decoded) return false;
  bool done = false;
  for (std::size_t front = 0; front <= kMaxTrim && !done; ++front)
    for (std::size_t back = 0; back <= kMaxTrim && !done && front + back < decoded->size(); ++back)
      done = find_decoded(std::string_view(*decoded).substr(front, decoded->size() - front - back),
                          layers.subspan(1), key, hmac, found);
  wipe(*decoded);
  return done;
}

// The layers a location's `decoded` names ("base64", "base64+escape"), or an error naming it.
Result<std::vector<Encoding>> decoding_layers(const std::string& decoded) {
  std::vector<Encoding> layers;
  std::size_t from = 0;
  while (from <= decoded.size()) {
    std::size_t plus = std::min(decoded.find('+', from), decoded.size());
    auto layer = parse_encoding(std::string_view(decoded).substr(from, plus - from));
    if (!layer || layers.size() == 2)
      return make_error("unknown decoding '" + decoded + "' (base64, percent, escape, or two joined by +)");
    layers.push_back(*layer);
    from = plus + 1;
  }
  return layers;
}

}  // namespace

// A secret's blob is source code, not a disk image: anything larger is not read.
constexpr std::uint64_t kMaxBlobSize = std::uint64_t{256} << 20;

struct SecretReader::State {
  std::string root;
  std::string fingerprint_key;
  GitLibrary library;
  RepositoryPtr repository;
  bool repository_tried = false;
  std::string repository_error;

  OdbPtr odb;

  git_odb* open_odb() {
    if (!repository_tried) {
      repository_tried = true;
      auto opened = keyhound::open_repository(root);
      git_odb* raw = nullptr;
      if (!opened) {
        repository_error = opened.error().message;
      } else if (git_repository_odb(&raw, opened->get()) != 0) {
        repository_error = "cannot open the object database of " + root + ": " + git_error_text();
      } else {
        repository = std::move(*opened);
        odb.reset(raw);
      }
    }
    return odb.get();
  }

  // The bytes of the blob, or an error message.
  Result<std::string> read_blob(const std::string& blob_id) {
    git_odb* objects = open_odb();
    if (!objects) return make_error(repository_error);
    git_oid oid;
    if (blob_id.size() != GIT_OID_HEXSZ || git_oid_fromstr(&oid, blob_id.c_str()) != 0)
      return make_error("blob id '" + blob_id + "' is not an object id");
    ReadBlob read = keyhound::read_blob(objects, oid, kMaxBlobSize);
    if (read.too_large)
      return make_error("blob " + blob_id + " is larger than " + std::to_string(kMaxBlobSize) + " bytes");
    if (!read.object) return make_error("blob " + blob_id + " is not in " + root + ": " + read.error);
    return std::string(static_cast<const char*>(git_odb_object_data(read.object.get())),
                       git_odb_object_size(read.object.get()));
  }

  Result<std::string> file(const std::string& path) {
    fs::path candidate = fs::path(path).is_absolute() ? fs::path(path) : fs::path(root) / path;
    std::error_code ec;
    if (!fs::exists(candidate, ec) && root != "." && fs::exists(path, ec)) candidate = path;
    auto content = read_whole_file(candidate.string());
    if (!content) return make_error("cannot read " + candidate.string());
    return content;
  }
};

SecretReader::SecretReader(std::string root, std::string fingerprint_key)
    : state_(std::make_unique<State>()) {
  state_->root = std::move(root);
  state_->fingerprint_key = std::move(fingerprint_key);
}
SecretReader::~SecretReader() = default;

Result<SecretString> SecretReader::read(const BaselineEntry& entry) {
  if (entry.secret_hmac.empty() || state_->fingerprint_key.empty())
    return make_error(
        "fingerprint " + entry.fingerprint +
        ": the baseline entry has no secret_hmac to check against (run `keyhound baseline update`)");
  if (entry.locations.empty())
    return make_error("fingerprint " + entry.fingerprint +
                      ": the baseline entry records no location to read from");
  std::vector<std::string> tried;
  for (const auto& location : entry.locations) {
    // Git locations are read from the object database first: the work tree may have moved on.
    std::vector<bool> from_git_order =
        location.commit.empty() ? std::vector<bool>{false, true} : std::vector<bool>{true, false};
    std::string reasons;
    for (bool from_git : from_git_order) {
      if (from_git && location.blob_id.empty()) continue;
      auto bytes = from_git ? state_->read_blob(location.blob_id) : state_->file(location.path);
      if (!bytes) {
        reasons += (reasons.empty() ? "" : "; ") + bytes.error().message;
        continue;
      }
      std::string content = std::move(*bytes);
      if (location.end_offset > content.size() || location.start_offset >= location.end_offset) {
        wipe(content);
        reasons += (reasons.empty() ? "" : "; ") + std::string(from_git ? "blob" : "file") +
                   " is shorter than the recorded range";
        continue;
      }
      std::string_view range(content.data() + location.start_offset,
                             location.end_offset - location.start_offset);
      if (location.decoded.empty() && secret_hmac_of(state_->fingerprint_key, range) == entry.secret_hmac) {
        SecretString secret(range);
        wipe(content);
        return secret;
      }
      if (!location.decoded.empty()) {
        auto layers = decoding_layers(location.decoded);
        if (!layers) {
          wipe(content);
          reasons += (reasons.empty() ? "" : "; ") + layers.error().message;
          continue;
        }
        std::optional<SecretString> secret;
        bool found = find_decoded(range, *layers, state_->fingerprint_key, entry.secret_hmac, secret);
        wipe(content);
        if (found) return std::move(*secret);
        reasons += (reasons.empty() ? "" : "; ") + std::string(from_git ? "blob" : "file") +
                   " holds something else there now (decoded as " + location.decoded + ")";
        continue;
      }
      wipe(content);
      reasons += (reasons.empty() ? "" : "; ") + std::string(from_git ? "blob" : "file") +
                 " holds something else there now";
    }
    tried.push_back(where(location) + ": " + reasons);
  }
  std::string message = "fingerprint " + entry.fingerprint + " (" + entry.rule_id +
                        "): the secret is not at any recorded location (rescan and update the baseline):";
  for (const auto& line : tried) message += "\n  " + line;
  return make_error(message);
}

}  // namespace keyhound
