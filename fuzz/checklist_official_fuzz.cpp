// libFuzzer target: reading the MHLW form from a workbook's cells (the layout logic: header row,
// section rows, item numbers, device rows, matching known items). The input is text — lines are
// rows, tabs separate cells, "\f" starts a new sheet — so the fuzzer explores the layout rather
// than the ZIP container (xlsx_reader_fuzz covers that). Invariants: an imported form has items
// with unique ids, known rows, and passes the definition checks when stored.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <set>
#include <string>
#include <string_view>

#include "checklist/official_import.hpp"
#include "core/text.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace mamori;
  if (size > 64 * 1024) return 0;
  std::string_view text(reinterpret_cast<const char*>(data), size);
  // Cells arrive from the XLSX reader, which refuses parts that are not UTF-8.
  if (!IsValidUtf8(text)) return 0;
  formats::XlsxWorkbook wb;
  wb.sheets.emplace_back();
  std::vector<std::string> row;
  std::string cell;
  int line = 1;
  auto end_row = [&] {
    row.push_back(cell);
    cell.clear();
    wb.sheets.back().rows.push_back(row);
    wb.sheets.back().row_numbers.push_back(line++);
    row.clear();
  };
  for (char c : text) {
    if (c == '\t') {
      row.push_back(cell);
      cell.clear();
    } else if (c == '\n') {
      end_row();
    } else if (c == '\f') {
      end_row();
      wb.sheets.emplace_back();
    } else {
      cell += c;
    }
  }
  end_row();
  auto r = checklist::ReadOfficialSheets(wb, {"fuzz.xlsx", "", ""}, checklist::BundledForms());
  if (!r.ok()) return 0;
  std::set<std::string> ids;
  for (const auto& it : r->form.items) {
    if (!ids.insert(it.id).second || it.rows.empty()) std::abort();
    for (const auto& rc : it.rows)
      if (!checklist::IsRowClass(rc)) std::abort();
  }
  if (!checklist::FormDef::FromJson(r->form.ToJson(), "fuzz").ok()) std::abort();
  return 0;
}
