// libFuzzer target: NVD CVE API 2.0 JSON (records, configurations, cpeMatch criteria) and the
// applicability evaluation over them. Invariants: an "affected" verdict carries evidence, and a
// component list that is empty is never affected.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "vuln/nvd.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace mamori::vuln;
  if (size > 256 * 1024) return 0;
  auto r = ReadNvdCves(std::string_view(reinterpret_cast<const char*>(data), size), "fuzz.json");
  if (!r.ok()) return 0;
  static const Component kComponent{*ParseCpe("cpe:2.3:a:google:tensorflow:2.6.3:*:*:*:*:*:*:*"),
                                    VersionScheme::kGeneric};
  for (const auto& cve : *r) {
    auto a = Evaluate(cve, {kComponent});
    if (a.verdict == Verdict::kAffected && a.evidence.empty()) std::abort();
    if (Evaluate(cve, {}).verdict == Verdict::kAffected) std::abort();
  }
  return 0;
}
