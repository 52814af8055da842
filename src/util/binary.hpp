// Little binary encoding for cache files: fixed-width numbers and length-prefixed strings.
#pragma once

#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>

namespace keyhound {

class ByteWriter {
 public:
  void u32(std::uint32_t value) { out_.append(reinterpret_cast<const char*>(&value), sizeof value); }
  void f64(double value) { out_.append(reinterpret_cast<const char*>(&value), sizeof value); }
  void str(std::string_view text) {
    u32(static_cast<std::uint32_t>(text.size()));
    out_.append(text);
  }
  std::string& bytes() { return out_; }

 private:
  std::string out_;
};

// Reads what ByteWriter wrote; any overrun makes ok() false and further reads return zeros.
class ByteReader {
 public:
  explicit ByteReader(std::string_view in) : in_(in) {}
  std::uint32_t u32() { return fixed<std::uint32_t>(); }
  double f64() { return fixed<double>(); }
  std::string str() {
    std::uint32_t size = u32();
    if (!ok_ || size > in_.size() - at_) return fail<std::string>();
    std::string out(in_.substr(at_, size));
    at_ += size;
    return out;
  }
  void skip_str() {
    std::uint32_t size = u32();
    if (!ok_ || size > in_.size() - at_) return static_cast<void>(fail<int>());
    at_ += size;
  }
  std::string_view rest() const { return in_.substr(at_); }
  bool ok() const { return ok_; }

 private:
  template <typename T>
  T fixed() {
    if (!ok_ || sizeof(T) > in_.size() - at_) return fail<T>();
    T value;
    std::memcpy(&value, in_.data() + at_, sizeof value);
    at_ += sizeof value;
    return value;
  }
  template <typename T>
  T fail() {
    ok_ = false;
    return T{};
  }
  std::string_view in_;
  std::size_t at_ = 0;
  bool ok_ = true;
};

}  // namespace keyhound
