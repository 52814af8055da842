// Fuzzes the text decoders (base64, percent, escapes): spans found in any bytes are ordered,
// inside the input and not overlapping; every decoding's checkpoints and every decoded range map
// back inside the encoded span; decode_span leaves its outputs as they were when it refuses.
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include "util/decode.hpp"

namespace {

void check(bool condition) {
  if (!condition) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace keyhound;
  std::string_view bytes(reinterpret_cast<const char*>(data), size);
  std::vector<EncodedSpan> spans;
  find_encoded_spans(bytes, spans);
  std::size_t previous_end = 0;
  for (const auto& span : spans) {
    check(span.start < span.end && span.end <= size && span.start >= previous_end);
    previous_end = span.end;
  }
  // Every encoding on every found span, and on the whole input.
  std::vector<EncodedSpan> tries = spans;
  for (Encoding encoding : {Encoding::base64, Encoding::percent, Encoding::escape})
    tries.push_back({encoding, 0, size});
  for (const auto& span : tries) {
    std::string_view encoded = bytes.substr(span.start, span.end - span.start);
    std::string out = "x";
    std::vector<Checkpoint> checkpoints(1);
    if (!decode_span(span.encoding, encoded, out, checkpoints)) {
      check(out == "x" && checkpoints.size() == 1);
      continue;
    }
    std::size_t decoded_size = out.size() - 1;
    std::span<const Checkpoint> own(checkpoints.data() + 1, checkpoints.size() - 1);
    for (const auto& checkpoint : own)
      check(checkpoint.decoded <= decoded_size && checkpoint.encoded <= encoded.size());
    if (decoded_size == 0) continue;
    std::size_t start = data[0] % decoded_size;
    std::size_t end = start + 1 + (size > 1 ? data[1] % (decoded_size - start) : 0);
    ByteRange range = encoded_range(span.encoding, encoded, own, start, end);
    check(range.start <= range.end && range.end <= encoded.size());
    (void)looks_like_text(std::string_view(out).substr(1));
    if (span.encoding == Encoding::base64) (void)base64_cannot_be_text(encoded);
  }
  return 0;
}
