// libFuzzer target: the date/time parser used for query parameters and imported dates. Whatever
// parses must format and parse back to the same instant.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "core/time.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  auto t = mamori::ParseTime(text);
  if (!t) return 0;
  auto back = mamori::ParseTime(mamori::FormatJst(*t));
  // FormatJst keeps whole seconds only.
  if (!back || *back != *t - (((*t % 1000) + 1000) % 1000)) std::abort();
  (void)mamori::FormatWarekiJst(*t);
  return 0;
}
