// libFuzzer target: the CSV reader (encoding detection, CP932 conversion, RFC 4180 quoting).
// Invariants: every row has a line number, lines increase, and all text is UTF-8.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "formats/csv_reader.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace mamori::formats;
  std::string_view bytes(reinterpret_cast<const char*>(data), size);
  auto t = ReadCsv(bytes, "fuzz.csv");
  if (!t.ok()) return 0;
  if (t->rows.size() != t->lines.size()) std::abort();
  for (size_t i = 0; i < t->rows.size(); ++i) {
    if (i > 0 && t->lines[i] <= t->lines[i - 1]) std::abort();
    for (const auto& field : t->rows[i])
      if (!mamori::IsValidUtf8(field)) std::abort();
  }
  return 0;
}
