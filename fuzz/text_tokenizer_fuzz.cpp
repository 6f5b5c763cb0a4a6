// The log index's text tokenizer (mamori_text) on any bytes: no crash, and for a text of ASCII
// characters (where folding is ASCII's) every character and every pair of characters begins some
// token of the text — the property searches of one and two characters rely on — and a query of
// one or two gives that text alone.
#include <sqlite3.h>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "core/text.hpp"
#include "logs/text_tokenizer.hpp"

namespace {

sqlite3* Db() {
  static sqlite3* db = [] {
    sqlite3* d = nullptr;
    if (sqlite3_open(":memory:", &d) != SQLITE_OK || !mamori::logs::RegisterTextTokenizer(d).ok())
      std::abort();
    return d;
  }();
  return db;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  auto tokens = mamori::logs::TextTokens(Db(), text, false);
  if (!tokens.ok()) std::abort();
  (void)mamori::logs::TextTokens(Db(), text, true);
  bool ascii = true;
  for (unsigned char c : text) ascii = ascii && c >= 1 && c < 0x80;
  if (!ascii) return 0;
  std::string lower = mamori::AsciiLower(std::string(text));
  for (size_t len = 1; len <= 2; ++len)
    for (size_t i = 0; i + len <= lower.size(); ++i) {
      std::string_view piece(lower.data() + i, len);
      bool found = false;
      for (const auto& t : *tokens) found = found || std::string_view(t).substr(0, len) == piece;
      if (!found) std::abort();
      auto q = mamori::logs::TextTokens(Db(), piece, true);
      if (!q.ok() || q->size() != 1 || (*q)[0] != piece) std::abort();
    }
  return 0;
}
