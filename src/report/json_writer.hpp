// A streaming JSON writer whose output is byte for byte what nlohmann::json's dump gives for the
// same document (same indentation, escaping and number forms), without building the document
// first: a history scan's report holds thousands of locations, and the tree cost more than
// writing it.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace keyhound {

class JsonWriter {
 public:
  // `indent` spaces per level, as dump(indent); a negative indent writes it all on one line.
  JsonWriter(std::string& out, int indent) : out_(out), indent_(indent) {}

  void begin_object() { open('{'); }
  void end_object() { close('}'); }
  void begin_array() { open('['); }
  void end_array() { close(']'); }
  // The key of the object member whose value comes next.
  void key(std::string_view name);

  void value(std::string_view text);
  void value(const char* text) { value(std::string_view(text)); }
  void value(std::uint64_t number);
  void value(std::int64_t number);
  void value(int number) { value(static_cast<std::int64_t>(number)); }
  void value(double number);

  template <class T>
  void member(std::string_view name, const T& content) {
    key(name);
    value(content);
  }

 private:
  void next_item();
  void before_value();
  void open(char bracket);
  void close(char bracket);
  void newline(std::size_t depth);
  void string(std::string_view text);

  std::string& out_;
  int indent_;
  std::vector<bool> empty_;  // per open container: nothing in it yet
  bool after_key_ = false;
};

}  // namespace keyhound
