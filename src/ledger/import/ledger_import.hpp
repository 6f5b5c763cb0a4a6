// Importing a hospital's own ledger table (CSV or an Excel workbook):
// finds the header row below title rows, maps Japanese header variants to ledger fields,
// validates every row (naming row and column), and creates or updates assets matched by their
// natural keys (serial number, MAC address, computer name). One transaction; --dry-run computes
// the same report without writing; --strict imports nothing when any row is bad.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/json_body.hpp"
#include "ledger/ledger_service.hpp"

namespace mamori::ledger::import {

struct ImportOptions {
  std::string file;             // for messages and the audit record
  std::string format = "auto";  // auto | csv | xlsx
  std::string sheet;            // XLSX: only this sheet; empty: every visible sheet with a header
  bool dry_run = false;
  bool strict = false;
  bool preview = false;  // report the assets as they would be after the import
  // Header text → field ("" skips the column), over the built-in header names: a hospital's
  // own column names, from the import wizard or a saved profile.
  std::map<std::string, std::string> mapping;
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
  struct TableInfo {
    std::string sheet;  // empty for CSV
    int header_row = 0;
    std::vector<std::pair<std::string, std::string>> mapping;  // header text → field
    std::vector<std::string> unmapped;                         // headers not used
    std::vector<std::pair<std::string, std::string>> columns;  // every header in file order
    int rows = 0;                                              // non-blank data rows
  };
  std::vector<TableInfo> tables;         // the sheets read, in order
  std::vector<std::string> new_vendors;  // vendor names the import creates
  std::vector<std::string> new_systems;  // system names the import creates
  std::vector<Asset> preview;            // with ImportOptions::preview: created/updated assets
  struct Changed {
    int64_t asset_id;
    std::string name;
    std::vector<std::string> fields;  // what the file changed
  };
  std::vector<Changed> changed;  // every updated asset
  std::string format;            // csv | xlsx
  std::string encoding;          // CSV: utf-8 | utf-8-bom | cp932
  bool dry_run = false;
  [[nodiscard]] Json ToJson(Lang lang) const;
};

// The ledger field a header names ("ホスト名", "ｺﾝﾋﾟｭｰﾀ名", "IPｱﾄﾞﾚｽ" …), or "" when unknown.
std::string FieldForHeader(std::string_view header);

// The fields a mapping may name (for the wizard and for checking profiles).
const std::vector<std::string>& ImportFields();

// "header=field" arguments (field one of ImportFields(), or empty to skip the column) → mapping.
Result<std::map<std::string, std::string>> ParseMappingArgs(const std::vector<std::string>& args);

// The format of a file from its first bytes: "xlsx" (a ZIP), "nmap", "cyclonedx", "spdx",
// "csv", or "" when it is XML or JSON of another kind.
std::string DetectFormat(std::string_view bytes);

// Reads a CSV or XLSX file (`opt.format`, detected when "auto") and imports its ledger sheets.
Result<ImportReport> ImportFile(LedgerService& ledger, const Scope& scope, std::string_view bytes,
                                const ImportOptions& opt);

struct SheetRows {
  std::string sheet;
  const std::vector<std::vector<std::string>>* rows;
  const std::vector<int>* row_numbers;
};
// Imports tables already read (each with its header somewhere in the first 30 rows); tables
// without a header row are skipped, and it is an error when none has one.
Result<ImportReport> ImportTables(LedgerService& ledger, const Scope& scope,
                                  const std::vector<SheetRows>& tables, const ImportOptions& opt);

}  // namespace mamori::ledger::import
