// libFuzzer target: the NVD feed loader (ReadNvdFeed, over simdjson On-Demand: pages, yearly feeds,
// single records) and the CPE dictionary reader, on the same bytes. Invariants: every record read
// has a CVE id; its stored configurations (the compact form the reader writes) parse again, and
// give what the record reader (ReadNvdCves, a separate walk over simdjson's DOM) builds from the
// same bytes, where that reader accepts them too; the CVSS vector kept is one that reader found.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>
#include <vector>

#include "vuln/nvd.hpp"
#include "vuln/nvd_feed.hpp"

namespace {

using namespace mamori::vuln;

bool Same(const std::vector<Configuration>& a, const std::vector<Configuration>& b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (a[i].and_op != b[i].and_op || a[i].negate != b[i].negate ||
        a[i].nodes.size() != b[i].nodes.size())
      return false;
    for (size_t n = 0; n < a[i].nodes.size(); ++n) {
      const ConfigNode &x = a[i].nodes[n], &y = b[i].nodes[n];
      if (x.and_op != y.and_op || x.negate != y.negate || x.matches.size() != y.matches.size())
        return false;
      for (size_t m = 0; m < x.matches.size(); ++m) {
        const CpeCriterion &p = x.matches[m], &q = y.matches[m];
        if (p.cpe.ToString() != q.cpe.ToString() || p.vulnerable != q.vulnerable ||
            p.start != q.start || p.end != q.end || p.start_including != q.start_including ||
            p.end_including != q.end_including)
          return false;
      }
    }
  }
  return true;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size > size_t{256} * 1024) return 0;
  std::string_view in(reinterpret_cast<const char*>(data), size);
  if (auto r = ReadNvdFeed(in, "fuzz.json"); r.ok()) {
    auto direct = ReadNvdCves(in, "fuzz.json");
    const std::vector<CveRecord>& records = r->records;
    for (size_t i = 0; i < records.size(); ++i) {
      const auto& cve = records[i];
      if (cve.id.empty()) std::abort();
      auto stored = ParseConfigurations(cve.configurations, std::string(cve.id));
      if (!stored.ok()) std::abort();
      if (!direct.ok() || direct->size() != records.size() || (*direct)[i].id != cve.id) continue;
      const NvdCve& d = (*direct)[i];
      if (!Same(*stored, d.configurations)) std::abort();
      if (!cve.cvss_vector.empty() && std::find(d.cvss_vectors.begin(), d.cvss_vectors.end(),
                                                cve.cvss_vector) == d.cvss_vectors.end())
        std::abort();
    }
  }
  (void)ReadCpeDictionary(in, "fuzz.json");
  return 0;
}
