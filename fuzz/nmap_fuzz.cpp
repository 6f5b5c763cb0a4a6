// libFuzzer target: the nmap XML reader. Invariants: every host has an address, ports are in
// range.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "formats/nmap.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace mamori::formats;
  std::string_view bytes(reinterpret_cast<const char*>(data), size);
  auto scan = ReadNmapXml(bytes, "fuzz.xml");
  if (!scan.ok()) return 0;
  for (const auto& h : scan->hosts) {
    if (h.ipv4.empty() && h.ipv6.empty() && h.mac.empty()) std::abort();
    for (const auto& s : h.services)
      if (s.port < 0 || s.port > 65535) std::abort();
  }
  return 0;
}
