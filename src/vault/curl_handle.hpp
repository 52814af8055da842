// libcurl, loaded on first use: only the vault talks HTTP, and mapping libcurl with its twenty
// or so dependencies would cost every scan (a pre-commit run included) about 7 ms at start-up.
// Owners for its handles live here too.
#pragma once

#include <curl/curl.h>

#include <memory>

#include "util/result.hpp"

namespace keyhound {

// The libcurl functions keyhound calls, resolved from libcurl.so.4 once per process.
struct CurlApi {
  CURLcode (*global_init)(long flags);
  void (*global_cleanup)();
  CURL* (*easy_init)();
  void (*easy_cleanup)(CURL*);
  void (*easy_reset)(CURL*);
  CURLcode (*easy_setopt)(CURL*, CURLoption, ...);
  CURLcode (*easy_perform)(CURL*);
  CURLcode (*easy_getinfo)(CURL*, CURLINFO, ...);
  const char* (*easy_strerror)(CURLcode);
  curl_slist* (*slist_append)(curl_slist*, const char*);
  void (*slist_free_all)(curl_slist*);
  CURLU* (*url)();
  void (*url_cleanup)(CURLU*);
  CURLUcode (*url_set)(CURLU*, CURLUPart, const char*, unsigned int);
  CURLUcode (*url_get)(const CURLU*, CURLUPart, char**, unsigned int);
  void (*free)(void*);
};

// Loads libcurl (once; later calls return the same table) or says why it cannot.
Result<const CurlApi*> load_curl();
// The table of an already loaded libcurl (for the deleters below: a handle implies it).
const CurlApi& curl();

struct CurlDeleter {
  void operator()(CURL* p) const { curl().easy_cleanup(p); }
  void operator()(curl_slist* p) const { curl().slist_free_all(p); }
  void operator()(CURLU* p) const { curl().url_cleanup(p); }
  void operator()(char* p) const { curl().free(p); }
};

using CurlPtr = std::unique_ptr<CURL, CurlDeleter>;
using CurlListPtr = std::unique_ptr<curl_slist, CurlDeleter>;
using CurlUrlPtr = std::unique_ptr<CURLU, CurlDeleter>;
using CurlStringPtr = std::unique_ptr<char, CurlDeleter>;

// curl_global_init is reference-counted since libcurl 7.84; hold one while using libcurl.
class CurlLibrary {
 public:
  explicit CurlLibrary(const CurlApi& api) : api_(api) { api_.global_init(CURL_GLOBAL_DEFAULT); }
  ~CurlLibrary() { api_.global_cleanup(); }
  CurlLibrary(const CurlLibrary&) = delete;
  CurlLibrary& operator=(const CurlLibrary&) = delete;

 private:
  const CurlApi& api_;
};

}  // namespace keyhound
