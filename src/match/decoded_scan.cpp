// One layer is every decoded span of the layer below, joined by line breaks into one buffer, so
// each layer costs one matcher scan however many spans it holds; a long base64 run is decoded
// once and scanned once.
#include "match/decoded_scan.hpp"

#include <algorithm>
#include <span>
#include <tuple>

namespace keyhound {
namespace {

// Decoded spans shorter than this hold no secret a rule would take.
constexpr std::size_t kMinDecoded = 8;
// Characters of a long base64 span decoded first, to see whether it is text at all.
constexpr std::size_t kSample = 1024;

using Layer = DecodeScratch::Layer;
using Piece = Layer::Piece;

using Region = DecodeScratch::Region;

// True when a match in `matches` (ordered by start) lies in [start, end) and is not most of it:
// the plain scan saw that secret as it is. A match on (nearly) the whole span, such as a rule for
// base64 values, does not stop the decoding: the decoded bytes may hold a more specific secret.
// `reach[i]` is the furthest end among matches[0..i].
bool found_plain(const std::vector<Match>& matches, const std::vector<std::size_t>& reach, std::size_t start,
                 std::size_t end) {
  auto first_after = std::lower_bound(matches.begin(), matches.end(), end,
                                      [](const Match& m, std::size_t offset) { return m.start < offset; });
  std::size_t i = static_cast<std::size_t>(first_after - matches.begin());
  for (int looked = 0; i > 0 && reach[i - 1] > start; --i) {
    if (++looked > 64) return true;  // a crowd of matches: the plain scan has this span covered
    const Match& match = matches[i - 1];
    if (match.end > start && (match.end - match.start) * 4 < (end - start) * 3) return true;
  }
  return false;
}

void decode_layer(std::string_view input, std::span<const Region> regions, const std::vector<Match>& skip,
                  Layer& layer) {
  layer.pieces.clear();
  layer.checkpoints.clear();
  layer.bytes.clear();
  std::vector<std::size_t>& reach = layer.reach;
  reach.resize(skip.size());
  for (std::size_t i = 0, furthest = 0; i < skip.size(); ++i)
    reach[i] = furthest = std::max(furthest, skip[i].end);
  for (const Region& region : regions) {
    layer.spans.clear();
    find_encoded_spans(input.substr(region.begin, region.end - region.begin), layer.spans);
    for (EncodedSpan span : layer.spans) {
      span.start += region.begin;
      span.end += region.begin;
      if (found_plain(skip, reach, span.start, span.end)) continue;
      const std::size_t begin = layer.bytes.size();
      const std::size_t first_checkpoint = layer.checkpoints.size();
      std::string_view encoded = input.substr(span.start, span.end - span.start);
      // Most base64 runs in source are identifiers: skipped without decoding them (the check
      // below would drop them anyway).
      if (span.encoding == Encoding::base64 && base64_cannot_be_text(encoded)) continue;
      if (span.encoding == Encoding::base64 && encoded.size() > 2 * kSample) {
        // An image or archive in base64 shows itself in its first bytes: skip it undecoded.
        bool text = decode_span(span.encoding, encoded.substr(0, kSample), layer.bytes, layer.checkpoints) &&
                    looks_like_text(std::string_view(layer.bytes).substr(begin));
        layer.bytes.resize(begin);
        layer.checkpoints.resize(first_checkpoint);
        if (!text) continue;
      }
      if (!decode_span(span.encoding, encoded, layer.bytes, layer.checkpoints)) continue;
      std::string_view decoded(layer.bytes.data() + begin, layer.bytes.size() - begin);
      if (decoded.size() < kMinDecoded || (span.encoding == Encoding::base64 && !looks_like_text(decoded))) {
        layer.bytes.resize(begin);
        layer.checkpoints.resize(first_checkpoint);
        continue;
      }
      layer.pieces.push_back({span, begin, layer.bytes.size(), first_checkpoint,
                              layer.checkpoints.size() - first_checkpoint, region.parent});
      layer.bytes.push_back('\n');  // keeps a match from running into the next piece
    }
  }
}

// The piece of `layer` that holds decoded bytes [start, end), or nullptr when they straddle two.
const Piece* piece_holding(const Layer& layer, std::size_t start, std::size_t end) {
  auto after = std::upper_bound(layer.pieces.begin(), layer.pieces.end(), start,
                                [](std::size_t offset, const Piece& p) { return offset < p.begin; });
  if (after == layer.pieces.begin()) return nullptr;
  const Piece& piece = *std::prev(after);
  return end <= piece.end ? &piece : nullptr;
}

// Decoded bytes [start, end) of `piece` back to the encoded bytes of the layer's input.
ByteRange to_input(const Layer& layer, const Piece& piece, std::string_view input, std::size_t start,
                   std::size_t end) {
  std::string_view encoded = input.substr(piece.span.start, piece.span.end - piece.span.start);
  std::span<const Checkpoint> checkpoints(layer.checkpoints.data() + piece.checkpoints,
                                          piece.checkpoint_count);
  ByteRange range =
      encoded_range(piece.span.encoding, encoded, checkpoints, start - piece.begin, end - piece.begin);
  return {piece.span.start + range.start, piece.span.start + range.end};
}

}  // namespace

void scan_decoded(const Matcher& matcher, std::string_view bytes, std::vector<Match>& plain,
                  MatchScratch& scratch, DecodeScratch& decode, std::vector<DecodedMatch>& out) {
  out.clear();
  Layer& outer = decode.layers[0];
  Layer& inner = decode.layers[1];
  const Region whole{0, bytes.size(), 0};
  decode_layer(bytes, {&whole, 1}, plain, outer);
  inner.pieces.clear();
  if (outer.pieces.empty()) return;
  matcher.scan(outer.bytes, scratch, outer.matches);

  std::vector<Region>& regions = inner.regions;
  regions.clear();
  for (std::size_t i = 0; i < outer.pieces.size(); ++i)
    regions.push_back({outer.pieces[i].begin, outer.pieces[i].end, i});
  decode_layer(outer.bytes, regions, outer.matches, inner);
  inner.matches.clear();
  if (!inner.pieces.empty()) matcher.scan(inner.bytes, scratch, inner.matches);

  for (const Match& match : outer.matches) {
    const Piece* piece = piece_holding(outer, match.start, match.end);
    if (!piece) continue;
    ByteRange range = to_input(outer, *piece, bytes, match.start, match.end);
    out.push_back({match.rule, range.start, range.end,
                   outer.bytes.substr(match.start, match.end - match.start),
                   to_string(piece->span.encoding)});
  }
  for (const Match& match : inner.matches) {
    const Piece* piece = piece_holding(inner, match.start, match.end);
    if (!piece) continue;
    ByteRange middle = to_input(inner, *piece, outer.bytes, match.start, match.end);
    const Piece& parent = outer.pieces[piece->parent];
    ByteRange range = to_input(outer, parent, bytes, middle.start, middle.end);
    out.push_back({match.rule, range.start, range.end,
                   inner.bytes.substr(match.start, match.end - match.start),
                   std::string(to_string(parent.span.encoding)) + "+" + to_string(piece->span.encoding)});
  }
  std::sort(out.begin(), out.end(), [](const DecodedMatch& a, const DecodedMatch& b) {
    return std::tie(a.start, a.end, a.rule) < std::tie(b.start, b.end, b.rule);
  });
  if (out.empty() || plain.empty()) return;
  // A generic rule's find in decoded bytes adds nothing where the plain bytes already hold a finding
  // (a URL-escaped token found by its own rule is not also "a value in an .env file").
  std::erase_if(out, [&](const DecodedMatch& decoded) {
    return is_generic(matcher.rules()[decoded.rule]) &&
           std::any_of(plain.begin(), plain.end(), [&decoded](const Match& match) {
             return decoded.start < match.end && match.start < decoded.end;
           });
  });
  std::erase_if(plain, [&out](const Match& match) {
    return std::any_of(out.begin(), out.end(), [&match](const DecodedMatch& decoded) {
      return decoded.rule == match.rule && decoded.start < match.end && match.start < decoded.end;
    });
  });
}

}  // namespace keyhound
