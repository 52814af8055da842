#include "vault/curl_handle.hpp"

#include <dlfcn.h>

#include <mutex>
#include <string>

namespace keyhound {
namespace {

CurlApi loaded_api;
std::string load_error;

template <typename Function>
bool resolve(void* library, const char* name, Function& slot) {
  slot = reinterpret_cast<Function>(dlsym(library, name));
  if (!slot && load_error.empty()) load_error = std::string("libcurl has no ") + name;
  return slot != nullptr;
}

}  // namespace

Result<const CurlApi*> load_curl() {
  static std::once_flag once;
  std::call_once(once, [] {
    void* library = dlopen("libcurl.so.4", RTLD_NOW | RTLD_LOCAL);
    if (!library) {
      const char* why = dlerror();
      load_error = std::string("cannot load libcurl (install Debian's libcurl4): ") + (why ? why : "not found");
      return;
    }
    CurlApi& api = loaded_api;
    resolve(library, "curl_global_init", api.global_init);
    resolve(library, "curl_global_cleanup", api.global_cleanup);
    resolve(library, "curl_easy_init", api.easy_init);
    resolve(library, "curl_easy_cleanup", api.easy_cleanup);
    resolve(library, "curl_easy_reset", api.easy_reset);
    resolve(library, "curl_easy_setopt", api.easy_setopt);
    resolve(library, "curl_easy_perform", api.easy_perform);
    resolve(library, "curl_easy_getinfo", api.easy_getinfo);
    resolve(library, "curl_easy_strerror", api.easy_strerror);
    resolve(library, "curl_slist_append", api.slist_append);
    resolve(library, "curl_slist_free_all", api.slist_free_all);
    resolve(library, "curl_url", api.url);
    resolve(library, "curl_url_cleanup", api.url_cleanup);
    resolve(library, "curl_url_set", api.url_set);
    resolve(library, "curl_url_get", api.url_get);
    resolve(library, "curl_free", api.free);
    // The library stays loaded for the life of the process.
  });
  if (!load_error.empty()) return make_error(load_error);
  return &loaded_api;
}

const CurlApi& curl() { return loaded_api; }

}  // namespace keyhound
