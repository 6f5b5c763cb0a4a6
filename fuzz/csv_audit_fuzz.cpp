// libFuzzer target: EHR audit-trail CSV (logs/csv_audit.cpp) — header detection, the saved
// mapping, local times, CP932. Invariants: nothing crashes; every event read has a time and valid
// UTF-8 text, and serialises; read through a sink, the same events arrive in batches of at most a
// thousand, and a refused file hands over none.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include "core/text.hpp"
#include "logs/csv_audit.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace mamori::logs;
  if (size > 256 * 1024) return 0;
  std::string_view bytes(reinterpret_cast<const char*>(data), size);
  SyslogContext ctx;
  ctx.received = 1796140800000;
  for (const CsvMapping& m :
       {CsvMapping{}, CsvMapping{{"user", "職員番号"}, {"object", "カルテ番号"}}}) {
    auto r = ParseCsvAudit(bytes, "fuzz.csv", ctx, m);
    // Read through a sink: the same events, in batches; a refused file hands over none.
    std::vector<std::string> raws;
    auto streamed = ParseCsvAudit(bytes, "fuzz.csv", ctx, m, [&](std::vector<LogEvent>& batch) {
      if (batch.empty() || batch.size() > 1000) std::abort();
      for (const auto& e : batch) raws.push_back(e.raw);
      return mamori::Ok();
    });
    if (streamed.ok() != r.ok() || (!r.ok() && !raws.empty())) std::abort();
    if (!r.ok()) continue;
    if (raws.size() != r->events.size()) std::abort();
    for (size_t i = 0; i < raws.size(); ++i)
      if (raws[i] != r->events[i].raw) std::abort();
    for (const auto& e : r->events) {
      if (e.format != "csv" || !mamori::IsValidUtf8(e.user) || !mamori::IsValidUtf8(e.message))
        std::abort();
      (void)e.Serialise();
      (void)e.ToJson().dump();
    }
  }
  (void)ParseLocalTime(bytes.substr(0, 64), 540);
  return 0;
}
