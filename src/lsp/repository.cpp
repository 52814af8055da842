#include "lsp/repository.hpp"

#include <git2.h>

#include <filesystem>

#include "git/handles.hpp"
#include "git/repository.hpp"
#include "git/repository_info.hpp"

namespace keyhound::lsp {

std::string vault_repository_name(const std::string& folder) {
  std::error_code ec;
  std::filesystem::path root = std::filesystem::weakly_canonical(folder, ec);
  if (auto info = describe_repository(folder)) root = info->root;
  std::string name = root.filename().string();
  if (name.empty() || name == ".git") name = root.parent_path().filename().string();
  return name.empty() ? "repo" : name;
}

bool in_git_repository(const std::string& folder) {
  GitLibrary library;
  return open_repository(folder).ok();
}

Result<std::string> keep_blob(const std::string& folder, std::string_view bytes) {
  GitLibrary library;
  auto repository = open_repository(folder);
  if (!repository) return repository.error();
  git_odb* raw = nullptr;
  if (git_repository_odb(&raw, repository->get()) != 0)
    return make_error("cannot open the object database of the repository at " + folder);
  OdbPtr odb(raw);
  git_oid oid;
  if (git_odb_write(&oid, odb.get(), bytes.data(), bytes.size(), GIT_OBJECT_BLOB) != 0)
    return make_error("cannot write a blob into the repository at " + folder + ": " + git_error_text());
  char hex[GIT_OID_HEXSZ + 1] = {};
  git_oid_tostr(hex, sizeof hex, &oid);
  return std::string(hex);
}

}  // namespace keyhound::lsp
