// Tag search, not an XML parser: the replies keyhound reads hold no CDATA and no nesting of a
// tag inside itself.
#include "vault/aws_query.hpp"

#include <cctype>
#include <cstdlib>

#include "vault/wipe.hpp"

namespace keyhound {
namespace {

void append_utf8(std::string& out, unsigned long code) {
  if (code < 0x80) {
    out.push_back(static_cast<char>(code));
  } else if (code < 0x800) {
    out.push_back(static_cast<char>(0xC0 | (code >> 6)));
    out.push_back(static_cast<char>(0x80 | (code & 0x3F)));
  } else if (code < 0x10000) {
    out.push_back(static_cast<char>(0xE0 | (code >> 12)));
    out.push_back(static_cast<char>(0x80 | ((code >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (code & 0x3F)));
  } else if (code < 0x110000) {
    out.push_back(static_cast<char>(0xF0 | (code >> 18)));
    out.push_back(static_cast<char>(0x80 | ((code >> 12) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | ((code >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (code & 0x3F)));
  }
}

std::string xml_unescape(const std::string& text) {
  static const std::pair<const char*, char> kEntities[] = {
      {"amp", '&'}, {"lt", '<'}, {"gt", '>'}, {"quot", '"'}, {"apos", '\''}};
  std::string out;
  for (std::size_t i = 0; i < text.size(); ++i) {
    std::size_t semicolon = text[i] == '&' ? text.find(';', i) : std::string::npos;
    if (semicolon == std::string::npos || semicolon - i > 10) {
      out.push_back(text[i]);
      continue;
    }
    std::string name = text.substr(i + 1, semicolon - i - 1);
    bool decoded = false;
    if (name.size() > 1 && name[0] == '#') {
      bool hex = name[1] == 'x' || name[1] == 'X';
      char* end = nullptr;
      const char* digits = name.c_str() + (hex ? 2 : 1);
      unsigned long code = std::strtoul(digits, &end, hex ? 16 : 10);
      if (end && *end == '\0' && end != digits) {
        append_utf8(out, code);
        decoded = true;
      }
    } else {
      for (const auto& [entity, character] : kEntities)
        if (name == entity) {
          out.push_back(character);
          decoded = true;
        }
    }
    if (decoded)
      i = semicolon;
    else
      out.push_back(text[i]);
  }
  return out;
}

}  // namespace

std::string form_encode(const std::string& text, bool keep_slash) {
  static constexpr char hex[] = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : text) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~' || (keep_slash && c == '/')) {
      out.push_back(static_cast<char>(c));
    } else {
      out += '%';
      out += hex[c >> 4];
      out += hex[c & 0xf];
    }
  }
  return out;
}

std::vector<std::string> xml_tag_values(const std::string& xml, const std::string& tag) {
  std::vector<std::string> out;
  std::string open = "<" + tag + ">", close = "</" + tag + ">";
  for (std::size_t at = xml.find(open); at != std::string::npos; at = xml.find(open, at + 1)) {
    std::size_t start = at + open.size();
    std::size_t end = xml.find(close, start);
    if (end == std::string::npos) break;
    std::string raw = xml.substr(start, end - start);
    out.push_back(xml_unescape(raw));
    wipe(raw);  // CreateAccessKey's reply holds a secret access key
  }
  return out;
}

std::string xml_first_tag(const std::string& xml, const std::string& tag) {
  auto values = xml_tag_values(xml, tag);
  return values.empty() ? std::string() : values.front();
}

}  // namespace keyhound
