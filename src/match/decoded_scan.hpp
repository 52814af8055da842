// Secrets inside encoded spans: decodes what looks encoded (match/decode.hpp), scans the
// decoded bytes with the same matcher, once per layer, and maps each match back to the
// encoded bytes of the blob. Two layers at most (base64 inside base64, escapes inside base64).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "match/matcher.hpp"
#include "util/decode.hpp"

namespace keyhound {

inline constexpr int kMaxDecodeDepth = 2;

struct DecodedMatch {
  std::uint32_t rule;     // index into Matcher::rules()
  std::size_t start = 0;  // the encoded bytes of the scanned blob that decode to the secret
  std::size_t end = 0;
  std::string secret;   // the decoded secret
  std::string decoded;  // the encodings, outermost first: "base64", "base64+escape"
};

// Per-worker buffers, reused from blob to blob.
struct DecodeScratch {
  struct Region {  // where in a layer's input to look: the blob, or a piece of the layer below
    std::size_t begin;
    std::size_t end;
    std::size_t parent;
  };
  struct Layer {
    struct Piece {
      EncodedSpan span;       // in the layer's input
      std::size_t begin = 0;  // its decoding, within `bytes`
      std::size_t end = 0;
      std::size_t checkpoints = 0;  // index of its first checkpoint
      std::size_t checkpoint_count = 0;
      std::size_t parent = 0;  // the piece of the layer below that holds the span
    };
    std::vector<EncodedSpan> spans;
    std::vector<Piece> pieces;
    std::vector<Checkpoint> checkpoints;
    std::string bytes;  // decoded pieces, each followed by a line break
    std::vector<Match> matches;
    std::vector<std::size_t> reach;  // of the matches that stop spans being decoded
    std::vector<Region> regions;
  };
  Layer layers[kMaxDecodeDepth];
};

// Replaces `out` with the matches found in decoded form, ordered by start. `plain` is the
// matcher's result on `bytes`: a span that holds a plain match as a small part of it is not
// decoded (the secret was seen as it is), and a plain match that a decoded match of the same
// rule overlaps is removed from `plain` (a PEM key in a JSON string is reported once, as the key
// its user loads, with real line breaks).
void scan_decoded(const Matcher& matcher, std::string_view bytes, std::vector<Match>& plain,
                  MatchScratch& scratch, DecodeScratch& decode, std::vector<DecodedMatch>& out);

}  // namespace keyhound
