#include "match/checksums.hpp"

#include <zlib.h>

#include <array>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <vector>

namespace keyhound {
namespace {

constexpr std::string_view kBase62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

// GitHub (ghp_, gho_, ghu_, ghs_, ghr_) and npm (npm_) tokens: a prefix, 30 random base62
// characters and their 6-character checksum. Longer tokens (GitHub reserves up to 255) are not
// in the published format, so they get no verdict.
// https://github.blog/engineering/platform-security/behind-githubs-new-authentication-token-formats/
// https://github.blog/changelog/2021-09-23-npm-has-a-new-access-token-format/
StructureVerdict check_prefixed_crc32(std::string_view secret, std::size_t prefix_length) {
  if (secret.size() != prefix_length + 36) return StructureVerdict::unknown;
  std::string_view body = secret.substr(prefix_length);
  return base62_crc32(body.substr(0, 30)) == body.substr(30) ? StructureVerdict::checksum_valid
                                                             : StructureVerdict::checksum_invalid;
}

// base64url without padding (standard alphabet characters accepted too); nullopt when malformed.
std::optional<std::string> decode_base64url(std::string_view text) {
  std::string out;
  std::uint32_t buffer = 0;
  int bits = 0;
  for (char c : text) {
    int value;
    if (c >= 'A' && c <= 'Z')
      value = c - 'A';
    else if (c >= 'a' && c <= 'z')
      value = c - 'a' + 26;
    else if (c >= '0' && c <= '9')
      value = c - '0' + 52;
    else if (c == '-' || c == '+')
      value = 62;
    else if (c == '_' || c == '/')
      value = 63;
    else if (c == '=')
      break;
    else
      return std::nullopt;
    buffer = (buffer << 6) | static_cast<std::uint32_t>(value);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out.push_back(static_cast<char>((buffer >> bits) & 0xff));
    }
  }
  if (bits >= 6) return std::nullopt;  // a lone character cannot end a base64 text
  return out;
}

// A JWT: its header is a JSON object naming the algorithm ("alg") and its payload a JSON
// object (RFC 7519 section 7.2).
StructureVerdict check_jwt(std::string_view token) {
  std::size_t first = token.find('.');
  std::size_t second = first == std::string_view::npos ? first : token.find('.', first + 1);
  if (second == std::string_view::npos) return StructureVerdict::structure_invalid;
  auto header = decode_base64url(token.substr(0, first));
  auto payload = decode_base64url(token.substr(first + 1, second - first - 1));
  if (!header || !payload) return StructureVerdict::structure_invalid;
  auto header_json = nlohmann::json::parse(*header, nullptr, false);
  auto payload_json = nlohmann::json::parse(*payload, nullptr, false);
  bool valid = header_json.is_object() && header_json.contains("alg") && header_json["alg"].is_string() &&
               payload_json.is_object();
  return valid ? StructureVerdict::structure_valid : StructureVerdict::structure_invalid;
}

// Reads the macaroon v2 binary format (libmacaroons' "V2"): fields of (type, length, data)
// with varint type and length, sections ended by a 0 byte.
class MacaroonReader {
 public:
  explicit MacaroonReader(std::string_view bytes) : bytes_(bytes) {}
  bool at_end() const { return position_ == bytes_.size(); }
  bool take_end_of_section() {
    if (position_ < bytes_.size() && bytes_[position_] == 0) {
      ++position_;
      return true;
    }
    return false;
  }
  // The next field if it has this type; its data in `data`.
  bool take_field(std::uint64_t type, std::string_view* data = nullptr) {
    std::size_t saved = position_;
    auto found_type = varint();
    auto length = varint();
    if (!found_type || *found_type != type || !length || *length > bytes_.size() - position_) {
      position_ = saved;
      return false;
    }
    if (data) *data = bytes_.substr(position_, *length);
    position_ += *length;
    return true;
  }

 private:
  std::optional<std::uint64_t> varint() {
    std::uint64_t value = 0;
    for (int shift = 0; shift < 64 && position_ < bytes_.size(); shift += 7) {
      auto byte = static_cast<unsigned char>(bytes_[position_++]);
      value |= std::uint64_t{byte & 0x7fu} << shift;
      if (!(byte & 0x80)) return value;
    }
    return std::nullopt;
  }
  std::string_view bytes_;
  std::size_t position_ = 0;
};

constexpr std::uint64_t kLocation = 1, kIdentifier = 2, kVerificationId = 4, kSignature = 6;

// PyPI API tokens are "pypi-" and a base64url macaroon v2 (version byte 2) whose location is
// the index, then caveats, then a 32-byte HMAC-SHA256 signature.
// https://pypi.org/help/#apitoken, https://github.com/rescrv/libmacaroons (format.txt)
StructureVerdict check_pypi(std::string_view token, std::string_view location) {
  if (token.substr(0, 5) != "pypi-") return StructureVerdict::unknown;
  auto bytes = decode_base64url(token.substr(5));
  if (!bytes || bytes->empty() || (*bytes)[0] != 2) return StructureVerdict::structure_invalid;
  MacaroonReader reader(std::string_view(*bytes).substr(1));
  std::string_view found_location, signature;
  bool valid = reader.take_field(kLocation, &found_location) && found_location == location &&
               reader.take_field(kIdentifier) && reader.take_end_of_section();
  while (valid && !reader.take_end_of_section()) {  // caveats, until an empty section
    reader.take_field(kLocation);
    valid = reader.take_field(kIdentifier);
    reader.take_field(kVerificationId);
    valid = valid && reader.take_end_of_section();
  }
  valid = valid && reader.take_field(kSignature, &signature) && signature.size() == 32 && reader.at_end();
  return valid ? StructureVerdict::structure_valid : StructureVerdict::structure_invalid;
}

}  // namespace

std::string base62_crc32(std::string_view random) {
  auto crc = static_cast<std::uint32_t>(
      crc32(0L, reinterpret_cast<const Bytef*>(random.data()), static_cast<uInt>(random.size())));
  std::string out(6, '0');
  for (std::size_t i = 6; i-- > 0 && crc;) {
    out[i] = kBase62[crc % 62];
    crc /= 62;
  }
  return out;
}

StructureVerdict check_structure(std::string_view rule_id, std::string_view secret) {
  if (rule_id == "github.pat-classic" || rule_id == "github.oauth-token" ||
      rule_id == "github.user-to-server-token" || rule_id == "github.installation-token" ||
      rule_id == "github.refresh-token" || rule_id == "npm.access-token")
    return check_prefixed_crc32(secret, 4);
  if (rule_id == "jwt.token") return check_jwt(secret);
  if (rule_id == "pypi.api-token") return check_pypi(secret, "pypi.org");
  if (rule_id == "pypi.test-api-token") return check_pypi(secret, "test.pypi.org");
  return StructureVerdict::unknown;
}

}  // namespace keyhound
