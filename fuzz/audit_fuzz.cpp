// libFuzzer target: audit records as documents — IHE ATNA XML (both dialects, one AuditMessage or
// several) and FHIR AuditEvent (JSON or XML, a resource or a Bundle). Invariants: nothing
// crashes; every event read has the right format, a non-empty action and valid UTF-8 text.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "core/text.hpp"
#include "logs/atna.hpp"
#include "logs/fhir.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace mamori::logs;
  if (size > 256 * 1024) return 0;
  std::string_view bytes(reinterpret_cast<const char*>(data), size);
  SyslogContext ctx;
  ctx.received = 1796140800000;
  auto check = [](const std::vector<LogEvent>& events, const char* format) {
    for (const auto& e : events) {
      if (e.format != format || e.action.empty() || !mamori::IsValidUtf8(e.user)) std::abort();
      (void)e.Serialise();      // what the store writes
      (void)e.ToJson().dump();  // what search prints
    }
  };
  if (auto a = ParseAtna(bytes, ctx, "fuzz.xml"); a.ok()) check(*a, "atna");
  if (auto f = ParseFhirAuditEvents(bytes, ctx, "fuzz.json"); f.ok()) check(*f, "fhir");
  (void)NormalisePatientId(bytes);
  return 0;
}
