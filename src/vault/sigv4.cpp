// SigV4 as AWS documents it for every service but S3: normalised, twice-encoded paths.
#include "vault/sigv4.hpp"

#include <openssl/evp.h>

#include <algorithm>
#include <array>
#include <ctime>
#include <map>

#include "util/hash.hpp"
#include "util/time_format.hpp"

namespace keyhound {
namespace {

bool unreserved(unsigned char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_' ||
         c == '.' || c == '~';
}

std::string uri_encode(std::string_view text, bool keep_slash) {
  static constexpr char hex[] = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : text) {
    if (unreserved(c) || (keep_slash && c == '/')) {
      out.push_back(static_cast<char>(c));
    } else {
      out.push_back('%');
      out.push_back(hex[c >> 4]);
      out.push_back(hex[c & 0xf]);
    }
  }
  return out;
}

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

std::string uri_decode(std::string_view text) {
  std::string out;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '%' && i + 2 < text.size() && hex_value(text[i + 1]) >= 0 && hex_value(text[i + 2]) >= 0) {
      out.push_back(static_cast<char>(hex_value(text[i + 1]) * 16 + hex_value(text[i + 2])));
      i += 2;
    } else {
      out.push_back(text[i]);
    }
  }
  return out;
}

// RFC 3986 dot-segment removal plus collapsing of empty segments; a trailing slash stays.
std::string normalize_path(std::string_view path) {
  std::vector<std::string_view> kept;
  std::size_t begin = 0;
  while (begin <= path.size()) {
    std::size_t end = path.find('/', begin);
    if (end == std::string_view::npos) end = path.size();
    std::string_view segment = path.substr(begin, end - begin);
    if (segment == "..") {
      if (!kept.empty()) kept.pop_back();
    } else if (!segment.empty() && segment != ".") {
      kept.push_back(segment);
    }
    begin = end + 1;
  }
  std::string out;
  for (auto segment : kept) {
    out += '/';
    out += segment;
  }
  bool trailing = !path.empty() && path.back() == '/' && !kept.empty();
  std::string_view last = path.substr(path.find_last_of('/') + 1);
  if (!kept.empty() && (last == "." || last == "..")) trailing = true;
  if (out.empty() || trailing) out += '/';
  return out;
}

std::string canonical_query(std::string_view query) {
  std::vector<std::pair<std::string, std::string>> pairs;
  std::size_t begin = 0;
  while (begin < query.size()) {
    std::size_t end = query.find('&', begin);
    if (end == std::string_view::npos) end = query.size();
    std::string_view item = query.substr(begin, end - begin);
    if (!item.empty()) {
      std::size_t equals = item.find('=');
      std::string key(item.substr(0, equals));
      std::string value(equals == std::string_view::npos ? "" : item.substr(equals + 1));
      pairs.emplace_back(uri_encode(uri_decode(key), false), uri_encode(uri_decode(value), false));
    }
    begin = end + 1;
  }
  std::sort(pairs.begin(), pairs.end());
  std::string out;
  for (const auto& [key, value] : pairs) {
    if (!out.empty()) out += '&';
    out += key + '=' + value;
  }
  return out;
}

// Trims and collapses runs of spaces, as AWS does (multi-line values arrive joined by spaces).
std::string canonical_header_value(std::string_view value) {
  std::string out;
  bool space = false;
  for (char c : value) {
    if (c == ' ' || c == '\t' || c == '\r' || c == '\n') {
      space = !out.empty();
      continue;
    }
    if (space) out.push_back(' ');
    space = false;
    out.push_back(c);
  }
  return out;
}

std::string lowercase(std::string text) {
  for (char& c : text)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return text;
}

// Lowercased name -> values joined by commas, in order of appearance.
std::map<std::string, std::string> canonical_headers(const SignableRequest& request) {
  std::map<std::string, std::string> headers;
  for (const auto& [name, value] : request.headers) {
    std::string key = lowercase(name);
    std::string clean = canonical_header_value(value);
    auto [it, inserted] = headers.emplace(key, clean);
    if (!inserted) it->second += "," + clean;
  }
  return headers;
}

std::string signed_header_list(const std::map<std::string, std::string>& headers) {
  std::string out;
  for (const auto& [name, value] : headers) out += (out.empty() ? "" : ";") + name;
  return out;
}

using Mac = std::array<unsigned char, 32>;

Mac hmac_sha256(std::string_view key, std::string_view data) {
  Mac out{};
  size_t length = 0;
  EVP_Q_mac(nullptr, "HMAC", nullptr, "SHA256", nullptr, key.data(), key.size(),
            reinterpret_cast<const unsigned char*>(data.data()), data.size(), out.data(), out.size(),
            &length);
  return out;
}

std::string_view view(const Mac& mac) {
  return {reinterpret_cast<const char*>(mac.data()), mac.size()};
}

std::string signature(const std::string& to_sign, const SigningScope& scope,
                      const AwsCredentials& credentials) {
  std::string secret = "AWS4" + credentials.secret_access_key.str();
  Mac date_key = hmac_sha256(secret, scope.amz_date.substr(0, 8));
  wipe(secret);
  Mac region_key = hmac_sha256(view(date_key), scope.region);
  Mac service_key = hmac_sha256(view(region_key), scope.service);
  Mac signing_key = hmac_sha256(view(service_key), "aws4_request");
  Mac result = hmac_sha256(view(signing_key), to_sign);
  for (Mac* key : {&date_key, &region_key, &service_key, &signing_key})
    OPENSSL_cleanse(key->data(), key->size());
  return to_hex(result.data(), result.size());
}

std::string credential_scope(const SigningScope& scope) {
  return scope.amz_date.substr(0, 8) + "/" + scope.region + "/" + scope.service + "/aws4_request";
}

}  // namespace

std::string canonical_request(const SignableRequest& request) {
  std::string_view target = request.target;
  std::size_t question = target.find('?');
  std::string_view path = target.substr(0, question);
  std::string_view query = question == std::string_view::npos ? "" : target.substr(question + 1);
  auto headers = canonical_headers(request);
  std::string out = request.method + "\n";
  out += uri_encode(normalize_path(path), true) + "\n";
  out += canonical_query(query) + "\n";
  for (const auto& [name, value] : headers) out += name + ":" + value + "\n";
  out += "\n" + signed_header_list(headers) + "\n";
  out += sha256_hex(request.body);
  return out;
}

std::string string_to_sign(const std::string& canonical, const SigningScope& scope) {
  return "AWS4-HMAC-SHA256\n" + scope.amz_date + "\n" + credential_scope(scope) + "\n" +
         sha256_hex(canonical);
}

std::string authorization_header(const SignableRequest& request, const SigningScope& scope,
                                 const AwsCredentials& credentials) {
  std::string to_sign = string_to_sign(canonical_request(request), scope);
  return "AWS4-HMAC-SHA256 Credential=" + credentials.access_key_id + "/" + credential_scope(scope) +
         ", SignedHeaders=" + signed_header_list(canonical_headers(request)) +
         ", Signature=" + signature(to_sign, scope, credentials);
}

void sign_request(SignableRequest& request, const SigningScope& scope, const AwsCredentials& credentials) {
  request.headers.emplace_back("X-Amz-Date", scope.amz_date);
  if (!credentials.session_token.empty())
    request.headers.emplace_back("X-Amz-Security-Token", credentials.session_token.str());
  std::string authorization = authorization_header(request, scope, credentials);
  request.headers.emplace_back("Authorization", std::move(authorization));
}

std::string amz_date_now() {
  return format_utc(std::time(nullptr), "%Y%m%dT%H%M%SZ");
}

}  // namespace keyhound
