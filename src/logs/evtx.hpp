// Windows event logs (.evtx) through Debian's libevtx: each record's XML rendering, read with
// pugixml and mapped to the event model — logons (4624/4625/4648, Terminal Services 1149),
// logoffs, account and group changes, audit-policy changes, process creation and log clearing
// (1102, 104) with their users, source IPs and logon types. A record libevtx cannot read is
// skipped and reported by its index; the rest of the file is still read. Records libevtx
// recovers from free space are read too and marked (fields.recovered).
#pragma once

#include <string>
#include <vector>

#include "core/result.hpp"
#include "logs/event.hpp"
#include "logs/syslog.hpp"

namespace mamori::logs {

struct EvtxRead {
  std::vector<LogEvent> events;
  std::vector<std::string> problems;  // "file: record N: …"
  uint64_t records = 0;               // records the file says it has
  uint64_t recovered = 0;
};

// An error only when the file cannot be opened as EVTX at all.
Result<EvtxRead> ReadEvtx(const std::string& path, const SyslogContext& ctx);

// One event's XML (as Windows renders it) mapped to the event model.
Result<LogEvent> EventFromWindowsXml(std::string_view xml, const SyslogContext& ctx);

}  // namespace mamori::logs
