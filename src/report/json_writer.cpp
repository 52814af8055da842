#include "report/json_writer.hpp"

#include <charconv>
#include <nlohmann/json.hpp>

namespace keyhound {

void JsonWriter::newline(std::size_t depth) {
  if (indent_ < 0) return;
  out_ += '\n';
  out_.append(depth * static_cast<std::size_t>(indent_), ' ');
}

// Every member and every array item but the first follows a comma; each starts a line.
void JsonWriter::next_item() {
  if (!empty_.back()) out_ += ',';
  empty_.back() = false;
  newline(empty_.size());
}

// A member's value follows its key directly.
void JsonWriter::before_value() {
  if (after_key_)
    after_key_ = false;
  else if (!empty_.empty())
    next_item();
}

void JsonWriter::key(std::string_view name) {
  next_item();
  string(name);
  out_ += indent_ < 0 ? ":" : ": ";
  after_key_ = true;
}

void JsonWriter::open(char bracket) {
  before_value();
  out_ += bracket;
  empty_.push_back(true);
}

void JsonWriter::close(char bracket) {
  bool empty = empty_.back();
  empty_.pop_back();
  if (!empty) newline(empty_.size());
  out_ += bracket;
}

void JsonWriter::value(std::string_view text) {
  before_value();
  string(text);
}

void JsonWriter::value(std::uint64_t number) {
  before_value();
  char digits[24];
  out_.append(digits, std::to_chars(digits, digits + sizeof digits, number).ptr);
}

void JsonWriter::value(std::int64_t number) {
  before_value();
  char digits[24];
  out_.append(digits, std::to_chars(digits, digits + sizeof digits, number).ptr);
}

void JsonWriter::value(double number) {
  before_value();
  out_ += nlohmann::json(number).dump();  // few of these: nlohmann's own number form
}

// Plain printable ASCII goes out as it is; anything to escape or to check as UTF-8 (and to
// replace where it is not) goes through nlohmann's escaping, so both agree byte for byte.
void JsonWriter::string(std::string_view text) {
  for (unsigned char c : text) {
    if (c < 0x20 || c >= 0x7f || c == '"' || c == '\\') {
      out_ +=
          nlohmann::json(std::string(text)).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
      return;
    }
  }
  out_ += '"';
  out_ += text;
  out_ += '"';
}

}  // namespace keyhound
