// The log index's text tokenizer (`mamori_text`): SQLite's own trigram tokenizer, and for each
// message two more tokens — its last two characters and its last character, folded as the
// trigrams are. Together they let FTS5 answer a search of one or two characters ("患者", "削除",
// "OK", "患") from the index: every place a character or a pair occurs is the start of a
// trigram, or at the message's end. The search asks for the text as a prefix ("患者"*), which
// FTS5 answers from its list of terms.
//
// Written here because FTS5 has no such tokenizer (trigram answers three characters or more;
// unicode61 splits on spaces, which Japanese has none of); it wraps the trigram tokenizer
// through FTS5's C API rather than folding characters itself, so the trigrams are exactly SQLite's.
#pragma once

#include <sqlite3.h>

#include <string>
#include <string_view>
#include <vector>

#include "core/result.hpp"

namespace mamori::logs {

// Registers `mamori_text` on a connection: every connection that reads or writes a table using
// it must. Takes the trigram tokenizer's options ("case_sensitive 0").
Status RegisterTextTokenizer(sqlite3* db);

// The tokens `mamori_text` gives for a message (document) or a query string (query), on a
// connection it is registered on — for tests and the fuzz target.
Result<std::vector<std::string>> TextTokens(sqlite3* db, std::string_view text, bool query);

}  // namespace mamori::logs
