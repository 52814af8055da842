// HTTPS transport (libcurl): TLS always verified; plain http only to a loopback address.
#pragma once

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "util/result.hpp"

namespace keyhound {

struct Endpoint {
  std::string url;   // "https://host[:port]" without a path
  std::string host;  // as the Host header carries it ("host" or "host:port")
  bool tls = true;
};

// Parses and checks an endpoint URL: https, or http to 127.0.0.0/8, ::1 or localhost.
Result<Endpoint> parse_endpoint(const std::string& url);

struct HttpResponse {
  long status = 0;
  std::string body;
};

// A failure before any HTTP status arrived: connection refused, reset, timeout, TLS error.
struct TransportError {
  std::string message;         // libcurl's description; never holds request contents
  bool may_pass_later = true;  // false for certificate and URL problems: a retry cannot help
};

// A request to a full URL, for verifiers: any read-only method, no redirects, bounded time.
struct HttpRequest {
  std::string method = "GET";  // GET, HEAD or POST
  std::string url;             // https://host/path?query
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;           // sent with POST
  std::string connect_to;     // tests only: "HOST:443:127.0.0.1:PORT" (curl's CONNECT_TO)
  long timeout_seconds = 10;  // the whole exchange
  long connect_timeout_seconds = 5;
  std::size_t max_body = 1 << 20;    // answers past this are cut (a verifier reads a few fields)
  bool allow_loopback_http = false;  // the vault's endpoint: http to loopback, never via a proxy
};

class HttpClient {
 public:
  // `ca_bundle`: a PEM file trusted instead of the system store (AWS_CA_BUNDLE, --ca-bundle).
  explicit HttpClient(std::string ca_bundle);
  ~HttpClient();
  HttpClient(const HttpClient&) = delete;
  HttpClient& operator=(const HttpClient&) = delete;

  // POSTs `body` to the endpoint's root. On a transport failure `error` is filled and the
  // result holds status 0. The response body is wiped by its owner when it held a secret.
  HttpResponse post(const Endpoint& endpoint, const std::vector<std::pair<std::string, std::string>>& headers,
                    const std::string& body, TransportError& error);

  // Sends one request and returns the status and (capped) body; never follows redirects.
  HttpResponse fetch(const HttpRequest& request, TransportError& error);

 private:
  struct State;
  std::unique_ptr<State> state_;  // empty when libcurl could not be loaded
  std::string load_error_;
};

}  // namespace keyhound
