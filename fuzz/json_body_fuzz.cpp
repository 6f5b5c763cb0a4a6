// libFuzzer target: request bodies as the API reads them — JsonBody, then the ledger's asset,
// system and vendor readers (every POST/PATCH body goes through these).
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "core/json_body.hpp"
#include "ledger/ledger_service.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  for (int kind = 0; kind < 3; ++kind) {
    auto body = mamori::JsonBody::Parse(text);
    if (!body.ok()) return 0;
    if (kind == 0) {
      mamori::ledger::Asset a;
      (void)mamori::ledger::ReadAsset(*body, a, true);
    } else if (kind == 1) {
      mamori::ledger::System s;
      (void)mamori::ledger::ReadSystem(*body, s, false);
    } else {
      mamori::ledger::Vendor v;
      (void)mamori::ledger::ReadVendor(*body, v, true);
    }
  }
  return 0;
}
