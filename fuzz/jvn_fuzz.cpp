// libFuzzer target: MyJVN (JVN iPedia) HND XML, the overview RDF and the VULDEF detail, and OKA
// JSON (overview feed, jvncsaf and jvnstix documents). Invariant: every entry read has a JVNDB id.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "vuln/jvn.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace mamori::vuln;
  if (size > 256 * 1024) return 0;
  auto r = ReadJvn(std::string_view(reinterpret_cast<const char*>(data), size), "fuzz.xml");
  if (!r.ok()) return 0;
  for (const auto& e : *r)
    if (e.id.empty()) std::abort();
  return 0;
}
