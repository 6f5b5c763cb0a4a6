// libFuzzer target: MyJVN (JVN iPedia) HND XML, the overview RDF and the VULDEF detail, and OKA
// JSON (overview feed, jvncsaf and jvnstix documents), and the version statements of each entry's
// products. Invariants: every entry read has a JVNDB id; a statement read as understood has a
// version or a bound, each starting with a digit, and a CVE restriction only of CVE ids.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "vuln/jvn.hpp"
#include "vuln/nvd.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace mamori::vuln;
  if (size > size_t{256} * 1024) return 0;
  auto r = ReadJvn(std::string_view(reinterpret_cast<const char*>(data), size), "fuzz.xml");
  if (!r.ok()) return 0;
  for (const auto& e : *r) {
    if (e.id.empty()) std::abort();
    for (const auto& a : e.affected)
      for (const auto& v : a.versions) {
        JvnRange range = ReadJvnVersion(v);
        for (const auto& cve : range.cves)
          if (cve.rfind("CVE-", 0) != 0) std::abort();
        if (!range.understood) continue;
        if (range.exact.empty() && range.start.empty() && range.end.empty()) std::abort();
        for (const std::string* s : {&range.exact, &range.start, &range.end})
          if (!s->empty() && ((*s)[0] < '0' || (*s)[0] > '9')) std::abort();
        // What the matcher is given for it reads back as a configuration.
        auto cpe = ParseCpe(a.cpe);
        if (!cpe.ok()) continue;
        mamori::Json m = JvnCriterion(*cpe, range);
        if (m.is_null()) continue;
        std::string config = R"([{"nodes":[{"operator":"OR","cpeMatch":[)" + m.dump() + "]}]}]";
        if (!ParseConfigurations(config, "fuzz").ok()) std::abort();
      }
  }
  return 0;
}
