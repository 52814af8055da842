// What the git library reports about objects it could not read or chose not to enter. The
// sources turn these into their own warnings; nothing here is fatal to a scan.
#pragma once

#include <functional>
#include <string>

namespace keyhound {

enum class GitProblem {
  unreadable,  // missing or corrupt object, reference that does not resolve
  too_large,   // a blob over the size limit, not inflated
  not_entered  // present but outside the scan (submodule, shallow boundary)
};

struct GitWarning {
  GitProblem problem;
  std::string where;    // object id, reference or path at fault
  std::string message;  // what happened, without any content of the object
};

using WarningSink = std::function<void(const GitWarning&)>;

}  // namespace keyhound
