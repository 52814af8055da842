#include "vault/curl_handle.hpp"

#include <dlfcn.h>

#include <mutex>
#include <string>

namespace keyhound {
namespace {

CurlApi loaded_api;
std::string load_error;

#if KEYHOUND_CURL_DLOPEN
template <typename Function>
bool resolve(void* library, const char* name, Function& slot) {
  slot = reinterpret_cast<Function>(dlsym(library, name));
  if (!slot && load_error.empty()) load_error = std::string("libcurl has no ") + name;
  return slot != nullptr;
}
#endif

}  // namespace

#if KEYHOUND_CURL_DLOPEN
Result<const CurlApi*> load_curl() {
  static std::once_flag once;
  std::call_once(once, [] {
    void* library = dlopen("libcurl.so.4", RTLD_NOW | RTLD_LOCAL);
    if (!library) {
      const char* why = dlerror();
      load_error =
          std::string("cannot load libcurl (install Debian's libcurl4): ") + (why ? why : "not found");
      return;
    }
    CurlApi& api = loaded_api;
#define KH_CURL_RESOLVE(name, slot) resolve(library, #name, api.slot)
#else
// Linked (KEYHOUND_CURL_DLOPEN=OFF): the same table, filled with the linked functions.
Result<const CurlApi*> load_curl() {
  static std::once_flag once;
  std::call_once(once, [] {
    CurlApi& api = loaded_api;
#define KH_CURL_RESOLVE(name, slot) (api.slot = &name)
#endif
    KH_CURL_RESOLVE(curl_global_init, global_init);
    KH_CURL_RESOLVE(curl_global_cleanup, global_cleanup);
    KH_CURL_RESOLVE(curl_easy_init, easy_init);
    KH_CURL_RESOLVE(curl_easy_cleanup, easy_cleanup);
    KH_CURL_RESOLVE(curl_easy_reset, easy_reset);
    KH_CURL_RESOLVE(curl_easy_setopt, easy_setopt);
    KH_CURL_RESOLVE(curl_easy_perform, easy_perform);
    KH_CURL_RESOLVE(curl_easy_getinfo, easy_getinfo);
    KH_CURL_RESOLVE(curl_easy_strerror, easy_strerror);
    KH_CURL_RESOLVE(curl_slist_append, slist_append);
    KH_CURL_RESOLVE(curl_slist_free_all, slist_free_all);
    KH_CURL_RESOLVE(curl_url, url);
    KH_CURL_RESOLVE(curl_url_cleanup, url_cleanup);
    KH_CURL_RESOLVE(curl_url_set, url_set);
    KH_CURL_RESOLVE(curl_url_get, url_get);
    KH_CURL_RESOLVE(curl_free, free);
#undef KH_CURL_RESOLVE
    // The library stays loaded for the life of the process.
  });
  if (!load_error.empty()) return make_error(load_error);
  return &loaded_api;
}

const CurlApi& curl() {
  return loaded_api;
}

}  // namespace keyhound
