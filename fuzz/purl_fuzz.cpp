// libFuzzer target: package URLs and CPE 2.2 URIs / short CPE 2.3 forms. Invariants: a parsed
// purl's canonical form parses to the same package key and version; a CPE converted from 2.2
// formats as a CPE 2.3 that parses again.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "vuln/cpe.hpp"
#include "vuln/purl.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace mamori::vuln;
  if (size > 2048) return 0;
  std::string_view in(reinterpret_cast<const char*>(data), size);
  if (auto p = ParsePurl(in); p.ok()) {
    auto again = ParsePurl(p->ToString());
    if (!again.ok() || again->PackageKey() != p->PackageKey() || again->version != p->version)
      std::abort();
    (void)PurlDistroRelease(*p);
  }
  for (auto r : {ParseCpe22(in), ParseCpeShort(in)})
    if (r.ok() && !ParseCpe(r->ToString()).ok()) std::abort();
  return 0;
}
