// libFuzzer target: the TCP syslog framing (RFC 6587 octet counting and LF/NUL-terminated frames
// mixed, as senders write them). The first byte chooses the read sizes, the rest is the stream.
// Invariants: nothing crashes; no frame is longer than the limit; the frames and the count of
// oversized ones are the same however the stream is cut into reads (a TCP sender's segments
// fall anywhere).
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include "logs/receiver.hpp"

namespace {

struct Framed {
  std::vector<std::string> frames;
  uint64_t oversized = 0;
};

Framed Split(std::string_view stream, size_t read_size, size_t max_frame) {
  Framed out;
  mamori::logs::FrameSplitter split(max_frame);
  auto keep = [&](std::string_view f) {
    if (f.size() > max_frame) std::abort();
    out.frames.emplace_back(f);
  };
  for (size_t at = 0; at < stream.size(); at += read_size)
    split.Feed(stream.substr(at, read_size), keep);
  split.Finish(keep);
  out.oversized = split.oversized();
  return out;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 1 || size > 64 * 1024) return 0;
  size_t read_size = 1 + data[0] % 37;
  std::string_view stream(reinterpret_cast<const char*>(data) + 1, size - 1);
  constexpr size_t kMaxFrame = 64;  // small, so that oversized frames are common
  Framed whole = Split(stream, stream.size() + 1, kMaxFrame);
  Framed cut = Split(stream, read_size, kMaxFrame);
  if (whole.frames != cut.frames || whole.oversized != cut.oversized) std::abort();
  return 0;
}
