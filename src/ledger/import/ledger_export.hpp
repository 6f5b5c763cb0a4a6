// Ledger exports that the importer reads back unchanged: CSV with Japanese headers (UTF-8 with
// BOM, or CP932 for older Excel) and JSON. XLSX and the PDF report come with issue 3's rest.
#pragma once

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
Result<std::string> ExportCsv(const std::vector<Asset>& assets, const ExportNames& names,
                              const std::string& encoding);

}  // namespace mamori::ledger::import
