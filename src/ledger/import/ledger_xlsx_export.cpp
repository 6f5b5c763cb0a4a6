// The ledger as an Excel workbook, written with libxlsxwriter (Debian's libxlsxwriter-dev).
#include <array>

#include "core/time.hpp"
#include "ledger/import/ledger_export.hpp"
#include "report/xlsx_book.hpp"

namespace mamori::ledger::import {

namespace {

constexpr std::array<const char*, 6> kCategoryOrder = {"server",  "pc",    "network",
                                                       "medical", "cloud", "other"};

}  // namespace

Result<std::string> ExportXlsx(const std::vector<Asset>& assets, const ExportNames& names,
                               const XlsxExportInfo& info) {
  report::XlsxBook book;
  if (book.get() == nullptr) return book.Finish();
  lxw_workbook* wb = book.get();
  book.SetProperties("機器台帳", info.org_name, "mamori ledger export");
  auto [title, head, wrap, date] = book.AddListFormats();

  // 概要: what management and inspectors look at first.
  lxw_worksheet* sum = workbook_add_worksheet(wb, "概要");
  std::string heading = "機器台帳　" + info.org_name;
  worksheet_write_string(sum, 0, 0, heading.c_str(), title);
  std::string when = "出力日: " + FormatWarekiJst(info.now) + "（" + FormatDateJst(info.now) + "）";
  worksheet_write_string(sum, 1, 0, when.c_str(), nullptr);
  const char* sum_heads[] = {"区分",
                             "台数",
                             "未記入項目のある機器",
                             "サポート終了",
                             "リモート保守あり",
                             "リモート保守 不明"};
  for (int c = 0; c < 6; ++c) worksheet_write_string(sum, 3, c, sum_heads[c], head);
  worksheet_set_column(sum, 0, 0, 20, nullptr);
  worksheet_set_column(sum, 1, 5, 14, nullptr);
  std::string today = FormatDateJst(info.now);
  int row = 4;
  std::array<int, 5> total{};
  for (const char* cat : kCategoryOrder) {
    std::array<int, 5> n{};
    for (const auto& a : assets) {
      if (a.category != cat) continue;
      ++n[0];
      if (!MissingFields(a).empty()) ++n[1];
      if (!a.support_end.empty() && a.support_end < today) ++n[2];
      if (a.remote_maintenance == "yes") ++n[3];
      if (a.remote_maintenance == "unknown") ++n[4];
    }
    worksheet_write_string(sum, row, 0, CategoryJa(cat), nullptr);
    for (int c = 0; c < 5; ++c) {
      worksheet_write_number(sum, row, c + 1, n[static_cast<size_t>(c)], nullptr);
      total[static_cast<size_t>(c)] += n[static_cast<size_t>(c)];
    }
    ++row;
  }
  worksheet_write_string(sum, row, 0, "合計", head);
  for (int c = 0; c < 5; ++c)
    worksheet_write_number(sum, row, c + 1, total[static_cast<size_t>(c)], head);

  const auto& cols = ExportColumns();
  for (const char* cat : kCategoryOrder) {
    lxw_worksheet* ws = workbook_add_worksheet(wb, CategoryJa(cat));
    for (size_t c = 0; c < cols.size(); ++c) {
      worksheet_write_string(ws, 0, static_cast<lxw_col_t>(c), cols[c].header, head);
      worksheet_set_column(ws, static_cast<lxw_col_t>(c), static_cast<lxw_col_t>(c),
                           cols[c].date ? 12 : 18, nullptr);
    }
    lxw_row_t r = 1;
    for (const auto& a : assets) {
      if (a.category != cat) continue;
      for (size_t c = 0; c < cols.size(); ++c) {
        std::string v = cols[c].get(a, names);
        if (v.empty()) continue;
        auto col = static_cast<lxw_col_t>(c);
        if (cols[c].date) {
          lxw_datetime d = report::XlsxBook::Date(v);
          worksheet_write_datetime(ws, r, col, &d, date);
        } else {
          worksheet_write_string(ws, r, col, v.c_str(), wrap);
        }
      }
      ++r;
    }
    worksheet_freeze_panes(ws, 1, 0);
    worksheet_autofilter(ws, 0, 0, r > 1 ? r - 1 : 1, static_cast<lxw_col_t>(cols.size() - 1));
  }
  return book.Finish();
}

}  // namespace mamori::ledger::import
