// libFuzzer target: checklist definition files (yaml-cpp, then mamori's checks). Invariants: a
// definition that parses has items, each with an id, text, a known confidence and known rows, and
// survives the JSON round trip used for imported forms.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "checklist/definitions.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace mamori::checklist;
  if (size > 64 * 1024) return 0;
  std::string_view text(reinterpret_cast<const char*>(data), size);
  auto f = ParseFormDefinition(text, "fuzz.yaml", BundledForms());
  if (!f.ok()) return 0;
  if (f->items.empty()) std::abort();
  for (const auto& it : f->items) {
    if (it.id.empty() || it.text.empty() || it.rows.empty()) std::abort();
    for (const auto& r : it.rows)
      if (!IsRowClass(r)) std::abort();
  }
  if (!FormDef::FromJson(f->ToJson(), "fuzz").ok()) std::abort();
  return 0;
}
