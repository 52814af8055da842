// The second half of a two-part credential (AWS key ID, Twilio account SID, a Shopify shop
// name): the match of the rule's `partner` regex nearest the secret, in the same blob.
#pragma once

#include <memory>
#include <optional>
#include <string>

#include "finding/finding.hpp"

namespace keyhound {

class PartnerFinder {
 public:
  explicit PartnerFinder(std::string root);  // files resolve against root; git blobs in its repository
  ~PartnerFinder();
  PartnerFinder(const PartnerFinder&) = delete;
  PartnerFinder& operator=(const PartnerFinder&) = delete;

  // Group 1 of `regex` (or the whole match) nearest the secret's first location; nullopt when
  // the blob cannot be read again or holds no match.
  std::optional<std::string> find(const Finding& finding, const std::string& regex);

 private:
  struct State;
  std::unique_ptr<State> state_;
};

}  // namespace keyhound
