// libFuzzer target: the SBOM reader (CycloneDX JSON/XML, SPDX JSON). Invariants: every component
// has a name, and the minimum-elements counts never exceed the component count.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "formats/sbom.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace mamori::formats;
  std::string_view bytes(reinterpret_cast<const char*>(data), size);
  (void)DetectSbomFormat(bytes);
  auto s = ReadSbom(bytes, "fuzz.json");
  if (!s.ok()) return 0;
  for (const auto& c : s->components)
    if (c.name.empty()) std::abort();
  auto m = s->MinimumElements();
  if (m.without_supplier > m.components || m.without_version > m.components ||
      m.without_identifier > m.components)
    std::abort();
  return 0;
}
