// SHA-1, for git's own ids and checksums (blob ids, the index file's trailer); nothing of
// keyhound's own is keyed by it.
#pragma once

#include <array>
#include <cstdint>
#include <string_view>

namespace keyhound {

using Sha1 = std::array<std::uint8_t, 20>;

Sha1 sha1(std::string_view data);

// Incremental SHA-1, for data that arrives in pieces (a blob's header, then its bytes).
class Sha1Builder {
 public:
  Sha1Builder();
  ~Sha1Builder();
  Sha1Builder(const Sha1Builder&) = delete;
  Sha1Builder& operator=(const Sha1Builder&) = delete;
  void update(std::string_view data);
  Sha1 finish();

 private:
  struct State;
  State* state_;
};

}  // namespace keyhound
