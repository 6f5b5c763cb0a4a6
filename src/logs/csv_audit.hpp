// Audit trails that EHR and department systems export as CSV (操作ログ, アクセスログ): one row per
// access, a header row naming the columns — in Japanese, differently in every product. The
// columns are mapped to the event model by a mapping saved per log source (like the ledger
// importer's profiles), or recognised from common Japanese and English header names; UTF-8,
// UTF-8 with BOM and CP932 are read (formats/csv_reader).
#pragma once

#include <functional>
#include <map>
#include <string>
#include <vector>

#include "logs/event.hpp"
#include "logs/syslog.hpp"

namespace mamori::logs {

// Field → header. Fields: time (or date + clock), user, action, object, outcome, host, src_ip,
// message; any other column is kept in fields under its header.
using CsvMapping = std::map<std::string, std::string>;

inline constexpr const char* kCsvFields[] = {"time",   "date",    "clock", "user",   "action",
                                             "object", "outcome", "host",  "src_ip", "message"};

struct CsvRowError {
  int64_t line = 0;
  std::string message;
};

struct CsvAudit {
  std::vector<LogEvent> events;     // without a sink (the sink took them otherwise)
  std::vector<CsvRowError> errors;  // rows refused, each naming its line and column
  CsvMapping mapping;               // what was used (to save for the source)
  int64_t header_line = 0;
};

// Reads the file. Errors of the whole file (no header row with a time column, a mapping naming a
// column the file does not have, bytes that are not CSV) name the file; a bad row is refused
// alone, naming its line and column.
// With a sink, the events are handed to it in batches of up to a thousand as the rows are read
// (none is kept; an error it returns stops the reading): every error of the whole file comes
// before the first batch, so that such a file stores nothing.
using CsvSink = std::function<Status(std::vector<LogEvent>& batch)>;
Result<CsvAudit> ParseCsvAudit(std::string_view bytes, const std::string& file,
                               const SyslogContext& ctx, const CsvMapping& mapping,
                               const CsvSink& sink = nullptr);

// "2026/11/30 9:05:07", "2026-11-30 09:05", "2026-11-30T09:05:07+09:00", "R8.11.30 9:05"…; local
// times at offset_minutes. nullopt when it is not a time.
std::optional<UnixMillis> ParseLocalTime(std::string_view text, int offset_minutes);

}  // namespace mamori::logs
