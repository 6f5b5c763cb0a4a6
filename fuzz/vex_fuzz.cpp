// libFuzzer target: VEX documents (CycloneDX VEX, CSAF VEX, OpenVEX). Invariants: every
// statement read has a vulnerability, a known status and at least one product; a product
// serialises for storage.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "vuln/vex.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace mamori::vuln;
  if (size > 256 * 1024) return 0;
  auto r = ReadVex(std::string_view(reinterpret_cast<const char*>(data), size), "fuzz.json");
  if (!r.ok()) return 0;
  for (const auto& s : r->statements) {
    if (s.vulnerability.empty() || s.products.empty()) std::abort();
    if (s.status != "not_affected" && s.status != "affected" && s.status != "fixed" &&
        s.status != "under_investigation")
      std::abort();
    for (const auto& p : s.products) (void)p.ToJson().dump();
  }
  return 0;
}
