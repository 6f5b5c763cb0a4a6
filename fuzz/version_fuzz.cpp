// libFuzzer target: version comparison in every scheme. The input is two versions separated by a
// newline. Invariants of an order: a = a, and comparing b with a gives the opposite sign; the
// generic scheme's fast path agrees with the token-by-token reference, and so do the order keys
// of versions of digits and dots.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "vuln/version.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace mamori::vuln;
  if (size > 1024) return 0;
  std::string_view in(reinterpret_cast<const char*>(data), size);
  size_t nl = in.find('\n');
  std::string_view a = in.substr(0, nl);
  std::string_view b = nl == std::string_view::npos ? std::string_view() : in.substr(nl + 1);
  auto sign = [](int x) { return x < 0 ? -1 : x > 0 ? 1 : 0; };
  for (auto s : {VersionScheme::kGeneric, VersionScheme::kSemver, VersionScheme::kDebian,
                 VersionScheme::kRpm, VersionScheme::kPep440, VersionScheme::kMaven}) {
    if (CompareVersions(s, a, a) != 0) std::abort();
    if (sign(CompareVersions(s, a, b)) != -sign(CompareVersions(s, b, a))) std::abort();
  }
  // The generic scheme's fast path for digits and dots agrees with its tokens.
  if (sign(CompareVersions(VersionScheme::kGeneric, a, b)) != sign(CompareGenericTokens(a, b)))
    std::abort();
  // Where both have a DottedOrderKey, the keys compare as the generic scheme does.
  if (uint64_t ka = DottedOrderKey(a), kb = DottedOrderKey(b); ka != 0 && kb != 0)
    if ((ka < kb ? -1 : ka > kb ? 1 : 0) != sign(CompareVersions(VersionScheme::kGeneric, a, b)))
      std::abort();
  return 0;
}
