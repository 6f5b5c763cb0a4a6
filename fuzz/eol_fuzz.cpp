// libFuzzer target: endoflife.date product files (YAML front matter) and the cycle lookup over
// what was read. Invariant: a cycle found for a version is one of the product's releases.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "vuln/eol.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace mamori::vuln;
  if (size > 128 * 1024) return 0;
  auto r = ReadEolProduct(std::string_view(reinterpret_cast<const char*>(data), size), "fuzz.md");
  if (!r.ok()) return 0;
  for (const char* v : {"10.0.19045", "7.0.12", "1.1.1k", "3", ""}) {
    auto c = FindEolCycle(*r, v);
    if (c.release == nullptr) continue;
    bool known = false;
    for (const auto& rel : r->releases) known = known || &rel == c.release;
    if (!known) std::abort();
  }
  return 0;
}
