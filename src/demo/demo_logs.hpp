// The demo hospital's access logs: a month of fictional events from its registered log sources
// (domain controller, UTM, the EHR's audit trail, PACS, a ward switch), generated
// deterministically, with what a reviewer should find in them — a burst of failed logons at
// night, a cleared Security log, a vendor's remote-maintenance session, one patient's record
// opened by many staff, a PACS that went silent and a switch whose clock drifted. Clearly demo
// data: every source's description says so.
#pragma once

#include "core/result.hpp"
#include "logs/logs_service.hpp"
#include "store/store.hpp"

namespace mamori::demo {

// Registers the sources and appends the events (ending at `now`); returns the number of events.
Result<uint64_t> SeedDemoLogs(store::Database& db, int64_t org_id, logs::LogsService& logs,
                              UnixMillis now);

}  // namespace mamori::demo
