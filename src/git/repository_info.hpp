// Facts about a repository for a report header, and where its hooks live.
#pragma once

#include <string>

#include "util/result.hpp"

namespace keyhound {

struct RepositoryInfo {
  std::string root;        // work tree, or the git directory of a bare repository
  std::string head;        // HEAD's commit id, empty before the first commit
  std::string remote_url;  // remote "origin", without credentials, query or fragment
};
Result<RepositoryInfo> describe_repository(const std::string& path);

// Where git runs this repository's hooks: core.hooksPath (relative to the work tree) or
// <git common dir>/hooks.
Result<std::string> hooks_directory(const std::string& path);

// "https://user:token@host/x?access_token=t#f" -> "https://host/x": a report must not carry a
// credential, and the userinfo, query and fragment of a URL are where tokens ride.
std::string url_without_credentials(std::string url);

}  // namespace keyhound
