// The AWS Query protocol's two halves keyhound needs (IAM, SNS): form-encoding the request, and
// reading the few plain-text fields of an XML reply.
#pragma once

#include <string>
#include <vector>

namespace keyhound {

// RFC 3986 percent-encoding, as SigV4 and the Query protocol expect; `keep_slash` for a URL's
// query value that may keep its path-like slashes (the agent's secretId).
std::string form_encode(const std::string& text, bool keep_slash = false);

// The text of each <tag>...</tag> in `xml`, in order, with XML's five entities and numeric
// character references decoded (a policy document comes back as escaped JSON).
std::vector<std::string> xml_tag_values(const std::string& xml, const std::string& tag);
// The first of those, or "".
std::string xml_first_tag(const std::string& xml, const std::string& tag);

}  // namespace keyhound
