// libFuzzer target: the '?' → $n rewriter of the PostgreSQL backend, which slices strings around
// literals and comments (ASan/UBSan find out-of-range slicing). Invariant: every input character
// is kept or replaced by a longer "$n", so the output is never shorter.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "store/postgres/pg_database.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view sql(reinterpret_cast<const char*>(data), size);
  std::string out = mamori::store::postgres::RewritePlaceholders(sql);
  if (out.size() < sql.size()) std::abort();
  return 0;
}
