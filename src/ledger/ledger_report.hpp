// 経営層への報告 (checklist 2-(1)): the ledger's state as a PDF for management — counts, changes
// since the previous report, devices whose support has ended, remotely maintained devices and
// how they are restricted, completeness, hosts not in the ledger — dated in 和暦 and 西暦, and
// kept (with its SHA-256 and figures) as evidence.
#pragma once

#include <string>

#include "ledger/ledger_service.hpp"

namespace mamori::ledger {

struct ReportInput {
  std::string org_name;
  UnixMillis now = 0;
  int confirm_interval_days = 365;
};

Result<LedgerReportRecord> GenerateManagementReport(LedgerService& ledger, const Scope& scope,
                                                    const ReportInput& in);

}  // namespace mamori::ledger
