// libFuzzer target: the simdjson NVD loader (ReadNvdFeed: pages, yearly feeds, single records) and
// the CPE dictionary reader, on the same bytes. Invariant: every record read has a CVE id and its
// configurations text parses again as configurations.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "vuln/nvd.hpp"
#include "vuln/nvd_feed.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace mamori::vuln;
  if (size > 256 * 1024) return 0;
  std::string_view in(reinterpret_cast<const char*>(data), size);
  if (auto r = ReadNvdFeed(in, "fuzz.json"); r.ok())
    for (const auto& cve : *r) {
      if (cve.id.empty()) std::abort();
      if (!ParseConfigurations(cve.configurations, cve.id).ok()) std::abort();
    }
  (void)ReadCpeDictionary(in, "fuzz.json");
  return 0;
}
