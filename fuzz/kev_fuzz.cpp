// libFuzzer target: the CISA KEV catalog JSON. Invariant: every entry read has a CVE id and dates.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "vuln/feeds.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace mamori::vuln;
  if (size > 256 * 1024) return 0;
  auto k = ReadKev(std::string_view(reinterpret_cast<const char*>(data), size), "fuzz.json");
  if (!k.ok()) return 0;
  for (const auto& e : k->entries)
    if (e.cve.size() < 13 || e.date_added.size() != 10 || e.due_date.size() != 10) std::abort();
  return 0;
}
