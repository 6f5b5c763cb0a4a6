// Ledger exports that the importer reads back unchanged: CSV with Japanese headers (UTF-8 with
// BOM, or CP932 for older Excel) and JSON. XLSX and the PDF report come with issue 3's rest.
#pragma once

#include <functional>
#include <map>
#include <string>
#include <vector>

#include "core/result.hpp"
#include "ledger/ledger_service.hpp"

namespace mamori::ledger::import {

struct ExportNames {
  std::map<int64_t, std::string> vendors;
  std::map<int64_t, std::string> systems;
};

// The names of the scope's vendors and systems, to show beside their ids.
Result<ExportNames> NamesOf(LedgerService& ledger, const Scope& scope);

// encoding: "utf-8-bom" or "cp932".
// One column of the exported ledger: its Japanese header (one the importer reads back) and the
// cell text; dates are "YYYY-MM-DD" (written as real dates in XLSX).
struct ExportColumn {
  const char* header;
  std::function<std::string(const Asset&, const ExportNames&)> get;
  bool date = false;
};
const std::vector<ExportColumn>& ExportColumns();

// Japanese names of categories and remote-maintenance states, as exports and reports show them.
const char* CategoryJa(const std::string& category);
const char* RemoteJa(const std::string& remote);

Result<std::string> ExportCsv(const std::vector<Asset>& assets, const ExportNames& names,
                              const std::string& encoding);

}  // namespace mamori::ledger::import

namespace mamori::ledger::import {

struct XlsxExportInfo {
  std::string org_name;
  UnixMillis now = 0;
};
// The ledger as an Excel workbook: a summary sheet (概要: counts, completeness, support ended,
// remote maintenance per category) and one sheet per category, Japanese headers, dates as
// Excel dates, header row frozen and filtered.
Result<std::string> ExportXlsx(const std::vector<Asset>& assets, const ExportNames& names,
                               const XlsxExportInfo& info);

}  // namespace mamori::ledger::import
