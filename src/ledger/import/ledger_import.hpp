// Importing a hospital's own ledger table (CSV today; the XLSX reader feeds the same function):
// finds the header row below title rows, maps Japanese header variants to ledger fields,
// validates every row (naming row and column), and creates or updates assets matched by their
// natural keys (serial number, MAC address, computer name). One transaction; --dry-run computes
// the same report without writing; --strict imports nothing when any row is bad.
#pragma once

#include <string>
#include <vector>

#include "core/json_body.hpp"
#include "ledger/ledger_service.hpp"

namespace mamori::ledger::import {

struct ImportOptions {
  std::string file;   // for messages
  std::string sheet;  // for messages; empty for CSV
  bool dry_run = false;
  bool strict = false;
};

struct RowIssue {
  std::string sheet;
  int row = 0;         // the line/row number as the user sees it in the file
  std::string column;  // the header text as written in the file
  Error error;
};

struct ImportReport {
  int created = 0;
  int updated = 0;
  int unchanged = 0;
  std::vector<RowIssue> errors;
  std::vector<std::pair<std::string, std::string>> mapping;  // header text → field
  std::vector<std::string> unmapped;                         // headers not used
  int header_row = 0;
  [[nodiscard]] Json ToJson(Lang lang) const;
};

// The ledger field a header names ("ホスト名", "ｺﾝﾋﾟｭｰﾀ名", "IPｱﾄﾞﾚｽ" …), or "" when unknown.
std::string FieldForHeader(std::string_view header);

Result<ImportReport> ImportRows(LedgerService& ledger, const Scope& scope,
                                const std::vector<std::vector<std::string>>& rows,
                                const std::vector<int>& row_numbers, const ImportOptions& opt);

}  // namespace mamori::ledger::import
