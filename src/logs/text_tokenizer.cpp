#include "logs/text_tokenizer.hpp"

#include <memory>

namespace mamori::logs {

namespace {

// FTS5's API object of a connection (the documented way: `SELECT fts5(?1)` with a pointer bound).
fts5_api* Fts5Api(sqlite3* db) {
  fts5_api* api = nullptr;
  sqlite3_stmt* st = nullptr;
  if (sqlite3_prepare_v2(db, "SELECT fts5(?1)", -1, &st, nullptr) == SQLITE_OK) {
    sqlite3_bind_pointer(st, 1, static_cast<void*>(&api), "fts5_api_ptr", nullptr);
    (void)sqlite3_step(st);
  }
  sqlite3_finalize(st);
  return api;
}

// Bytes of the UTF-8 character that starts with `lead` (1 for a stray continuation byte).
size_t CharBytes(unsigned char lead) {
  if (lead >= 0xF0) return 4;
  if (lead >= 0xE0) return 3;
  if (lead >= 0xC0) return 2;
  return 1;
}

// The characters of `text` (UTF-8), at most `limit` of them counted.
size_t CountChars(std::string_view text, size_t limit) {
  size_t n = 0;
  for (size_t i = 0; i < text.size() && n < limit;
       i += CharBytes(static_cast<unsigned char>(text[i])))
    ++n;
  return n;
}

using TokenFn = int (*)(void*, int, const char*, int, int, int);

// One instance: the trigram tokenizer's methods and its instance, made with the same options.
struct TextTokenizer {
  fts5_tokenizer trigram{};
  Fts5Tokenizer* inner = nullptr;
};

// What the forwarding callback keeps of the trigrams it passes on.
struct Forward {
  void* ctx = nullptr;
  TokenFn token = nullptr;
  bool pass = true;  // false: only record (the folding of a two-character text)
  int count = 0;
  std::string last;  // the last trigram, folded
};

int ForwardToken(void* p, int flags, const char* token, int size, int start, int end) {
  auto* f = static_cast<Forward*>(p);
  ++f->count;
  f->last.assign(token, static_cast<size_t>(size));
  return f->pass ? f->token(f->ctx, flags, token, size, start, end) : SQLITE_OK;
}

int Create(void* user, const char** args, int nargs, Fts5Tokenizer** out) {
  auto* api = static_cast<fts5_api*>(user);
  auto t = std::make_unique<TextTokenizer>();
  void* trigram_user = nullptr;
  int rc = api->xFindTokenizer(api, "trigram", &trigram_user, &t->trigram);
  if (rc != SQLITE_OK) return rc;
  rc = t->trigram.xCreate(trigram_user, args, nargs, &t->inner);
  if (rc != SQLITE_OK) return rc;
  *out = reinterpret_cast<Fts5Tokenizer*>(t.release());
  return SQLITE_OK;
}

void Delete(Fts5Tokenizer* p) {
  auto* t = reinterpret_cast<TextTokenizer*>(p);
  if (t->inner != nullptr) t->trigram.xDelete(t->inner);
  delete t;
}

int Tokenize(Fts5Tokenizer* p, void* ctx, int flags, const char* text, int size, TokenFn token) {
  auto* t = reinterpret_cast<TextTokenizer*>(p);
  Forward f;
  f.ctx = ctx;
  f.token = token;
  int rc = t->trigram.xTokenize(t->inner, &f, flags, text, size, ForwardToken);
  if (rc != SQLITE_OK) return rc;
  const bool query = (flags & FTS5_TOKENIZE_QUERY) != 0;
  auto drop_first = [](const std::string& s) {
    return s.empty() ? s : s.substr(CharBytes(static_cast<unsigned char>(s[0])));
  };
  std::string pair;  // the last two characters, folded ("" for a text of one)
  std::string last;  // the last character, folded
  if (f.count > 0) {
    if (query) return SQLITE_OK;  // three characters or more: their trigrams
    // The message's last two characters: its last trigram less the first.
    pair = drop_first(f.last);
    last = drop_first(pair);
  } else {
    std::string_view whole(text, static_cast<size_t>(size));
    const size_t chars = CountChars(whole, 3);
    if (chars == 0) return SQLITE_OK;
    // One or two characters: folded as the trigram tokenizer folds them. The trigrams of the
    // text written three times ("ÄB" → "ÄBÄBÄB") end with "bäb"; less its first character, that
    // is the pair folded ("äb"), as for a longer message. One character ("Ä" → "ÄÄÄ" → "äää"):
    // the last of it is the character folded.
    std::string thrice(whole);
    thrice += whole;
    thrice += whole;
    Forward fold;
    fold.pass = false;
    rc = t->trigram.xTokenize(t->inner, &fold, flags, thrice.data(),
                              static_cast<int>(thrice.size()), ForwardToken);
    if (rc != SQLITE_OK) return rc;
    if (fold.count == 0) return SQLITE_OK;
    if (chars == 2) {
      pair = drop_first(fold.last);
      last = drop_first(pair);
    } else {
      last = drop_first(drop_first(fold.last));
    }
    // A query of one or two characters: that token, asked for as a prefix (see TextMatch).
    if (query) {
      const std::string& q = chars == 2 ? pair : last;
      return q.empty() ? SQLITE_OK : token(ctx, 0, q.data(), static_cast<int>(q.size()), 0, size);
    }
  }
  // Every place a character occurs then begins a token: a trigram, the last pair, or the last
  // character — so a search for one or two characters asks for the tokens beginning with them.
  for (const std::string* tok : {&pair, &last}) {
    if (tok->empty()) continue;
    rc = token(ctx, 0, tok->data(), static_cast<int>(tok->size()), 0, size);
    if (rc != SQLITE_OK) return rc;
  }
  return SQLITE_OK;
}

}  // namespace

Status RegisterTextTokenizer(sqlite3* db) {
  fts5_api* api = Fts5Api(db);
  if (api == nullptr) return MakeError(ErrorCode::kInternal, "logs.index_error", {"fts5"});
  fts5_tokenizer methods{Create, Delete, Tokenize};
  if (api->xCreateTokenizer(api, "mamori_text", api, &methods, nullptr) != SQLITE_OK)
    return MakeError(ErrorCode::kInternal, "logs.index_error", {"mamori_text"});
  return Ok();
}

Result<std::vector<std::string>> TextTokens(sqlite3* db, std::string_view text, bool query) {
  fts5_api* api = Fts5Api(db);
  if (api == nullptr) return MakeError(ErrorCode::kInternal, "logs.index_error", {"fts5"});
  void* user = nullptr;
  fts5_tokenizer methods{};
  if (api->xFindTokenizer(api, "mamori_text", &user, &methods) != SQLITE_OK)
    return MakeError(ErrorCode::kInternal, "logs.index_error", {"mamori_text"});
  const char* args[] = {"case_sensitive", "0"};
  Fts5Tokenizer* tok = nullptr;
  if (methods.xCreate(user, args, 2, &tok) != SQLITE_OK)
    return MakeError(ErrorCode::kInternal, "logs.index_error", {"mamori_text"});
  std::vector<std::string> out;
  int rc = methods.xTokenize(
      tok, &out, query ? FTS5_TOKENIZE_QUERY : FTS5_TOKENIZE_DOCUMENT, text.data(),
      static_cast<int>(text.size()), [](void* p, int, const char* t, int n, int, int) {
        static_cast<std::vector<std::string>*>(p)->emplace_back(t, static_cast<size_t>(n));
        return SQLITE_OK;
      });
  methods.xDelete(tok);
  if (rc != SQLITE_OK) return MakeError(ErrorCode::kInternal, "logs.index_error", {"mamori_text"});
  return out;
}

}  // namespace mamori::logs
