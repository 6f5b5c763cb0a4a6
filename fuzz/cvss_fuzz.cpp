// libFuzzer target: CVSS vectors of every version. Invariants: a parsed vector has a score in
// 0…10 with one decimal, a severity, and (v4.0) a six-digit MacroVector.
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "vuln/cvss.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace mamori::vuln;
  if (size > 4096) return 0;
  auto c = ParseCvss(std::string_view(reinterpret_cast<const char*>(data), size));
  if (!c.ok()) return 0;
  if (!(c->base_score >= 0 && c->base_score <= 10)) std::abort();
  if (std::fabs(c->base_score * 10 - std::round(c->base_score * 10)) > 1e-9) std::abort();
  if (c->severity.empty()) std::abort();
  if (c->version == CvssVersion::kV40 && c->macro_vector.size() != 6) std::abort();
  return 0;
}
