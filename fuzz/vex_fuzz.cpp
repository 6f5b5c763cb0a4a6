// libFuzzer target: VEX documents (CycloneDX VEX, CSAF VEX and security advisories, OpenVEX).
// Invariants: every statement read has a vulnerability, a known status and at least one product;
// a product serialises for storage and reads back the same; deciding a finding made from a
// statement's own product (its purl or CPE, on a target that has its platform CPE) never fails.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>
#include <vector>

#include "vuln/vex.hpp"
#include "vuln/vex_apply.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace mamori::vuln;
  if (size > 256 * 1024) return 0;
  auto r = ReadVex(std::string_view(reinterpret_cast<const char*>(data), size), "fuzz.json");
  if (!r.ok()) return 0;
  std::vector<StoredVex> stored;
  for (const auto& s : r->statements) {
    if (s.vulnerability.empty() || s.products.empty()) std::abort();
    if (s.status != "not_affected" && s.status != "affected" && s.status != "fixed" &&
        s.status != "under_investigation")
      std::abort();
    for (const auto& p : s.products)
      if (VexProduct::FromJson(p.ToJson()).ToJson() != p.ToJson()) std::abort();
    if (stored.size() < 64) {
      StoredVex v;
      v.id = static_cast<int64_t>(stored.size()) + 1;
      v.source = VexSource(*r);
      v.statement = s;
      v.statement.products.resize(1);
      stored.push_back(std::move(v));
    }
  }
  for (const auto& v : stored) {
    const VexProduct& p = v.statement.products[0];
    Finding f;
    f.cve = v.statement.vulnerability;
    f.component_key = p.cpe.empty() ? p.purl : p.cpe;
    f.component_purl = p.purl;
    f.component_name = p.name;
    f.component_version = p.version;
    VexTarget t;
    t.model = p.product_name;
    if (!p.product_cpe.empty()) t.cpes.push_back(p.product_cpe);
    if (const StoredVex* d = DecidingVex(stored, f, &t)) (void)ApplyVex(f, *d);
  }
  return 0;
}
