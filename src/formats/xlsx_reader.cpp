#include "formats/xlsx_reader.hpp"

#include <unzip.h>

#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <map>
#include <pugixml.hpp>

#include "core/text.hpp"
#include "formats/xml_util.hpp"

namespace mamori::formats {

namespace {

// ---- the ZIP container, read from memory through minizip's I/O callbacks --------------------

struct MemStream {
  const char* data;
  size_t size;
  size_t pos;
};

voidpf ZCALLBACK MemOpen(voidpf opaque, const void* /*filename*/, int /*mode*/) {
  return opaque;
}
uLong ZCALLBACK MemRead(voidpf /*opaque*/, voidpf stream, void* buf, uLong size) {
  auto* m = static_cast<MemStream*>(stream);
  size_t n = std::min<size_t>(size, m->size - m->pos);
  std::memcpy(buf, m->data + m->pos, n);
  m->pos += n;
  return static_cast<uLong>(n);
}
uLong ZCALLBACK MemWrite(voidpf /*opaque*/, voidpf /*stream*/, const void* /*buf*/,
                         uLong /*size*/) {
  return 0;
}
ZPOS64_T ZCALLBACK MemTell(voidpf /*opaque*/, voidpf stream) {
  return static_cast<MemStream*>(stream)->pos;
}
long ZCALLBACK MemSeek(voidpf /*opaque*/, voidpf stream, ZPOS64_T offset, int origin) {
  auto* m = static_cast<MemStream*>(stream);
  uint64_t base = 0;
  if (origin == ZLIB_FILEFUNC_SEEK_CUR) base = m->pos;
  if (origin == ZLIB_FILEFUNC_SEEK_END) base = m->size;
  if (offset > m->size || base + offset > m->size) return -1;
  m->pos = static_cast<size_t>(base + offset);
  return 0;
}
int ZCALLBACK MemClose(voidpf /*opaque*/, voidpf /*stream*/) {
  return 0;
}
int ZCALLBACK MemError(voidpf /*opaque*/, voidpf /*stream*/) {
  return 0;
}

class Zip {
 public:
  Zip(std::string_view bytes, const std::string& file, size_t max_part)
      : mem_{bytes.data(), bytes.size(), 0}, file_(file), max_part_(max_part) {
    zlib_filefunc64_def io{};
    io.zopen64_file = MemOpen;
    io.zread_file = MemRead;
    io.zwrite_file = MemWrite;
    io.ztell64_file = MemTell;
    io.zseek64_file = MemSeek;
    io.zclose_file = MemClose;
    io.zerror_file = MemError;
    io.opaque = &mem_;
    zip_ = unzOpen2_64("memory", &io);
  }
  ~Zip() {
    if (zip_ != nullptr) unzClose(zip_);
  }
  Zip(const Zip&) = delete;
  Zip& operator=(const Zip&) = delete;
  [[nodiscard]] bool ok() const { return zip_ != nullptr; }

  // The uncompressed part; kNotFound when the ZIP has no such entry.
  Result<std::string> Read(const std::string& part) {
    if (unzLocateFile(zip_, part.c_str(), 1) != UNZ_OK)
      return MakeError(ErrorCode::kNotFound, "xlsx.missing_part", {file_, part});
    unz_file_info64 info{};
    if (unzGetCurrentFileInfo64(zip_, &info, nullptr, 0, nullptr, 0, nullptr, 0) != UNZ_OK)
      return Corrupt(part);
    if ((info.flag & 1U) != 0)
      return MakeError(ErrorCode::kInvalidArgument, "xlsx.encrypted", {file_}, file_);
    if (info.uncompressed_size > max_part_) return TooLarge(part);
    if (unzOpenCurrentFile(zip_) != UNZ_OK) return Corrupt(part);
    std::string out;
    out.reserve(static_cast<size_t>(info.uncompressed_size));
    char buf[65536];
    for (;;) {
      int n = unzReadCurrentFile(zip_, buf, sizeof buf);
      if (n < 0) {
        unzCloseCurrentFile(zip_);
        return Corrupt(part);
      }
      if (n == 0) break;
      // The size in the directory can lie (a "ZIP bomb"): count what is really inflated.
      if (out.size() + static_cast<size_t>(n) > max_part_) {
        unzCloseCurrentFile(zip_);
        return TooLarge(part);
      }
      out.append(buf, static_cast<size_t>(n));
    }
    if (unzCloseCurrentFile(zip_) != UNZ_OK) return Corrupt(part);  // CRC mismatch
    // Cell text goes on to JSON and ICU, which need well-formed UTF-8 (what Excel writes).
    if (!IsValidUtf8(out))
      return MakeError(ErrorCode::kInvalidArgument, "xlsx.bad_utf8", {file_, part}, file_);
    return out;
  }

 private:
  Error Corrupt(const std::string& part) {
    return MakeError(ErrorCode::kInvalidArgument, "xlsx.corrupt", {file_, part}, file_);
  }
  Error TooLarge(const std::string& part) {
    return MakeError(ErrorCode::kInvalidArgument, "xlsx.part_too_large",
                     {file_, part, std::to_string(max_part_ >> 20)}, file_);
  }
  MemStream mem_;
  std::string file_;
  size_t max_part_;
  unzFile zip_ = nullptr;
};

// The relationship id attribute ("r:id" with whatever prefix the writer chose).
const char* RelId(pugi::xml_node n) {
  for (auto a = n.first_attribute(); a; a = a.next_attribute()) {
    std::string_view name(a.name());
    if (name.size() > 3 && name.substr(name.size() - 3) == ":id") return a.value();
  }
  return "";
}

Result<pugi::xml_document> ParseXml(std::string& text, const std::string& file,
                                    const std::string& part) {
  pugi::xml_document doc;
  auto res = doc.load_buffer_inplace(text.data(), text.size(),
                                     pugi::parse_default & ~pugi::parse_wconv_attribute);
  if (!res)
    return MakeError(ErrorCode::kInvalidArgument, "xlsx.bad_xml",
                     {file, part, std::to_string(res.offset), res.description()}, file);
  return doc;
}

void AppendUtf8(std::string& out, uint32_t cp) {
  if (cp < 0x80) {
    out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    out += static_cast<char>(0xC0 | (cp >> 6));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    out += static_cast<char>(0xE0 | (cp >> 12));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (cp >> 18));
    out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  }
}

// Excel writes characters XML cannot hold as "_xHHHH_" (a line break inside a cell from older
// writers is "_x000D_"); a literal "_x" is itself escaped as "_x005F_x".
void AppendUnescaped(std::string& out, std::string_view s) {
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '_' && i + 6 < s.size() && s[i + 1] == 'x' && s[i + 6] == '_') {
      uint32_t cp = 0;
      bool hex = true;
      for (size_t k = i + 2; k < i + 6; ++k) {
        char c = s[k];
        int d = (c >= '0' && c <= '9')   ? c - '0'
                : (c >= 'a' && c <= 'f') ? c - 'a' + 10
                : (c >= 'A' && c <= 'F') ? c - 'A' + 10
                                         : -1;
        if (d < 0) {
          hex = false;
          break;
        }
        cp = cp * 16 + static_cast<uint32_t>(d);
      }
      if (hex && !(cp >= 0xD800 && cp <= 0xDFFF)) {
        AppendUtf8(out, cp);
        i += 6;
        continue;
      }
    }
    out += s[i];
  }
}

// The text of a shared string or an inline string: plain <t>, or rich-text runs <r><t>. The
// phonetic guide (<rPh>, the furigana Japanese Excel stores with kanji) is not part of the value.
std::string RichText(pugi::xml_node si) {
  std::string out;
  for (auto c = si.first_child(); c; c = c.next_sibling()) {
    if (c.type() != pugi::node_element) continue;
    auto name = LocalName(c.name());
    if (name == "t") {
      AppendUnescaped(out, c.text().get());
    } else if (name == "r") {
      if (auto t = Child(c, "t")) AppendUnescaped(out, t.text().get());
    }
  }
  return out;
}

// Number formats that show dates or times: the built-in ids (27–36 and 50–58 are the Japanese
// locale's 和暦/年月日 formats) and custom codes with date/time letters outside quotes.
bool IsDateFormat(int id, const std::string& code) {
  if ((id >= 14 && id <= 22) || (id >= 27 && id <= 36) || (id >= 45 && id <= 47) ||
      (id >= 50 && id <= 58))
    return true;
  if (code.empty()) return false;
  std::string s;
  for (size_t i = 0; i < code.size(); ++i) {
    char c = code[i];
    if (c == '"') {
      auto end = code.find('"', i + 1);
      if (end == std::string::npos) break;
      i = end;
    } else if (c == '\\' || c == '_' || c == '*') {
      ++i;  // the next character is literal / padding
    } else if (c == '[') {
      auto end = code.find(']', i + 1);
      if (end == std::string::npos) break;
      i = end;  // [$-411], [Red], [h] (an elapsed duration is not a date)
    } else {
      s += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    }
  }
  if (auto g = s.find("general"); g != std::string::npos) s.erase(g, 7);
  for (size_t i = 0; i < s.size(); ++i) {
    char c = s[i];
    if (c == 'e' && i + 1 < s.size() && (s[i + 1] == '+' || s[i + 1] == '-')) continue;  // 1e+05
    if (c == 'y' || c == 'd' || c == 'm' || c == 'h' || c == 's' || c == 'e' || c == 'g')
      return true;
  }
  return false;
}

struct CellRef {
  int row = 0;  // 1-based
  int col = 0;  // 0-based
};
constexpr int kMaxRows = 1'048'576;
constexpr int kMaxCols = 16'384;

bool ParseRef(std::string_view ref, CellRef& out) {
  size_t i = 0;
  while (i < ref.size() && std::isalpha(static_cast<unsigned char>(ref[i]))) ++i;
  int col = ColumnIndex(ref.substr(0, i));
  if (col < 0 || col >= kMaxCols || i == ref.size()) return false;
  long row = 0;
  for (size_t k = i; k < ref.size(); ++k) {
    if (ref[k] < '0' || ref[k] > '9') return false;
    row = row * 10 + (ref[k] - '0');
    if (row > kMaxRows) return false;
  }
  if (row < 1) return false;
  out = {static_cast<int>(row), col};
  return true;
}

std::string FormatNumber(const char* v) {
  char* end = nullptr;
  double d = std::strtod(v, &end);
  if (end == v || *end != '\0' || !std::isfinite(d)) return v;
  // Excel shows 15 significant digits; the file may hold the binary double's 17
  // ("0.10000000000000001").
  char buf[40];
  std::snprintf(buf, sizeof buf, "%.15g", d);
  return buf;
}

std::string Dir(const std::string& path) {
  auto slash = path.rfind('/');
  return slash == std::string::npos ? "" : path.substr(0, slash + 1);
}

// A relationship target relative to the part that refers to it ("worksheets/sheet1.xml" from
// "xl/workbook.xml"), or absolute in the package ("/xl/worksheets/sheet1.xml").
std::string ResolveTarget(const std::string& base_dir, const std::string& target) {
  std::string path = target.starts_with('/') ? target.substr(1) : base_dir + target;
  std::vector<std::string> parts;
  size_t start = 0;
  while (start <= path.size()) {
    auto slash = path.find('/', start);
    if (slash == std::string::npos) slash = path.size();
    std::string seg = path.substr(start, slash - start);
    if (seg == "..") {
      if (!parts.empty()) parts.pop_back();
    } else if (!seg.empty() && seg != ".") {
      parts.push_back(seg);
    }
    start = slash + 1;
  }
  std::string out;
  for (const auto& p : parts) out += (out.empty() ? "" : "/") + p;
  return out;
}

struct Rels {
  std::map<std::string, std::string> by_id;    // rId → resolved part
  std::map<std::string, std::string> by_type;  // last path segment of Type → resolved part
};

Result<Rels> ReadRels(Zip& zip, const std::string& file, const std::string& part) {
  std::string rels_part = Dir(part) + "_rels/" + part.substr(Dir(part).size()) + ".rels";
  Rels rels;
  auto text = zip.Read(rels_part);
  if (!text.ok()) {
    if (text.error().code == ErrorCode::kNotFound) return rels;
    return text.error();
  }
  MAMORI_ASSIGN_OR_RETURN(auto doc, ParseXml(*text, file, rels_part));
  for (auto r = Child(doc, "Relationships").first_child(); r; r = r.next_sibling()) {
    if (LocalName(r.name()) != "Relationship") continue;
    if (std::string_view(r.attribute("TargetMode").value()) == "External") continue;
    std::string target = ResolveTarget(Dir(part), r.attribute("Target").value());
    rels.by_id[r.attribute("Id").value()] = target;
    std::string type = r.attribute("Type").value();
    rels.by_type[type.substr(type.rfind('/') + 1)] = target;
  }
  return rels;
}

class SheetReader {
 public:
  SheetReader(const std::string& file, const std::string& sheet,
              const std::vector<std::string>& shared, const std::vector<bool>& date_styles,
              bool date1904, const XlsxLimits& limits)
      : file_(file),
        sheet_(sheet),
        shared_(shared),
        date_styles_(date_styles),
        date1904_(date1904),
        limits_(limits) {}

  Status Read(pugi::xml_node worksheet, XlsxSheet& out) {
    int row_no = 0;
    for (auto row = Child(Child(worksheet, "sheetData"), "row"); row; row = row.next_sibling()) {
      if (LocalName(row.name()) != "row") continue;
      int r = row.attribute("r").as_int(row_no + 1);
      if (r < 1 || r > kMaxRows) return BadCell(std::to_string(r));
      row_no = r;
      int col = -1;
      for (auto c = row.first_child(); c; c = c.next_sibling()) {
        if (LocalName(c.name()) != "c") continue;
        const char* ref = c.attribute("r").value();
        if (*ref != '\0') {
          CellRef cr;
          if (!ParseRef(ref, cr) || cr.row != r) return BadCell(ref);
          col = cr.col;
        } else if (++col >= kMaxCols) {
          return BadCell(ColumnName(kMaxCols) + std::to_string(r));
        }
        MAMORI_ASSIGN_OR_RETURN(std::string value, Value(c, r, col));
        if (!value.empty()) MAMORI_RETURN_IF_ERROR(Put(r, col, std::move(value)));
      }
    }
    MAMORI_RETURN_IF_ERROR(FillMerged(worksheet));
    for (auto& [r, cells] : cells_) {
      while (!cells.empty() && cells.back().empty()) cells.pop_back();
      if (cells.empty()) continue;
      out.rows.push_back(std::move(cells));
      out.row_numbers.push_back(r);
    }
    return {};
  }

 private:
  Result<std::string> Value(pugi::xml_node c, int r, int col) {
    std::string_view t = c.attribute("t").value();
    if (t == "inlineStr") return RichText(Child(c, "is"));
    auto v = Child(c, "v");
    const char* text = v.text().get();
    if (t == "s") {
      char* end = nullptr;
      long idx = std::strtol(text, &end, 10);
      if (end == text || *end != '\0' || idx < 0 || static_cast<size_t>(idx) >= shared_.size())
        return BadCell(ColumnName(col) + std::to_string(r));
      return shared_[static_cast<size_t>(idx)];
    }
    if (t == "b") return std::string(std::string_view(text) == "1" ? "TRUE" : "FALSE");
    if (t == "str" || t == "e" || t == "d") {
      std::string out;
      AppendUnescaped(out, text);
      return out;
    }
    if (*text == '\0') return std::string();
    auto style = c.attribute("s").as_uint(0);
    if (style < date_styles_.size() && date_styles_[style]) {
      char* end = nullptr;
      double serial = std::strtod(text, &end);
      if (end != text && *end == '\0') {
        std::string iso = ExcelSerialToIso(serial, date1904_);
        if (!iso.empty()) return iso;
      }
    }
    return FormatNumber(text);
  }

  Status Put(int r, int col, std::string value) {
    auto& cells = cells_[r];
    if (cells.size() <= static_cast<size_t>(col)) {
      size_t grow = static_cast<size_t>(col) + 1 - cells.size();
      if (total_ + grow > limits_.max_cells)
        return MakeError(ErrorCode::kInvalidArgument, "xlsx.too_many_cells",
                         {file_, sheet_, std::to_string(limits_.max_cells)}, file_);
      total_ += grow;
      cells.resize(static_cast<size_t>(col) + 1);
    }
    cells[static_cast<size_t>(col)] = std::move(value);
    return {};
  }

  // A merged range shows its top-left value over the whole range; each covered cell gets it.
  // Ranges are clipped to the rows and columns that hold data, so a sheet-wide merge cannot
  // make a small file expand.
  Status FillMerged(pugi::xml_node worksheet) {
    if (cells_.empty()) return {};
    int last_row = cells_.rbegin()->first;
    int last_col = 0;
    for (const auto& [r, cells] : cells_) last_col = std::max(last_col, int(cells.size()) - 1);
    for (auto m = Child(Child(worksheet, "mergeCells"), "mergeCell"); m; m = m.next_sibling()) {
      if (LocalName(m.name()) != "mergeCell") continue;
      std::string_view ref = m.attribute("ref").value();
      auto colon = ref.find(':');
      CellRef a;
      CellRef b;
      if (colon == std::string_view::npos || !ParseRef(ref.substr(0, colon), a) ||
          !ParseRef(ref.substr(colon + 1), b) || b.row < a.row || b.col < a.col)
        return BadCell(std::string(ref));
      auto top = cells_.find(a.row);
      if (top == cells_.end() || top->second.size() <= static_cast<size_t>(a.col) ||
          top->second[static_cast<size_t>(a.col)].empty())
        continue;
      std::string value = top->second[static_cast<size_t>(a.col)];
      for (int r = a.row; r <= std::min(b.row, last_row); ++r)
        for (int c = a.col; c <= std::min(b.col, last_col); ++c)
          if (r != a.row || c != a.col) MAMORI_RETURN_IF_ERROR(Put(r, c, value));
    }
    return {};
  }

  Error BadCell(const std::string& ref) {
    return MakeError(ErrorCode::kInvalidArgument, "xlsx.bad_cell", {file_, sheet_, ref}, file_);
  }

  const std::string& file_;
  const std::string& sheet_;
  const std::vector<std::string>& shared_;
  const std::vector<bool>& date_styles_;
  bool date1904_;
  const XlsxLimits& limits_;
  std::map<int, std::vector<std::string>> cells_;
  size_t total_ = 0;
};

}  // namespace

bool LooksLikeZip(std::string_view bytes) {
  return bytes.starts_with("PK\x03\x04");
}

int ColumnIndex(std::string_view letters) {
  if (letters.empty() || letters.size() > 3) return -1;
  int v = 0;
  for (char ch : letters) {
    char c = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
    if (c < 'A' || c > 'Z') return -1;
    v = v * 26 + (c - 'A' + 1);
  }
  return v - 1;
}

std::string ColumnName(int index) {
  std::string out;
  for (int n = index + 1; n > 0; n = (n - 1) / 26)
    out.insert(out.begin(), static_cast<char>('A' + (n - 1) % 26));
  return out;
}

std::string ExcelSerialToIso(double serial, bool date1904) {
  using namespace std::chrono;
  if (!std::isfinite(serial) || serial < 0 || serial >= 2958466) return {};
  auto days = static_cast<int64_t>(std::floor(serial));
  auto secs = static_cast<int64_t>(std::llround((serial - double(days)) * 86400.0));
  if (secs >= 86400) {
    ++days;
    secs -= 86400;
  }
  sys_days base;
  if (date1904) {
    base = sys_days(year{1904} / January / 1);
  } else {
    // Excel's 1900 system counts a 29 February 1900 that never was (serial 60), as Lotus 1-2-3
    // did; serials after it are one day ahead.
    if (days == 60) return {};
    if (days == 0 && secs == 0) return {};
    base = days < 60 ? sys_days(year{1899} / December / 31) : sys_days(year{1899} / December / 30);
  }
  year_month_day ymd(base + std::chrono::days(days));
  char buf[40];
  if (secs == 0) {
    std::snprintf(buf, sizeof buf, "%04d-%02u-%02u", int(ymd.year()), unsigned(ymd.month()),
                  unsigned(ymd.day()));
  } else {
    std::snprintf(buf, sizeof buf, "%04d-%02u-%02u %02d:%02d:%02d", int(ymd.year()),
                  unsigned(ymd.month()), unsigned(ymd.day()), int(secs / 3600), int(secs / 60 % 60),
                  int(secs % 60));
  }
  return buf;
}

Result<XlsxWorkbook> ReadXlsx(std::string_view bytes, const std::string& file,
                              const std::string& only_sheet, const XlsxLimits& limits) {
  // A password-protected workbook is not a ZIP but an OLE compound file, as is the old .xls.
  if (bytes.starts_with("\xD0\xCF\x11\xE0"))
    return MakeError(ErrorCode::kInvalidArgument, "xlsx.ole_file", {file}, file);
  if (!LooksLikeZip(bytes))
    return MakeError(ErrorCode::kInvalidArgument, "xlsx.not_zip", {file}, file);
  Zip zip(bytes, file, limits.max_part_bytes);
  if (!zip.ok()) return MakeError(ErrorCode::kInvalidArgument, "xlsx.not_zip", {file}, file);

  MAMORI_ASSIGN_OR_RETURN(auto root_rels, ReadRels(zip, file, ""));
  std::string wb_part = root_rels.by_type.contains("officeDocument")
                            ? root_rels.by_type["officeDocument"]
                            : "xl/workbook.xml";
  auto wb_text = zip.Read(wb_part);
  if (!wb_text.ok()) {
    if (wb_text.error().code == ErrorCode::kNotFound)
      return MakeError(ErrorCode::kInvalidArgument, "xlsx.not_workbook", {file}, file);
    return wb_text.error();
  }
  MAMORI_ASSIGN_OR_RETURN(auto wb, ParseXml(*wb_text, file, wb_part));
  MAMORI_ASSIGN_OR_RETURN(auto rels, ReadRels(zip, file, wb_part));
  auto workbook = Child(wb, "workbook");
  std::string_view d1904 = Child(workbook, "workbookPr").attribute("date1904").value();
  bool date1904 = d1904 == "1" || d1904 == "true";

  std::vector<std::string> shared;
  if (rels.by_type.contains("sharedStrings")) {
    const std::string& part = rels.by_type["sharedStrings"];
    MAMORI_ASSIGN_OR_RETURN(auto text, zip.Read(part));
    MAMORI_ASSIGN_OR_RETURN(auto doc, ParseXml(text, file, part));
    for (auto si = Child(doc, "sst").first_child(); si; si = si.next_sibling())
      if (LocalName(si.name()) == "si") shared.push_back(RichText(si));
  }

  std::vector<bool> date_styles;
  if (rels.by_type.contains("styles")) {
    const std::string& part = rels.by_type["styles"];
    MAMORI_ASSIGN_OR_RETURN(auto text, zip.Read(part));
    MAMORI_ASSIGN_OR_RETURN(auto doc, ParseXml(text, file, part));
    auto ss = Child(doc, "styleSheet");
    std::map<int, std::string> custom;
    for (auto f = Child(Child(ss, "numFmts"), "numFmt"); f; f = f.next_sibling())
      custom[f.attribute("numFmtId").as_int(-1)] = f.attribute("formatCode").value();
    for (auto xf = Child(Child(ss, "cellXfs"), "xf"); xf; xf = xf.next_sibling()) {
      if (LocalName(xf.name()) != "xf") continue;
      int id = xf.attribute("numFmtId").as_int(0);
      auto it = custom.find(id);
      date_styles.push_back(IsDateFormat(id, it == custom.end() ? "" : it->second));
    }
  }

  XlsxWorkbook out;
  bool found = only_sheet.empty();
  for (auto s = Child(Child(workbook, "sheets"), "sheet"); s; s = s.next_sibling()) {
    if (LocalName(s.name()) != "sheet") continue;
    XlsxSheet sheet;
    sheet.name = s.attribute("name").value();
    std::string_view state = s.attribute("state").value();
    sheet.hidden = state == "hidden" || state == "veryHidden";
    auto target = rels.by_id.find(RelId(s));
    bool wanted = only_sheet.empty() || sheet.name == only_sheet;
    found = found || sheet.name == only_sheet;
    // Chart sheets and dialog sheets have no cells; only worksheets are read.
    if (wanted && target != rels.by_id.end() &&
        target->second.find("worksheets/") != std::string::npos) {
      MAMORI_ASSIGN_OR_RETURN(auto text, zip.Read(target->second));
      MAMORI_ASSIGN_OR_RETURN(auto doc, ParseXml(text, file, target->second));
      SheetReader reader(file, sheet.name, shared, date_styles, date1904, limits);
      MAMORI_RETURN_IF_ERROR(reader.Read(Child(doc, "worksheet"), sheet));
    }
    out.sheets.push_back(std::move(sheet));
  }
  if (!found) {
    std::string names;
    for (const auto& s : out.sheets) names += (names.empty() ? "" : ", ") + s.name;
    return MakeError(ErrorCode::kNotFound, "xlsx.no_sheet", {file, only_sheet, names}, file);
  }
  return out;
}

}  // namespace mamori::formats
