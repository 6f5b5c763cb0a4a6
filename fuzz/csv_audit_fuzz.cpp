// libFuzzer target: EHR audit-trail CSV (logs/csv_audit.cpp) — header detection, the saved
// mapping, local times, CP932. Invariants: nothing crashes; every event read has a time and valid
// UTF-8 text, and serialises.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

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
    if (!r.ok()) continue;
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
