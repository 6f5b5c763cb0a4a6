// The XLSX reader against workbooks built here part by part (minizip's writer), so each feature
// Excel files really use — furigana, inline strings, date styles, 1904 dates, merged cells,
// prefixed namespaces, hidden sheets — and each kind of damage is tested on its own. Workbooks
// written by other programs (libxlsxwriter, exceljs) are read in the CLI and import tests.
#include "formats/xlsx_reader.hpp"

#include <gtest/gtest.h>
#include <unistd.h>
#include <zip.h>

#include <cstdio>
#include <fstream>
#include <map>
#include <sstream>

namespace mamori::formats {
namespace {

using Parts = std::map<std::string, std::string>;

std::string MakeZip(const Parts& parts) {
  char tmpl[] = "/tmp/mamori-xlsx-XXXXXX";
  int fd = mkstemp(tmpl);
  close(fd);
  zipFile z = zipOpen64(tmpl, APPEND_STATUS_CREATE);
  for (const auto& [name, body] : parts) {
    zip_fileinfo info{};
    zipOpenNewFileInZip64(z, name.c_str(), &info, nullptr, 0, nullptr, 0, nullptr, Z_DEFLATED,
                          Z_DEFAULT_COMPRESSION, 0);
    zipWriteInFileInZip(z, body.data(), static_cast<unsigned>(body.size()));
    zipCloseFileInZip(z);
  }
  zipClose(z, nullptr);
  std::ifstream in(tmpl, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  std::remove(tmpl);
  return ss.str();
}

const char* kRootRels =
    R"(<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>)";

Parts BaseWorkbook(const std::string& sheet1, const std::string& sheet2 = "",
                   const std::string& workbook_pr = "") {
  Parts p;
  p["_rels/.rels"] = kRootRels;
  p["xl/workbook.xml"] =
      R"(<?xml version="1.0"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">)" +
      workbook_pr +
      R"(<sheets><sheet name="表紙" sheetId="1" r:id="rId1"/><sheet name="機器台帳" sheetId="2" r:id="rId2"/><sheet name="作業用" sheetId="3" state="hidden" r:id="rId3"/></sheets></workbook>)";
  p["xl/_rels/workbook.xml.rels"] =
      R"(<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>
<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="/xl/worksheets/sheet2.xml"/>
<Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet3.xml"/>
<Relationship Id="rId4" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/>
<Relationship Id="rId5" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/>
</Relationships>)";
  // Shared strings: plain, rich text runs, and kanji with their furigana (<rPh>), which must not
  // become part of the value.
  p["xl/sharedStrings.xml"] =
      R"(<?xml version="1.0"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">
<si><t>医療機器台帳</t></si>
<si><t>名称</t></si>
<si><t>ホスト名</t><rPh sb="0" eb="3"><t>ホストメイ</t></rPh><phoneticPr fontId="1"/></si>
<si><r><t>設置</t></r><r><rPr><b/></rPr><t>場所</t></r><rPh sb="0" eb="2"><t>セッチ</t></rPh></si>
<si><t>導入日</t></si>
<si><t>電子カルテサーバ</t></si>
<si><t>サーバ室</t></si>
<si><t xml:space="preserve">1行目_x000D_
2行目</t></si>
</sst>)";
  p["xl/styles.xml"] =
      R"(<?xml version="1.0"?><styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">
<numFmts count="2"><numFmt numFmtId="176" formatCode="yyyy/m/d;@"/><numFmt numFmtId="177" formatCode="[$-411]ggge&quot;年&quot;m&quot;月&quot;d&quot;日&quot;"/><numFmt numFmtId="178" formatCode="0.00E+00"/></numFmts>
<cellXfs count="5"><xf numFmtId="0"/><xf numFmtId="14"/><xf numFmtId="176"/><xf numFmtId="177"/><xf numFmtId="178"/></cellXfs>
</styleSheet>)";
  p["xl/worksheets/sheet1.xml"] =
      R"(<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>この台帳は年1回見直す</t></is></c></row></sheetData></worksheet>)";
  p["xl/worksheets/sheet2.xml"] = sheet1;
  p["xl/worksheets/sheet3.xml"] =
      sheet2.empty()
          ? R"(<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData/></worksheet>)"
          : sheet2;
  return p;
}

// The ledger sheet: a title merged over A1:D1, the header on row 3, a location merged over two
// rows, dates in three styles, a number Excel stored with 17 digits, a boolean, cells without
// "r" attributes, and a prefixed namespace ("x:").
const char* kLedgerSheet =
    R"(<?xml version="1.0"?><x:worksheet xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><x:sheetData>
<x:row r="1"><x:c r="A1" t="s"><x:v>0</x:v></x:c><x:c r="B1" s="0"/></x:row>
<x:row r="3"><x:c r="A3" t="s"><x:v>1</x:v></x:c><x:c r="B3" t="s"><x:v>2</x:v></x:c><x:c r="C3" t="s"><x:v>3</x:v></x:c><x:c r="D3" t="s"><x:v>4</x:v></x:c><x:c r="E3" t="inlineStr"><x:is><x:t>台数</x:t></x:is></x:c></x:row>
<x:row r="4"><x:c r="A4" t="s"><x:v>5</x:v></x:c><x:c r="B4" t="str"><x:v>EMR-SV01</x:v></x:c><x:c r="C4" t="s"><x:v>6</x:v></x:c><x:c r="D4" s="1"><x:v>45383</x:v></x:c><x:c r="E4"><x:v>0.10000000000000001</x:v></x:c></x:row>
<x:row r="5"><x:c t="inlineStr"><x:is><x:t>PACSサーバ</x:t></x:is></x:c><x:c t="str"><x:v>PACS-SV01</x:v></x:c><x:c/><x:c s="2"><x:v>45383.5</x:v></x:c><x:c t="b"><x:v>1</x:v></x:c></x:row>
<x:row r="7"><x:c r="A7" t="s"><x:v>7</x:v></x:c><x:c r="D7" s="3"><x:v>43586</x:v></x:c><x:c r="E7" s="4"><x:v>120000</x:v></x:c><x:c r="F7" t="e"><x:v>#N/A</x:v></x:c></x:row>
</x:sheetData><x:mergeCells count="3"><x:mergeCell ref="A1:D1"/><x:mergeCell ref="C4:C5"/><x:mergeCell ref="A20:XFD1048576"/></x:mergeCells></x:worksheet>)";

TEST(XlsxReader, ReadsWhatHospitalWorkbooksHold) {
  std::string bytes = MakeZip(BaseWorkbook(kLedgerSheet));
  auto wb = ReadXlsx(bytes, "台帳.xlsx");
  ASSERT_TRUE(wb.ok()) << wb.error().Message(Lang::kEn);
  ASSERT_EQ(wb->sheets.size(), 3U);
  EXPECT_EQ(wb->sheets[0].name, "表紙");
  EXPECT_EQ(wb->sheets[1].name, "機器台帳");
  EXPECT_FALSE(wb->sheets[1].hidden);
  EXPECT_TRUE(wb->sheets[2].hidden);
  ASSERT_EQ(wb->sheets[0].rows.size(), 1U);
  EXPECT_EQ(wb->sheets[0].rows[0][0], "この台帳は年1回見直す");

  const auto& s = wb->sheets[1];
  ASSERT_EQ(s.row_numbers, (std::vector<int>{1, 3, 4, 5, 7}));
  // The merged title repeats over A1:D1.
  EXPECT_EQ(s.rows[0], (std::vector<std::string>{"医療機器台帳", "医療機器台帳", "医療機器台帳",
                                                 "医療機器台帳"}));
  EXPECT_EQ(s.rows[1],
            (std::vector<std::string>{"名称", "ホスト名", "設置場所", "導入日", "台数"}));
  EXPECT_EQ(s.rows[2], (std::vector<std::string>{"電子カルテサーバ", "EMR-SV01", "サーバ室",
                                                 "2024-04-01", "0.1"}));
  // C5 is empty in the file but inside the merged C4:C5; D5 has a time of day.
  EXPECT_EQ(s.rows[3], (std::vector<std::string>{"PACSサーバ", "PACS-SV01", "サーバ室",
                                                 "2024-04-01 12:00:00", "TRUE"}));
  // _x000D_ is a carriage return; 令和 format is still a date; scientific format is a number.
  EXPECT_EQ(s.rows[4],
            (std::vector<std::string>{"1行目\r\n2行目", "", "", "2019-05-01", "120000", "#N/A"}));
}

TEST(XlsxReader, ReadsOnlyTheAskedSheetAndNamesTheOthersWhenItIsMissing) {
  std::string bytes = MakeZip(BaseWorkbook(kLedgerSheet));
  auto wb = ReadXlsx(bytes, "台帳.xlsx", "機器台帳");
  ASSERT_TRUE(wb.ok());
  EXPECT_TRUE(wb->sheets[0].rows.empty());
  EXPECT_EQ(wb->sheets[1].rows.size(), 5U);
  auto missing = ReadXlsx(bytes, "台帳.xlsx", "台帳2");
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().key, "xlsx.no_sheet");
  EXPECT_NE(missing.error().Message(Lang::kJa).find("表紙, 機器台帳, 作業用"), std::string::npos);
}

TEST(XlsxReader, Dates1904System) {
  Parts p = BaseWorkbook(
      R"(<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData><row r="1"><c r="A1" s="1"><v>0</v></c><c r="B1" s="1"><v>43921</v></c></row></sheetData></worksheet>)",
      "", R"(<workbookPr date1904="1"/>)");
  auto wb = ReadXlsx(MakeZip(p), "mac.xlsx");
  ASSERT_TRUE(wb.ok()) << wb.error().Message(Lang::kEn);
  EXPECT_EQ(wb->sheets[1].rows[0], (std::vector<std::string>{"1904-01-01", "2024-04-01"}));
}

TEST(XlsxReader, SerialDates) {
  EXPECT_EQ(ExcelSerialToIso(1, false), "1900-01-01");
  EXPECT_EQ(ExcelSerialToIso(59, false), "1900-02-28");
  EXPECT_EQ(ExcelSerialToIso(60, false), "");  // Excel's 29 February 1900
  EXPECT_EQ(ExcelSerialToIso(61, false), "1900-03-01");
  EXPECT_EQ(ExcelSerialToIso(45000, false), "2023-03-15");
  EXPECT_EQ(ExcelSerialToIso(44927.75, false), "2023-01-01 18:00:00");
  EXPECT_EQ(ExcelSerialToIso(2958465, false), "9999-12-31");
  EXPECT_EQ(ExcelSerialToIso(2958466, false), "");
  EXPECT_EQ(ExcelSerialToIso(-1, false), "");
}

TEST(XlsxReader, ColumnNames) {
  EXPECT_EQ(ColumnIndex("A"), 0);
  EXPECT_EQ(ColumnIndex("Z"), 25);
  EXPECT_EQ(ColumnIndex("AA"), 26);
  EXPECT_EQ(ColumnIndex("XFD"), 16383);
  EXPECT_EQ(ColumnIndex("A1"), -1);
  EXPECT_EQ(ColumnIndex("ABCD"), -1);
  for (int i : {0, 25, 26, 701, 702, 16383}) EXPECT_EQ(ColumnIndex(ColumnName(i)), i);
}

TEST(XlsxReader, DamageIsNamed) {
  auto not_zip = ReadXlsx("名称,ホスト名\n", "ledger.xlsx");
  ASSERT_FALSE(not_zip.ok());
  EXPECT_EQ(not_zip.error().key, "xlsx.not_zip");
  EXPECT_NE(not_zip.error().Message(Lang::kJa).find("ledger.xlsx"), std::string::npos);

  auto ole = ReadXlsx(std::string("\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1", 8) + std::string(504, '\0'),
                      "locked.xlsx");
  ASSERT_FALSE(ole.ok());
  EXPECT_EQ(ole.error().key, "xlsx.ole_file");

  auto no_wb = ReadXlsx(MakeZip({{"hello.txt", "hi"}}), "x.xlsx");
  ASSERT_FALSE(no_wb.ok());
  EXPECT_EQ(no_wb.error().key, "xlsx.not_workbook");

  Parts bad_xml = BaseWorkbook("<worksheet><sheetData><row></worksheet>");
  auto bx = ReadXlsx(MakeZip(bad_xml), "x.xlsx");
  ASSERT_FALSE(bx.ok());
  EXPECT_EQ(bx.error().key, "xlsx.bad_xml");
  EXPECT_NE(bx.error().Message(Lang::kEn).find("xl/worksheets/sheet2.xml"), std::string::npos);

  Parts bad_index = BaseWorkbook(
      R"(<worksheet><sheetData><row r="2"><c r="C2" t="s"><v>99</v></c></row></sheetData></worksheet>)");
  auto bi = ReadXlsx(MakeZip(bad_index), "x.xlsx");
  ASSERT_FALSE(bi.ok());
  EXPECT_EQ(bi.error().key, "xlsx.bad_cell");
  EXPECT_NE(bi.error().Message(Lang::kJa).find("機器台帳"), std::string::npos);
  EXPECT_NE(bi.error().Message(Lang::kJa).find("C2"), std::string::npos);

  // Bytes that are not UTF-8 (a damaged part) are refused naming the part: cell text goes on to
  // JSON, which cannot carry them (found by checklist_official_fuzz).
  Parts bad_utf8 = BaseWorkbook(
      "<worksheet><sheetData><row r=\"2\"><c r=\"A2\" "
      "t=\"inlineStr\"><is><t>\xff\xfe</t></is></c></row></sheetData></worksheet>");
  auto bu = ReadXlsx(MakeZip(bad_utf8), "x.xlsx");
  ASSERT_FALSE(bu.ok());
  EXPECT_EQ(bu.error().key, "xlsx.bad_utf8");
  EXPECT_NE(bu.error().Message(Lang::kEn).find("xl/worksheets/sheet2.xml"), std::string::npos);

  Parts bad_ref = BaseWorkbook(
      R"(<worksheet><sheetData><row r="2"><c r="C3"><v>1</v></c></row></sheetData></worksheet>)");
  EXPECT_EQ(ReadXlsx(MakeZip(bad_ref), "x.xlsx").error().key, "xlsx.bad_cell");

  // A part that inflates beyond the limit (a "ZIP bomb") is refused, not read.
  Parts big = BaseWorkbook("<worksheet><sheetData>" + std::string(3 << 20, ' ') +
                           "</sheetData></worksheet>");
  XlsxLimits limits;
  limits.max_part_bytes = 1 << 20;
  auto bomb = ReadXlsx(MakeZip(big), "bomb.xlsx", "", limits);
  ASSERT_FALSE(bomb.ok());
  EXPECT_EQ(bomb.error().key, "xlsx.part_too_large");

  // Truncated file: the central directory is gone.
  std::string whole = MakeZip(BaseWorkbook(kLedgerSheet));
  auto cut = ReadXlsx(whole.substr(0, whole.size() / 2), "cut.xlsx");
  ASSERT_FALSE(cut.ok());
  EXPECT_EQ(cut.error().key, "xlsx.not_zip");
}

TEST(XlsxReader, CellLimitHoldsAgainstWideMerges) {
  Parts p = BaseWorkbook(
      R"(<worksheet><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>x</t></is></c><c r="XFD1"><v>1</v></c></row><row r="2"><c r="A2"><v>2</v></c></row></sheetData><mergeCells><mergeCell ref="A1:XFD1048576"/></mergeCells></worksheet>)");
  XlsxLimits limits;
  limits.max_cells = 20000;
  auto wb = ReadXlsx(MakeZip(p), "wide.xlsx", "", limits);
  ASSERT_FALSE(wb.ok());
  EXPECT_EQ(wb.error().key, "xlsx.too_many_cells");
}

}  // namespace
}  // namespace mamori::formats
