// libFuzzer target: EPSS daily CSV. Invariant: every score read is a probability in [0, 1].
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "vuln/feeds.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace mamori::vuln;
  if (size > 256 * 1024) return 0;
  auto e = ReadEpss(std::string_view(reinterpret_cast<const char*>(data), size), "fuzz.csv");
  if (!e.ok()) return 0;
  for (const auto& s : e->scores)
    if (!(s.epss >= 0 && s.epss <= 1 && s.percentile >= 0 && s.percentile <= 1)) std::abort();
  return 0;
}
