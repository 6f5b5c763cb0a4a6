// CSV files as hospitals export them from Excel: UTF-8, UTF-8 with BOM, or CP932 (Shift_JIS),
// detected from the bytes; RFC 4180 quoting, fields with line breaks, CRLF or LF. Each row keeps
// the line it starts on, so errors can name it. The ledger importer and the XLSX reader share it.
#pragma once

#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.hpp"
#include "core/text.hpp"

namespace mamori::formats {

enum class Encoding { kUtf8, kUtf8Bom, kCp932 };
const char* EncodingName(Encoding e);

struct CsvTable {
  Encoding encoding = Encoding::kUtf8;
  std::vector<std::vector<std::string>> rows;  // UTF-8
  std::vector<int> lines;                      // 1-based line where each row starts
};

// `file` names the input in error messages.
Result<CsvTable> ReadCsv(std::string_view bytes, const std::string& file);

// The same rows handed over one at a time, in order, without the table: fn(cells, line,
// last_line) for each row that is not blank (`line` where it starts, `last_line` where it ends —
// later when a quoted field holds line breaks; the cells may be moved from). The encoding is
// found and the whole file's quoting checked first, so that a file that is not CSV gives its error
// before any row is handed over. Reading stops at the first error fn returns. Memory: the bytes,
// their UTF-8 conversion when they are CP932, and one row — an EHR's audit export of gigabytes is
// read without holding its rows.
using CsvRowFn = std::function<Status(std::vector<std::string>& cells, int line, int last_line)>;
Status ForEachCsvRow(std::string_view bytes, const std::string& file, Encoding* encoding,
                     const CsvRowFn& fn);

// UTF-8 → CP932 (for CSV exports Excel opens directly); characters CP932 lacks are an error
// naming the character.
Result<std::string> ToCp932(std::string_view utf8);

}  // namespace mamori::formats
