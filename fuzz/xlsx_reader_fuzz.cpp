// libFuzzer target: the XLSX reader (minizip over memory, pugixml parts, cell references, merged
// ranges, dates). Invariants: rows and row numbers pair up, row numbers increase, no row is
// empty, the cell limit holds.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "formats/xlsx_reader.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace mamori::formats;
  std::string_view bytes(reinterpret_cast<const char*>(data), size);
  XlsxLimits limits;
  limits.max_part_bytes = 8 << 20;
  limits.max_cells = 200'000;
  auto wb = ReadXlsx(bytes, "fuzz.xlsx", "", limits);
  if (!wb.ok()) return 0;
  size_t cells = 0;
  for (const auto& s : wb->sheets) {
    if (s.rows.size() != s.row_numbers.size()) std::abort();
    for (size_t i = 0; i < s.rows.size(); ++i) {
      if (i > 0 && s.row_numbers[i] <= s.row_numbers[i - 1]) std::abort();
      if (s.rows[i].empty()) std::abort();
      cells += s.rows[i].size();
    }
  }
  if (cells > limits.max_cells * wb->sheets.size()) std::abort();
  return 0;
}
