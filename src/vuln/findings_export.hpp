// The findings as files people pass on: an Excel workbook for management, the 保健所's visit or a
// vendor asked to respond (概要, CVE別, 検出一覧), and CSV for other tools (UTF-8 with BOM, or
// CP932 for older Excel). One column table serves both, headers in the user's language.
#pragma once

#include <string>
#include <vector>

#include "core/i18n.hpp"
#include "core/result.hpp"
#include "vuln/vuln_service.hpp"

namespace mamori::vuln {

struct FindingsExportInfo {
  std::string org_name;
  UnixMillis now = 0;
  std::string today;       // YYYY-MM-DD (JST): what "overdue" was computed against
  std::string conditions;  // the filters the list was made with, for people ("" = all open)
  Lang lang = Lang::kJa;
};

// encoding: "utf-8-bom" or "cp932" (a character CP932 lacks is an error naming the finding).
Result<std::string> FindingsCsv(const std::vector<Finding>& findings, const std::string& encoding,
                                Lang lang);

// 概要 (counts by severity and state, KEV, overdue; who and when), CVE別 (one row per CVE) and
// 検出一覧 (one row per finding; dates as Excel dates; header frozen and filtered).
Result<std::string> FindingsXlsx(const std::vector<Finding>& findings,
                                 const std::vector<CveGroup>& groups,
                                 const FindingsExportInfo& info);

// The filters of a query in words, for the file's 概要 ("" when none).
std::string DescribeQuery(const FindingQuery& q, Lang lang);

struct FindingsFile {
  std::string file_name;  // 脆弱性検出_YYYY-MM-DD.xlsx
  std::string content_type;
  std::string content;
};

// The scope's findings that match q as a file: format "xlsx" or "csv" (encoding "utf-8-bom" or
// "cp932"); info.today and info.now date it.
Result<FindingsFile> ExportFindings(VulnService& vuln, const ledger::Scope& scope,
                                    const FindingQuery& q, const std::string& format,
                                    const std::string& encoding, FindingsExportInfo info);

}  // namespace mamori::vuln
