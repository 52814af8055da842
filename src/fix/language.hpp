// Which rewrite a file gets: its language or configuration form, from its name and, where the
// name is not enough (.js, .yaml), from its first bytes.
#pragma once

#include <string_view>

namespace keyhound {

enum class FileLanguage {
  // Code: the literal becomes an SDK call.
  python,
  javascript_module,
  javascript_commonjs,
  typescript,
  go,
  java,
  ruby,
  csharp,
  shell,
  // Configuration: the literal becomes an environment-variable reference (Kubernetes: secretKeyRef).
  dotenv,
  yaml,
  properties,
  docker_compose,
  kubernetes,
  unknown
};

FileLanguage language_of(std::string_view path, std::string_view bytes);
const char* to_string(FileLanguage language);

}  // namespace keyhound
