// The Shared Key string to sign for a GET without body: the verb, eleven empty standard
// headers, the x-ms-* headers and the canonical resource with its query parameters.
#include "verify/azure_storage.hpp"

#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <algorithm>
#include <ctime>

#include "vault/wipe.hpp"

namespace keyhound {
namespace {

std::string rfc1123_now() {
  std::time_t now = std::time(nullptr);
  std::tm utc{};
  gmtime_r(&now, &utc);
  char text[64];
  std::strftime(text, sizeof text, "%a, %d %b %Y %H:%M:%S GMT", &utc);
  return text;
}

bool decode_base64(const std::string& text, std::string& out) {
  if (text.empty() || text.size() % 4) return false;
  out.assign(text.size() / 4 * 3, '\0');
  int length =
      EVP_DecodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                      reinterpret_cast<const unsigned char*>(text.data()), static_cast<int>(text.size()));
  if (length < 0) return false;
  std::size_t padding = text.size() - text.find_last_not_of('=') - 1;
  out.resize(static_cast<std::size_t>(length) - padding);
  return true;
}

std::string encode_base64(const unsigned char* data, std::size_t size) {
  std::string out(4 * ((size + 2) / 3) + 1, '\0');
  int written = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()), data, static_cast<int>(size));
  out.resize(static_cast<std::size_t>(written));
  return out;
}

}  // namespace

HttpRequest build_azure_storage_call(const std::string& account, const std::string& account_key) {
  HttpRequest request;
  bool valid_name = account.size() >= 3 && account.size() <= 24 &&
                    std::all_of(account.begin(), account.end(),
                                [](char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'); });
  std::string key;
  if (!valid_name || !decode_base64(account_key, key)) return request;
  std::string date = rfc1123_now();
  const std::string version = "2021-08-06";
  std::string to_sign = "GET\n\n\n\n\n\n\n\n\n\n\n\nx-ms-date:" + date + "\nx-ms-version:" + version + "\n/" +
                        account + "/\ncomp:properties\nrestype:service";
  unsigned char mac[EVP_MAX_MD_SIZE];
  unsigned int mac_size = 0;
  HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()),
       reinterpret_cast<const unsigned char*>(to_sign.data()), to_sign.size(), mac, &mac_size);
  wipe(key);
  request.url = "https://" + account + ".blob.core.windows.net/?restype=service&comp=properties";
  request.headers = {{"x-ms-date", date},
                     {"x-ms-version", version},
                     {"Authorization", "SharedKey " + account + ":" + encode_base64(mac, mac_size)}};
  return request;
}

}  // namespace keyhound
