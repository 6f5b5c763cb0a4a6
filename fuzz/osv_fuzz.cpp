// libFuzzer target: OSV records in JSON and YAML (and OSV's all.zip archives: input starting
// with a ZIP signature goes through ReadOsvZip), and their ranges evaluated against a package
// URL. Invariants: an "affected" verdict carries evidence; a record's affected entries survive
// being stored and read back.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "vuln/osv.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace mamori::vuln;
  if (size > 128 * 1024) return 0;
  std::string_view bytes(reinterpret_cast<const char*>(data), size);
  auto r = IsZip(bytes) ? ReadOsvZip(bytes, "fuzz.zip") : ReadOsv(bytes, "fuzz");
  if (!r.ok()) return 0;
  static const Purl kPurl = *ParsePurl("pkg:pypi/django@3.2.1");
  for (const auto& rec : *r) {
    auto back = OsvAffectedFromJson(OsvAffectedToJson(rec.affected), rec.id);
    if (!back.ok() || OsvAffectedToJson(*back) != OsvAffectedToJson(rec.affected)) std::abort();
    for (const auto& a : rec.affected)
      for (const char* v : {"3.2.1", "0", "", "1.0a1"}) {
        auto x = EvaluateOsv(a, rec.id, kPurl, v);
        if (x.verdict == Verdict::kAffected && x.evidence.empty()) std::abort();
      }
  }
  return 0;
}
