// Vendors' verifiable token structure: checksums (GitHub, npm) and decodable formats (PyPI
// macaroons, JWTs). A structure that checks out says the value came from the vendor; one that
// fails marks a look-alike typed by hand for a test or a document.
#pragma once

#include <string>
#include <string_view>

namespace keyhound {

enum class StructureVerdict {
  unknown,         // no check for this rule or this shape
  checksum_valid,  // the vendor's checksum matches
  checksum_invalid,
  structure_valid,  // decodes into the vendor's documented structure
  structure_invalid,
};

// The check for `rule_id`'s secrets, if it has one.
StructureVerdict check_structure(std::string_view rule_id, std::string_view secret);

// GitHub's and npm's token checksum: CRC32 of the random part, in base62 (0-9A-Za-z), six
// characters, left-padded with '0'.
std::string base62_crc32(std::string_view random);

}  // namespace keyhound
