// `mamori checklist import-official`: a checklist form read from the MHLW Excel workbook, so a
// hospital can take up a new fiscal year's form (令和8年度 is published as Excel) without a new
// mamori release. Items whose text matches a known item keep that item's evaluator, rows,
// conditions and guidance; new items get none ("根拠データ未接続") until a release maps them.
//
// The layout read (docs/formats/checklist-definition.md): on each sheet, a header row with a
// number column (番号 / No. / 項番) and an item column (チェック項目 / 確認項目 / 項目), optionally
// a device-class column (対象 / 機器); section rows ("1 体制構築"); item rows numbered "1-①",
// "2-(1)", "（１）" (under the current section); an item over several rows (one per サーバ /
// 端末PC / ネットワーク機器, often a merged number cell) is one item with those rows. The form
// (医療機関確認用 / 事業者確認用) and the year (令和N年度) are read from the sheet's title cells
// unless given.
#pragma once

#include <string>
#include <vector>

#include "checklist/definitions.hpp"
#include "formats/xlsx_reader.hpp"

namespace mamori::checklist {

struct OfficialImport {
  FormDef form;
  int matched = 0;                     // items mapped onto a known item (and its evaluator)
  std::vector<std::string> new_items;  // ids of items no known text matched
  std::string sheet;
  [[nodiscard]] Json ToJson() const;
};

struct OfficialImportOptions {
  std::string file_name;
  std::string year;  // "" to read it from the workbook
  std::string form;  // "" to read it from the workbook: hospital | vendor
};

// Reads the first sheet that holds a form (or fails naming the file and what is missing).
// `known` are the definitions whose items can be matched (the bundled ones).
Result<OfficialImport> ReadOfficialWorkbook(std::string_view bytes,
                                            const OfficialImportOptions& opt,
                                            const std::vector<FormDef>& known);

// The same over a workbook already read (the fuzz target builds one from text).
Result<OfficialImport> ReadOfficialSheets(const formats::XlsxWorkbook& wb,
                                          const OfficialImportOptions& opt,
                                          const std::vector<FormDef>& known);

// "1-①", "２－（１）", "(1)" under section 2, "0" → "1-1", "2-1", "2-1", "0"; "" when not a number.
std::string ItemIdFromNumber(const std::string& number, const std::string& section_no);

}  // namespace mamori::checklist
