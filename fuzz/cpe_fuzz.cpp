// libFuzzer target: CPE 2.3 formatted strings. Invariants: a parsed name formats back to the same
// string, and a name never fails to match itself (it matches, or needs review when it holds
// wildcards); the fast split agrees with the reference.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "vuln/cpe.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace mamori::vuln;
  if (size > 2048) return 0;
  std::string_view in(reinterpret_cast<const char*>(data), size);
  // The split sixteen bytes at a time agrees with the byte-at-a-time reference: both fail with
  // the same message, or give the same values.
  CpeValues fast, slow;
  mamori::Status a = SplitCpe(in, &fast), b = SplitCpeReference(in, &slow);
  if (a.ok() != b.ok()) std::abort();
  if (a.ok() ? fast != slow
             : a.error().Message(mamori::Lang::kEn) != b.error().Message(mamori::Lang::kEn))
    std::abort();
  auto c = ParseCpe(in);
  if (!c.ok()) return 0;
  if (c->ToString() != in) std::abort();
  if (MatchCpe(*c, *c).match == CpeMatch::kNoMatch) std::abort();
  return 0;
}
