// libcurl easy interface, one reused handle (keeps the TLS connection alive between calls).
#include "vault/http.hpp"

#include <arpa/inet.h>

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

std::string url_part(CURLU* url, CURLUPart part) {
  char* text = nullptr;
  if (curl_url_get(url, part, &text, 0) != CURLUE_OK || !text) return {};
  CurlStringPtr owner(text);
  return text;
}

size_t append_body(char* data, size_t size, size_t count, void* user) {
  static_cast<std::string*>(user)->append(data, size * count);
  return size * count;
}

}  // namespace

Result<Endpoint> parse_endpoint(const std::string& text) {
  CurlUrlPtr url(curl_url());
  if (!url || curl_url_set(url.get(), CURLUPART_URL, text.c_str(), 0) != CURLUE_OK)
    return make_error("endpoint '" + text +
                      "' is not a URL (e.g. https://secretsmanager.us-east-1.amazonaws.com)");
  std::string scheme = url_part(url.get(), CURLUPART_SCHEME);
  std::string host = url_part(url.get(), CURLUPART_HOST);
  std::string port = url_part(url.get(), CURLUPART_PORT);
  std::string path = url_part(url.get(), CURLUPART_PATH);
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
  std::string ca_bundle;
  CurlLibrary library;
  CurlPtr handle{curl_easy_init()};
};

HttpClient::HttpClient(std::string ca_bundle) : state_(std::make_unique<State>()) {
  state_->ca_bundle = std::move(ca_bundle);
}
HttpClient::~HttpClient() = default;

HttpResponse HttpClient::post(const Endpoint& endpoint,
                              const std::vector<std::pair<std::string, std::string>>& headers,
                              const std::string& body, TransportError& error) {
  HttpResponse response;
  CURL* curl = state_->handle.get();
  if (!curl) {
    error.message = "cannot start libcurl";
    return response;
  }
  curl_easy_reset(curl);
  CurlListPtr list;
  for (const auto& [name, value] : headers) {
    std::string line = name + ": " + value;
    curl_slist* grown = curl_slist_append(list.get(), line.c_str());
    wipe(line);  // the Authorization line and the session token pass through here
    if (!grown) {
      error.message = "out of memory building the request";
      return response;
    }
    list.release();
    list.reset(grown);
  }
  // No "Expect: 100-continue" (it would stall small requests) and no default content type.
  list.reset(curl_slist_append(list.release(), "Expect:"));
  char error_text[CURL_ERROR_SIZE] = {0};
  curl_easy_setopt(curl, CURLOPT_URL, endpoint.url.c_str());
  curl_easy_setopt(curl, CURLOPT_POST, 1L);
  curl_easy_setopt(curl, CURLOPT_POSTFIELDS, body.data());  // not copied: the caller wipes it
  curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(body.size()));
  curl_easy_setopt(curl, CURLOPT_HTTPHEADER, list.get());
  curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, append_body);
  curl_easy_setopt(curl, CURLOPT_WRITEDATA, &response.body);
  curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, error_text);
  curl_easy_setopt(curl, CURLOPT_SSL_VERIFYPEER, 1L);
  curl_easy_setopt(curl, CURLOPT_SSL_VERIFYHOST, 2L);
  if (!state_->ca_bundle.empty()) curl_easy_setopt(curl, CURLOPT_CAINFO, state_->ca_bundle.c_str());
  curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(curl, CURLOPT_FOLLOWLOCATION, 0L);  // a redirect must not carry a signed secret elsewhere
  curl_easy_setopt(curl, CURLOPT_NOPROXY, endpoint.tls ? "" : "*");  // loopback never through a proxy
  curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT, 10L);
  curl_easy_setopt(curl, CURLOPT_TIMEOUT, 60L);
  curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(curl, CURLOPT_USERAGENT, "keyhound/" KEYHOUND_VERSION);
  CURLcode code = curl_easy_perform(curl);
  curl_easy_setopt(curl, CURLOPT_HTTPHEADER, nullptr);
  // The header list held the Authorization line; wipe it before freeing.
  for (curl_slist* item = list.get(); item; item = item->next)
    if (item->data) OPENSSL_cleanse(item->data, std::char_traits<char>::length(item->data));
  if (code != CURLE_OK) {
    error.message = error_text[0] ? error_text : curl_easy_strerror(code);
    error.may_pass_later = code != CURLE_PEER_FAILED_VERIFICATION && code != CURLE_SSL_CACERT_BADFILE &&
                           code != CURLE_SSL_CERTPROBLEM && code != CURLE_UNSUPPORTED_PROTOCOL &&
                           code != CURLE_URL_MALFORMAT;
    wipe(response.body);
    return response;
  }
  curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &response.status);
  return response;
}

}  // namespace keyhound
