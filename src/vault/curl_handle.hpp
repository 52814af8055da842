// Owners for libcurl handles, and the library's global init paired with cleanup.
#pragma once

#include <curl/curl.h>

#include <memory>

namespace keyhound {

struct CurlDeleter {
  void operator()(CURL* p) const { curl_easy_cleanup(p); }
  void operator()(curl_slist* p) const { curl_slist_free_all(p); }
  void operator()(CURLU* p) const { curl_url_cleanup(p); }
  void operator()(char* p) const { curl_free(p); }
};

using CurlPtr = std::unique_ptr<CURL, CurlDeleter>;
using CurlListPtr = std::unique_ptr<curl_slist, CurlDeleter>;
using CurlUrlPtr = std::unique_ptr<CURLU, CurlDeleter>;
using CurlStringPtr = std::unique_ptr<char, CurlDeleter>;

// curl_global_init is reference-counted since libcurl 7.84; hold one while using libcurl.
class CurlLibrary {
 public:
  CurlLibrary() { curl_global_init(CURL_GLOBAL_DEFAULT); }
  ~CurlLibrary() { curl_global_cleanup(); }
  CurlLibrary(const CurlLibrary&) = delete;
  CurlLibrary& operator=(const CurlLibrary&) = delete;
};

}  // namespace keyhound
