// CSV files as hospitals export them from Excel: UTF-8, UTF-8 with BOM, or CP932 (Shift_JIS),
// detected from the bytes; RFC 4180 quoting, fields with line breaks, CRLF or LF. Each row keeps
// the line it starts on, so errors can name it. The ledger importer and the XLSX reader share it.
#pragma once

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

// UTF-8 → CP932 (for CSV exports Excel opens directly); characters CP932 lacks are an error
// naming the character.
Result<std::string> ToCp932(std::string_view utf8);

}  // namespace mamori::formats
