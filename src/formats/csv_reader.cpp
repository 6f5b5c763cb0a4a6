#include "formats/csv_reader.hpp"

#include <cstdint>

#include "formats/encoding.hpp"

namespace mamori::formats {

namespace {

int LineOf(std::string_view bytes, size_t offset) {
  int line = 1;
  for (size_t i = 0; i < offset && i < bytes.size(); ++i)
    if (bytes[i] == '\n') ++line;
  return line;
}

// RFC 4180 over UTF-8 text: with kRows, each row that is not blank handed to *fn; without, the
// quoting checked alone (nothing built), so that a file with a quote left open is refused before
// any row is handed over. One walk for both, so that both count lines alike.
template <bool kRows>
Status WalkCsv(std::string_view text, const std::string& file, const CsvRowFn* fn) {
  std::vector<std::string> row;
  std::string field;
  int line = 1, row_line = 1, quote_line = 0;
  bool quoted = false, field_started = false;
  auto end_field = [&] {
    if constexpr (kRows) {
      row.push_back(std::move(field));
      field.clear();
    }
    field_started = false;
  };
  auto end_row = [&]() -> Status {
    end_field();
    if constexpr (kRows) {
      bool blank = row.size() == 1 && row[0].empty();
      Status st = blank ? Ok() : (*fn)(row, row_line, line);
      row.clear();
      return st;
    } else {
      return Ok();
    }
  };
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (quoted) {
      if (c == '"') {
        if (i + 1 < text.size() && text[i + 1] == '"') {
          if constexpr (kRows) field += '"';
          ++i;
        } else {
          quoted = false;
        }
      } else {
        if (c == '\n') ++line;
        if constexpr (kRows) field += c;
      }
      continue;
    }
    if (c == '"' && !field_started) {
      quoted = true;
      field_started = true;
      quote_line = line;
    } else if (c == ',') {
      end_field();
    } else if (c == '\r' && i + 1 < text.size() && text[i + 1] == '\n') {
      continue;  // CRLF: the LF ends the row
    } else if (c == '\n' || c == '\r') {
      MAMORI_RETURN_IF_ERROR(end_row());
      ++line;
      row_line = line;
    } else {
      if constexpr (kRows) field += c;
      field_started = true;
    }
  }
  if (quoted)
    return MakeError(ErrorCode::kInvalidArgument, "import.unterminated_quote",
                     {file, std::to_string(quote_line)}, file);
  if (!field.empty() || !row.empty()) return end_row();
  return Ok();
}

}  // namespace

const char* EncodingName(Encoding e) {
  switch (e) {
    case Encoding::kUtf8:
      return "utf-8";
    case Encoding::kUtf8Bom:
      return "utf-8-bom";
    case Encoding::kCp932:
      return "cp932";
  }
  return "utf-8";
}

Result<CsvTable> ReadCsv(std::string_view bytes, const std::string& file) {
  CsvTable table;
  MAMORI_RETURN_IF_ERROR(ForEachCsvRow(bytes, file, &table.encoding,
                                       [&](std::vector<std::string>& cells, int line, int) {
                                         table.rows.push_back(std::move(cells));
                                         table.lines.push_back(line);
                                         return Ok();
                                       }));
  return table;
}

Status ForEachCsvRow(std::string_view bytes, const std::string& file, Encoding* encoding,
                     const CsvRowFn& fn) {
  // UTF-8 is read where it lies; CP932 from its conversion.
  std::string converted;
  std::string_view text;
  if (bytes.substr(0, 3) == "\xEF\xBB\xBF") {
    *encoding = Encoding::kUtf8Bom;
    bytes.remove_prefix(3);
    if (!IsValidUtf8(bytes))
      return MakeError(ErrorCode::kInvalidArgument, "import.bad_utf8", {file}, file);
    text = bytes;
  } else if (IsValidUtf8(bytes)) {
    *encoding = Encoding::kUtf8;
    text = bytes;
  } else {
    *encoding = Encoding::kCp932;
    size_t bad = 0;
    auto utf8 = ConvertEncoding(bytes, "CP932", "UTF-8", &bad);
    if (!utf8.ok())
      return MakeError(ErrorCode::kInvalidArgument, "import.bad_encoding",
                       {file, std::to_string(LineOf(bytes, bad))}, file);
    converted = std::move(utf8).value();
    text = converted;
  }
  // The quoting of the whole file first (a quote left open runs to its end), then the rows.
  MAMORI_RETURN_IF_ERROR(WalkCsv<false>(text, file, nullptr));
  return WalkCsv<true>(text, file, &fn);
}

Result<std::string> ToCp932(std::string_view utf8) {
  size_t bad = 0;
  auto out = ConvertEncoding(utf8, "UTF-8", "CP932", &bad);
  if (!out.ok()) {
    size_t end = bad + 1;
    while (end < utf8.size() && (static_cast<unsigned char>(utf8[end]) & 0xC0) == 0x80) ++end;
    return MakeError(ErrorCode::kInvalidArgument, "import.not_in_cp932",
                     {std::string(utf8.substr(bad, end - bad))});
  }
  return out;
}

}  // namespace mamori::formats
