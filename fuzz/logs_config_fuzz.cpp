// libFuzzer target: the access-log settings people and files give mamori — the working calendar
// (JSON), review rules (YAML) and a log source (JSON body). Invariants: nothing crashes; what is
// accepted round-trips.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "core/json_body.hpp"
#include "logs/review.hpp"
#include "logs/sources.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace mamori::logs;
  if (size > 64 * 1024) return 0;
  std::string_view bytes(reinterpret_cast<const char*>(data), size);
  mamori::Json j = mamori::Json::parse(bytes, nullptr, false);
  if (!j.is_discarded()) {
    if (auto c = WorkCalendar::FromJson(j); c.ok()) {
      auto back = WorkCalendar::FromJson(c->ToJson());
      if (!back.ok() || back->ToJson() != c->ToJson()) std::abort();
      (void)c->Working(1796140800000);
    }
  }
  if (auto body = mamori::JsonBody::Parse(bytes); body.ok()) {
    LogSource s;
    (void)ReadSource(*body, s);
  }
  if (auto rules = EventClassifier::FromYaml(bytes, "fuzz.yaml"); rules.ok()) {
    LogEvent e;
    e.format = "evtx";
    e.action = "logon";
    (void)rules->Categories(e);
  }
  (void)AddressIn(std::string(bytes.substr(0, 48)), "10.0.0.0/8");
  return 0;
}
