// libcurl easy interface (loaded on first use), one reused handle (keeps the TLS connection
// alive between calls).
#include "vault/http.hpp"

#include <arpa/inet.h>

#include <algorithm>
#include <limits>
#include <string_view>

#include "vault/curl_handle.hpp"
#include "vault/wipe.hpp"

namespace keyhound {
namespace {

bool is_loopback(const std::string& host) {
  if (host == "localhost") return true;
  in_addr v4{};
  if (inet_pton(AF_INET, host.c_str(), &v4) == 1) return (ntohl(v4.s_addr) >> 24) == 127;
  std::string bare = host.size() > 2 && host.front() == '[' ? host.substr(1, host.size() - 2) : host;
  in6_addr v6{};
  if (inet_pton(AF_INET6, bare.c_str(), &v6) == 1) return IN6_IS_ADDR_LOOPBACK(&v6);
  return false;
}

std::string url_part(const CurlApi& api, CURLU* url, CURLUPart part) {
  char* text = nullptr;
  if (api.url_get(url, part, &text, 0) != CURLUE_OK || !text) return {};
  CurlStringPtr owner(text);
  return text;
}

struct CappedBody {
  std::string* body;
  std::size_t limit;
};

size_t append_capped(char* data, size_t size, size_t count, void* user) {
  auto* capped = static_cast<CappedBody*>(user);
  std::size_t room = capped->limit > capped->body->size() ? capped->limit - capped->body->size() : 0;
  capped->body->append(data, std::min(room, size * count));
  return size * count;
}

}  // namespace

Result<Endpoint> parse_endpoint(const std::string& text) {
  KH_TRY_ASSIGN(auto loaded, load_curl());
  const CurlApi& api = *loaded;
  CurlUrlPtr url(api.url());
  if (!url || api.url_set(url.get(), CURLUPART_URL, text.c_str(), 0) != CURLUE_OK)
    return make_error("endpoint '" + text +
                      "' is not a URL (e.g. https://secretsmanager.us-east-1.amazonaws.com)");
  std::string scheme = url_part(api, url.get(), CURLUPART_SCHEME);
  std::string host = url_part(api, url.get(), CURLUPART_HOST);
  std::string port = url_part(api, url.get(), CURLUPART_PORT);
  std::string path = url_part(api, url.get(), CURLUPART_PATH);
  if (scheme != "https" && scheme != "http")
    return make_error("endpoint '" + text + "': only https (or http to a loopback address) is supported");
  if (scheme == "http" && !is_loopback(host))
    return make_error("endpoint '" + text +
                      "' is plain http to a non-loopback host: secrets would cross the network "
                      "unencrypted; use https");
  if (!path.empty() && path != "/")
    return make_error("endpoint '" + text +
                      "' has a path; Secrets Manager endpoints are a scheme and a host");
  Endpoint endpoint;
  endpoint.tls = scheme == "https";
  endpoint.host = port.empty() ? host : host + ":" + port;
  endpoint.url = scheme + "://" + endpoint.host + "/";
  return endpoint;
}

struct HttpClient::State {
  explicit State(const CurlApi& loaded) : api(loaded), library(loaded), handle(loaded.easy_init()) {}
  const CurlApi& api;
  std::string ca_bundle;
  CurlLibrary library;
  CurlPtr handle;
};

HttpClient::HttpClient(std::string ca_bundle) {
  auto loaded = load_curl();
  if (!loaded) {
    load_error_ = loaded.error().message;
    return;
  }
  state_ = std::make_unique<State>(**loaded);
  state_->ca_bundle = std::move(ca_bundle);
}
HttpClient::~HttpClient() = default;

HttpResponse HttpClient::post(const Endpoint& endpoint,
                              const std::vector<std::pair<std::string, std::string>>& headers,
                              const std::string& body, TransportError& error) {
  HttpRequest request;
  request.method = "POST";
  request.url = endpoint.url;
  request.headers = headers;
  request.body = body;
  request.timeout_seconds = 60;
  request.connect_timeout_seconds = 10;
  request.max_body = std::numeric_limits<std::size_t>::max();
  request.allow_loopback_http = true;
  HttpResponse response = fetch(request, error);
  wipe(request.body);  // the request carried the secret; so did the header copies
  for (auto& [name, value] : request.headers) wipe(value);
  return response;
}

HttpResponse HttpClient::fetch(const HttpRequest& request, TransportError& error) {
  HttpResponse response;
  if (!state_) {
    error.message = load_error_;
    error.may_pass_later = false;
    return response;
  }
  const CurlApi& api = state_->api;
  CURL* curl = state_->handle.get();
  if (!curl) {
    error.message = "cannot start libcurl";
    return response;
  }
  api.easy_reset(curl);
  CurlListPtr list;
  for (const auto& [name, value] : request.headers) {
    std::string line = name + ": " + value;
    curl_slist* grown = api.slist_append(list.get(), line.c_str());
    wipe(line);  // header lines carry the secret being verified
    if (!grown) {
      error.message = "out of memory building the request";
      return response;
    }
    list.release();
    list.reset(grown);
  }
  list.reset(api.slist_append(list.release(), "Expect:"));
  CurlListPtr connect_to;
  if (!request.connect_to.empty()) connect_to.reset(api.slist_append(nullptr, request.connect_to.c_str()));
  char error_text[CURL_ERROR_SIZE] = {0};
  CappedBody capped{&response.body, request.max_body};
  api.easy_setopt(curl, CURLOPT_URL, request.url.c_str());
  if (request.method == "POST") {
    api.easy_setopt(curl, CURLOPT_POST, 1L);
    api.easy_setopt(curl, CURLOPT_POSTFIELDS, request.body.data());
    api.easy_setopt(curl, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(request.body.size()));
  } else if (request.method == "HEAD") {
    api.easy_setopt(curl, CURLOPT_NOBODY, 1L);
  }
  api.easy_setopt(curl, CURLOPT_HTTPHEADER, list.get());
  if (connect_to) api.easy_setopt(curl, CURLOPT_CONNECT_TO, connect_to.get());
  api.easy_setopt(curl, CURLOPT_WRITEFUNCTION, append_capped);
  api.easy_setopt(curl, CURLOPT_WRITEDATA, &capped);
  api.easy_setopt(curl, CURLOPT_ERRORBUFFER, error_text);
  api.easy_setopt(curl, CURLOPT_SSL_VERIFYPEER, 1L);
  api.easy_setopt(curl, CURLOPT_SSL_VERIFYHOST, 2L);
  if (!state_->ca_bundle.empty()) api.easy_setopt(curl, CURLOPT_CAINFO, state_->ca_bundle.c_str());
  api.easy_setopt(curl, CURLOPT_PROTOCOLS_STR, request.allow_loopback_http ? "http,https" : "https");
  if (request.allow_loopback_http)  // parse_endpoint let http through only to loopback: no proxy there
    api.easy_setopt(curl, CURLOPT_NOPROXY, request.url.rfind("http://", 0) == 0 ? "*" : "");
  api.easy_setopt(curl, CURLOPT_FOLLOWLOCATION, 0L);  // a redirect must not carry the secret elsewhere
  api.easy_setopt(curl, CURLOPT_CONNECTTIMEOUT,
                  std::min(request.timeout_seconds, request.connect_timeout_seconds));
  api.easy_setopt(curl, CURLOPT_TIMEOUT, request.timeout_seconds);
  api.easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
  api.easy_setopt(curl, CURLOPT_USERAGENT, "keyhound/" KEYHOUND_VERSION);
  CURLcode code = api.easy_perform(curl);
  api.easy_setopt(curl, CURLOPT_HTTPHEADER, nullptr);
  api.easy_setopt(curl, CURLOPT_URL, "");  // the URL may hold the secret (a bot token in the path)
  for (curl_slist* item = list.get(); item; item = item->next)
    if (item->data) OPENSSL_cleanse(item->data, std::char_traits<char>::length(item->data));
  if (code != CURLE_OK) {
    // libcurl's messages name the host, never the path or headers.
    error.message = api.easy_strerror(code);
    if (error_text[0] && std::string_view(error_text).find('/') == std::string_view::npos)
      error.message = error_text;
    error.may_pass_later = code != CURLE_PEER_FAILED_VERIFICATION && code != CURLE_SSL_CACERT_BADFILE &&
                           code != CURLE_SSL_CERTPROBLEM && code != CURLE_UNSUPPORTED_PROTOCOL &&
                           code != CURLE_URL_MALFORMAT;
    wipe(response.body);
    return response;
  }
  api.easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &response.status);
  return response;
}

}  // namespace keyhound
