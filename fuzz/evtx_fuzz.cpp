// libFuzzer target: a Windows event log file through libevtx and mamori's mapping, and the same
// bytes as one event's XML. Invariants: nothing crashes; every event read has a time and the
// evtx format; a record that cannot be read is a reported problem, not an abort.
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <fstream>
#include <string>

#include "logs/evtx.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace mamori::logs;
  if (size > 2 * 1024 * 1024) return 0;
  std::string_view bytes(reinterpret_cast<const char*>(data), size);
  SyslogContext ctx;
  ctx.received = 1796140800000;
  (void)EventFromWindowsXml(bytes, ctx);
  static const std::string path = "/tmp/evtx_fuzz." + std::to_string(getpid()) + ".evtx";
  {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  }
  auto r = ReadEvtx(path, ctx);
  if (r.ok())
    for (const auto& e : r->events)
      if (e.format != "evtx" || e.time == 0) std::abort();
  return 0;
}
