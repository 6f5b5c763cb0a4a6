// The filled checklist as files: Excel in the layout of the official form (the hospital's sheet
// and one sheet per vendor, 和暦 dates), PDF with an evidence appendix, and JSON.
#pragma once

#include <string>

#include "checklist/checklist_service.hpp"

namespace mamori::checklist {

struct ExportedFile {
  std::string file_name;
  std::string content_type;
  std::string content;
};

struct ExportRequest {
  AssessQuery query;     // which year; for a vendor's user, its own form only
  std::string format;    // xlsx | pdf | json
  std::string today;     // YYYY-MM-DD
  std::string org_name;  // 医療機関名 on the form
  Lang lang = Lang::kJa;
};

Result<ExportedFile> ExportAssessment(ChecklistService& checklist, ledger::LedgerService& ledger,
                                      const ledger::Scope& scope, const ExportRequest& req);

// "2026-04-01" → "令和8年4月1日"; "" stays "".
std::string WarekiDate(const std::string& iso);

}  // namespace mamori::checklist
