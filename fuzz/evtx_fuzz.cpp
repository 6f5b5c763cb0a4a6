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

// libevtx 20210525 (Debian 12's libevtx1) keeps the XML tags it made for a record whose template
// values it cannot read (the error path of libfwevt_xml_document_read_element, reached through
// libevtx_file_get_recovered_record_by_index): some KB per malformed record that nothing mamori
// can call frees (the input: fuzz/corpus/evtx/leak-libfwevt-template.evtx). That leak is passed
// over by the function it happens in; finding it in the stack needs the slow unwinder (libevtx
// has no frame pointers), which a leak of mamori's own would be reported with as well.
extern "C" const char* __asan_default_options() {
  return "fast_unwind_on_malloc=0";
}
extern "C" const char* __lsan_default_suppressions() {
  return "leak:libfwevt_xml_document_read_element\n";
}

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
