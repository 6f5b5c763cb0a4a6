// Excel workbooks (.xlsx, Office Open XML SpreadsheetML) as hospitals keep their ledgers: several
// sheets, title rows, merged cells, dates typed as dates, Japanese text with furigana.
//
// Why hand-written: Debian bookworm has no C or C++ library that reads .xlsx (libfreexl reads only
// the old binary .xls; libxlsxwriter only writes). An .xlsx is a ZIP of XML parts, so this reader
// is the thin layer between two well-kept libraries: minizip (zlib's ZIP reader) for the container
// and pugixml for the parts. It reads cell values only — what a ledger import needs — and does not
// evaluate formulas (the cached value Excel stored is used).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/result.hpp"

namespace mamori::formats {

struct XlsxSheet {
  std::string name;
  bool hidden = false;
  // Rows that have at least one cell, in order; cells as text (numbers as Excel stored them,
  // dates as "YYYY-MM-DD", booleans TRUE/FALSE). A merged range repeats its top-left value in
  // every cell, so a 設置場所 merged over five rows applies to each of them.
  std::vector<std::vector<std::string>> rows;
  std::vector<int> row_numbers;  // 1-based Excel row number of each row
};

struct XlsxWorkbook {
  std::vector<XlsxSheet> sheets;  // in the workbook's tab order
};

struct XlsxLimits {
  size_t max_part_bytes = size_t{256} << 20;  // one uncompressed XML part
  size_t max_cells = 20'000'000;              // after merged ranges are filled
};

// `file` names the input in error messages. `only_sheet`, when not empty, reads just that sheet
// (the others are listed with no rows).
Result<XlsxWorkbook> ReadXlsx(std::string_view bytes, const std::string& file,
                              const std::string& only_sheet = {}, const XlsxLimits& limits = {});

// True when the bytes start like a ZIP file (an .xlsx).
bool LooksLikeZip(std::string_view bytes);

// "A" → 0, "AB" → 27; -1 when not a column name.
int ColumnIndex(std::string_view letters);
// 0 → "A", 27 → "AB".
std::string ColumnName(int index);

// An Excel serial date (1900 or 1904 system) as "YYYY-MM-DD" (with " HH:MM:SS" when it has a
// time of day); empty when out of range.
std::string ExcelSerialToIso(double serial, bool date1904);

}  // namespace mamori::formats
