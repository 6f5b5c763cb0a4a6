// libFuzzer target: one syslog message (any bytes: RFC 5424/3164, vendor bodies, any encoding),
// and the same bytes as a JSON-lines record and as a stored event payload (either form).
// Invariants: nothing crashes; the event keeps the raw bytes; its message is valid UTF-8; the
// stored form — JSON, or the compact record of a received message — reads back as the same event;
// the record a receiver builds from the bytes without parsing them is the parsed event's; the
// host found without reading the rest (SyslogHost) is the parsed event's.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "core/text.hpp"
#include "logs/logs_service.hpp"
#include "logs/syslog.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace mamori::logs;
  if (size > 64 * 1024) return 0;
  std::string_view bytes(reinterpret_cast<const char*>(data), size);
  SyslogContext ctx;
  ctx.received = 1796140800000;
  LogEvent e = ParseSyslog(bytes, ctx);
  if (e.raw != bytes) std::abort();
  if (!mamori::IsValidUtf8(e.message) || !mamori::IsValidUtf8(e.host) ||
      !mamori::IsValidUtf8(e.user))
    std::abort();
  auto back = LogEvent::Deserialise(e.Serialise());
  if (!back.ok() || back->raw != e.raw || back->message != e.message) std::abort();
  // As a receiver takes it: the compact record reads back as the same event.
  LogEvent r = ReceiveSyslog(bytes, ctx.received, "fuzz", {-300, "192.0.2.1", "/CN=fuzz"});
  std::string stored = r.Serialise();
  auto again = LogEvent::Deserialise(stored);
  if (!IsCompactRecord(stored) || !again.ok() ||
      SerialiseThroughJson(*again) != SerialiseThroughJson(r))
    std::abort();
  // A receiver behind a relay finds the source by the host alone: the full parse's host.
  if (SyslogHost(bytes, "192.0.2.1") != r.host) std::abort();
  // Without vendor fields (the receivers): everything else the same.
  LogEvent light = ReceiveSyslog(bytes, ctx.received, "fuzz", {-300, "192.0.2.1", "/CN=fuzz"},
                                 /*vendor_fields=*/false);
  if (light.Serialise() != stored) std::abort();
  // As the receivers store it now: the record built from the bytes without parsing them, and
  // the event the index parses from the batch, are the ones above.
  ReceivedBatch batch;
  batch.received = ctx.received;
  batch.source = "fuzz";
  batch.origin = {-300, "192.0.2.1", "/CN=fuzz"};
  batch.Add("<13>Dec  1 10:00:00 h a: before");
  batch.Add(bytes);
  std::string built;
  batch.CompactTo(built, 1);
  if (built != stored) std::abort();
  if (SerialiseThroughJson(batch.Event(1)) != SerialiseThroughJson(light)) std::abort();
  light.fields = r.fields;
  if (SerialiseThroughJson(light) != SerialiseThroughJson(r)) std::abort();
  auto j = Json::parse(bytes, nullptr, false);
  if (!j.is_discarded()) (void)EventFromJson(j, ctx);
  (void)LogEvent::Deserialise(bytes);
  return 0;
}
