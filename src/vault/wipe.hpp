// Wiping memory that held a secret (OPENSSL_cleanse: the compiler may not optimise it away).
#pragma once

#include <openssl/crypto.h>

#include <string>
#include <string_view>
#include <utility>

namespace keyhound {

// Clears the whole buffer, not only the current size: earlier, longer contents may linger.
inline void wipe(std::string& text) {
  if (text.capacity() > 0) OPENSSL_cleanse(text.data(), text.capacity());
  text.clear();
}

// A string that holds a secret value and wipes it when it goes away or is replaced.
class SecretString {
 public:
  SecretString() = default;
  // Copies: the caller wipes its own buffer (a moved short string would leave its bytes behind).
  explicit SecretString(std::string_view value) : value_(value) {}
  SecretString(const SecretString& other) : value_(other.value_) {}
  // Copies then wipes: a moved-from short string keeps its characters in place.
  SecretString(SecretString&& other) noexcept : value_(other.value_) { wipe(other.value_); }
  SecretString& operator=(const SecretString& other) {
    if (this != &other) {
      wipe(value_);
      value_ = other.value_;
    }
    return *this;
  }
  SecretString& operator=(SecretString&& other) noexcept {
    if (this != &other) {
      wipe(value_);
      value_ = other.value_;
      wipe(other.value_);
    }
    return *this;
  }
  ~SecretString() { wipe(value_); }

  const std::string& str() const { return value_; }
  bool empty() const { return value_.empty(); }

 private:
  std::string value_;
};

}  // namespace keyhound
