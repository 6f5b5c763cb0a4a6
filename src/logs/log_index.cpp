#include "logs/log_index.hpp"

#include <sqlite3.h>

#include <algorithm>
#include <climits>
#include <filesystem>
#include <map>

#include "core/text.hpp"
#include "logs/log_expiry.hpp"
#include "logs/text_tokenizer.hpp"

namespace mamori::logs {

namespace {

constexpr const char* kSchema = R"sql(
CREATE TABLE IF NOT EXISTS events (
  seq INTEGER PRIMARY KEY,
  time INTEGER NOT NULL,
  received INTEGER NOT NULL,
  source TEXT NOT NULL,
  host TEXT NOT NULL,
  app TEXT NOT NULL,
  user TEXT NOT NULL,
  action TEXT NOT NULL,
  object TEXT NOT NULL,
  outcome TEXT NOT NULL,
  src_ip TEXT NOT NULL,
  severity INTEGER NOT NULL,
  message TEXT NOT NULL,
  live INTEGER NOT NULL,   -- received over the network (its clock can be compared)
  segment INTEGER NOT NULL,
  offset INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS events_time ON events (time);
CREATE INDEX IF NOT EXISTS events_user ON events (user, time);
CREATE INDEX IF NOT EXISTS events_object ON events (object, time);
CREATE INDEX IF NOT EXISTS events_host ON events (host, time);
CREATE INDEX IF NOT EXISTS events_source ON events (source, time);
CREATE INDEX IF NOT EXISTS events_action ON events (action, time);
CREATE INDEX IF NOT EXISTS events_outcome ON events (outcome, time);
CREATE INDEX IF NOT EXISTS events_source_received ON events (source, received);
-- Per source and host: what the log-source registry shows without scanning the events.
CREATE TABLE IF NOT EXISTS senders (
  source TEXT NOT NULL,
  host TEXT NOT NULL,
  events INTEGER NOT NULL,
  first_received INTEGER NOT NULL,
  last_received INTEGER NOT NULL,
  last_time INTEGER NOT NULL,
  last_skew INTEGER,        -- event time - receive time of the last live event (ms)
  last_live_received INTEGER,
  PRIMARY KEY (source, host)
);
-- Text search: the messages' trigrams and each message's last two characters and last character
-- (SQLite FTS5 with the mamori_text tokenizer, contentless, without positions), rowid = seq. A
-- search for a text of three characters or more reads the rows holding all of its trigrams, one
-- of one or two characters the rows holding a token that begins with it, and checks the text
-- itself in those rows only, instead of reading every message (see TextMatch).
-- Both ignore the case of letters: the trigrams are folded (FTS5's Unicode folding, a superset),
-- the check (mamori_contains) folds ASCII letters — "error" finds "ERROR" and "Error".
-- Contentless: the messages stay in `events` alone; a row is removed with FTS5's 'delete'
-- command and its message (ApplyExpiry).
CREATE VIRTUAL TABLE IF NOT EXISTS events_text USING fts5(
  message, content='', tokenize='mamori_text case_sensitive 0', detail='none');
-- expiry_generation: the id of the last expiry record applied (an index that missed one is
-- rebuilt: its positions in the rewritten segments would be wrong).
CREATE TABLE IF NOT EXISTS meta (
  key TEXT PRIMARY KEY,
  value INTEGER NOT NULL
);
)sql";

// Bumped when the schema changes: an index of another version is dropped and rebuilt from the
// segments (it holds derived data only).
constexpr int kSchemaVersion = 8;

// A text the index names more rows for than this is searched by filtering (TextPlan).
constexpr uint64_t kManyTextCandidates = 20000;
// The newest events a text's share is measured on (Impl::WalkIsCheaper), and what reading a row
// and checking its message costs against adding a row to the set of a text's rows: 0.65 against
// 0.52 µs on a store of 5 million events with the pages cached (docs/benchmarks.md, session
// 24), rounded up for a store read from the disk, where the rows are scattered more than the
// text index's lists.
constexpr uint64_t kShareSample = 65536;
constexpr double kRowReadCost = 2.0;

// What SQLite's planner is told of the indexes of `events` (sqlite_stat1: rows, then rows per
// value of the first column, then of the first two), instead of measuring them with ANALYZE
// (which reads every index: tens of seconds on a large store, and stale once written). The
// planner needs the proportions only, and they come from what the columns are: a few outcomes,
// a few dozen actions and sources, hundreds of hosts, thousands of users, many patients, times
// nearly unique. Without them it walks the index that gives the page's order even when another
// filter is far narrower (failures of one user: 150 000 failures read to find that user's 156;
// `logs search` over 5 million events 0.82 s, with them 0.17 s, reading the user's 2 000 events
// instead). Written at every
// open (ANALYZE run by hand is replaced); SQLite reads them when it loads the schema, and
// ANALYZE sqlite_schema reloads them.
constexpr const char* kPlannerHints = R"sql(
ANALYZE sqlite_schema;
DELETE FROM sqlite_stat1 WHERE tbl = 'events';
INSERT INTO sqlite_stat1 (tbl, idx, stat) VALUES
  ('events', 'events_time', '1000000 1'),
  ('events', 'events_outcome', '1000000 333333 1'),
  ('events', 'events_action', '1000000 50000 1'),
  ('events', 'events_source', '1000000 100000 1'),
  ('events', 'events_source_received', '1000000 100000 1'),
  ('events', 'events_host', '1000000 5000 1'),
  ('events', 'events_user', '1000000 500 1'),
  ('events', 'events_object', '1000000 20 1');
ANALYZE sqlite_schema;
)sql";

constexpr const char* kClearAll =
    "DELETE FROM events; DELETE FROM senders; "
    "INSERT INTO events_text (events_text) VALUES ('delete-all');";

struct Stmt {
  sqlite3_stmt* s = nullptr;
  ~Stmt() { sqlite3_finalize(s); }
};

Error DbError(sqlite3* db, const std::string& where) {
  Error e = MakeError(ErrorCode::kIo, "logs.index_error", {where});
  e.detail = sqlite3_errmsg(db);
  return e;
}

// Whether a message goes into events_text: any but the empty one (every character begins a
// token). Add and the expiry's delete use the same condition, as a contentless table needs.
bool HasTextTokens(const std::string& message) {
  return !message.empty();
}

}  // namespace

bool IsLive(const LogEvent& e) {
  // A received syslog message says so by its origin (its `fields` may not be built yet).
  if (e.origin) return !e.origin->peer.empty();
  return e.fields.is_object() && e.fields.contains("peer");
}

namespace {

// How a search for a text uses the text index.
enum class TextPlan {
  kNone,  // not at all: every message in the other filters' range is read and checked
  // The rows it names are read, checked and sorted: for a text in few messages.
  kIndexDrives,
  // The same, from the list of those rows kept when they were counted (Impl::PlanFor): the text
  // index is asked once per text, not once more for the page and once more for its total.
  kIndexListed,
  // The rows it names form a set that the walk of the other filters' index (newest first for a
  // page) checks each row against, stopping at the page's end or the count's limit: for a text
  // in many messages (「カルテ」 in a fifth of 5 million events: a page in 1.1 s driven by the
  // index, sorting all of them, and in 0.11 s filtering; with a user's filter, that user's
  // events are read instead of the text's million).
  kIndexFilters,
};

}  // namespace

struct LogIndex::Impl {
  std::string dir;
  sqlite3* db = nullptr;
  uint64_t indexed = 0;  // events 0 … indexed-1 are in the index
  ~Impl() { sqlite3_close(db); }

  Status Exec(const char* sql) {
    char* err = nullptr;
    if (sqlite3_exec(db, sql, nullptr, nullptr, &err) != SQLITE_OK) {
      Error e = MakeError(ErrorCode::kIo, "logs.index_error", {dir});
      e.detail = err != nullptr ? err : "";
      sqlite3_free(err);
      return e;
    }
    return Ok();
  }

  Status MigrateSchema() {
    int version = 0;
    {
      // Finished before the tables are dropped: SQLite refuses to drop a table while a
      // statement is still active ("database table is locked").
      Stmt st;
      if (sqlite3_prepare_v2(db, "PRAGMA user_version", -1, &st.s, nullptr) != SQLITE_OK ||
          sqlite3_step(st.s) != SQLITE_ROW)
        return DbError(db, dir);
      version = sqlite3_column_int(st.s, 0);
    }
    if (version != kSchemaVersion) {
      MAMORI_RETURN_IF_ERROR(Exec(
          "DROP TABLE IF EXISTS events; DROP TABLE IF EXISTS senders; DROP TABLE IF EXISTS meta; "
          "DROP TABLE IF EXISTS events_text;"));
      MAMORI_RETURN_IF_ERROR(Exec(kSchema));
      MAMORI_RETURN_IF_ERROR(
          Exec(("PRAGMA user_version = " + std::to_string(kSchemaVersion)).c_str()));
    }
    return Ok();
  }

  Result<uint32_t> Generation() {
    Stmt st;
    if (sqlite3_prepare_v2(db, "SELECT value FROM meta WHERE key = 'expiry_generation'", -1, &st.s,
                           nullptr) != SQLITE_OK)
      return DbError(db, dir);
    int rc = sqlite3_step(st.s);
    if (rc == SQLITE_ROW) return static_cast<uint32_t>(sqlite3_column_int64(st.s, 0));
    if (rc != SQLITE_DONE) return DbError(db, dir);
    return 0u;
  }

  Status SetGeneration(uint32_t g) {
    return Exec(("INSERT INTO meta (key, value) VALUES ('expiry_generation', " + std::to_string(g) +
                 ") ON CONFLICT (key) DO UPDATE SET value = excluded.value")
                    .c_str());
  }

  // The index must have seen every expiry of the store; else it starts again.
  Status CheckGeneration() {
    MAMORI_ASSIGN_OR_RETURN(auto file, expiry::LoadExpiryFile(dir));
    uint32_t store = 0;
    for (const auto& r : file.records) store = std::max(store, r.id);
    MAMORI_ASSIGN_OR_RETURN(auto mine, Generation());
    if (mine == store) return Ok();
    MAMORI_RETURN_IF_ERROR(Exec(kClearAll));
    return SetGeneration(store);
  }

  // How a search for `text` uses the text index, given whether it narrows the search at all
  // (LogIndex::TextIndexNarrows). By how many rows the index names for it: FTS5 reads them in
  // rowid order and stops when asked to, so counting the first few thousand costs milliseconds,
  // where the set of all of them would cost what the plan then saves. On an error, as a rare
  // text (the text is checked in each row either way).
  // The answer is kept for the next call with the same text (a page and its total ask in turn).
  // The rows counted are kept in temp.text_rows (this connection's), for kIndexListed.
  TextPlan PlanFor(const std::string& text, bool index_narrows) {
    if (!index_narrows) return TextPlan::kNone;
    if (text == plan_text && indexed == plan_indexed) return plan;
    auto match = TextMatch(text);
    if (!match) return TextPlan::kNone;
    plan_text.clear();  // until the list matches the text
    Stmt st;
    std::string sql =
        "INSERT INTO temp.text_rows SELECT rowid FROM events_text WHERE "
        "events_text MATCH ? LIMIT " +
        std::to_string(kManyTextCandidates);
    if (!Exec("DELETE FROM temp.text_rows").ok() ||
        sqlite3_prepare_v2(db, sql.c_str(), -1, &st.s, nullptr) != SQLITE_OK)
      return TextPlan::kIndexDrives;
    const std::string& words = *match;
    sqlite3_bind_text(st.s, 1, words.data(), static_cast<int>(words.size()), SQLITE_STATIC);
    if (sqlite3_step(st.s) != SQLITE_DONE) return TextPlan::kIndexDrives;
    plan = static_cast<uint64_t>(sqlite3_changes(db)) < kManyTextCandidates ? TextPlan::kIndexListed
           : WalkIsCheaper(words)                                           ? TextPlan::kNone
                                  : TextPlan::kIndexFilters;
    plan_text = text;
    plan_indexed = indexed;
    return plan;
  }
  // For a text in many rows (TextWalkIsCheaper): its share measured on the newest events, the
  // rows the text index names among the last kShareSample (FTS5 seeks to the first of them).
  bool WalkIsCheaper(const std::string& words) {
    const uint64_t sample = std::min<uint64_t>(indexed, kShareSample);
    if (sample == 0) return false;
    Stmt st;
    if (sqlite3_prepare_v2(db,
                           "SELECT COUNT(*) FROM events_text WHERE events_text MATCH ? AND "
                           "rowid >= ?",
                           -1, &st.s, nullptr) != SQLITE_OK)
      return false;
    sqlite3_bind_text(st.s, 1, words.data(), static_cast<int>(words.size()), SQLITE_STATIC);
    sqlite3_bind_int64(st.s, 2, static_cast<sqlite3_int64>(indexed - sample));
    if (sqlite3_step(st.s) != SQLITE_ROW) return false;
    size_t terms = 1;  // the FTS5 query's phrases, "a" AND "b" …
    for (size_t at = words.find(" AND "); at != std::string::npos; at = words.find(" AND ", at + 1))
      ++terms;
    return TextWalkIsCheaper(
        static_cast<double>(sqlite3_column_int64(st.s, 0)) / static_cast<double>(sample), indexed,
        terms);
  }
  std::string plan_text;
  uint64_t plan_indexed = UINT64_MAX;
  TextPlan plan = TextPlan::kIndexDrives;

  // An event's time and place in the segments (nullopt: not in the index).
  Result<std::optional<std::pair<UnixMillis, Position>>> Row(uint64_t seq) {
    Stmt st;
    if (sqlite3_prepare_v2(db, "SELECT time, segment, offset FROM events WHERE seq = ?", -1, &st.s,
                           nullptr) != SQLITE_OK)
      return DbError(db, dir);
    sqlite3_bind_int64(st.s, 1, static_cast<sqlite3_int64>(seq));
    int rc = sqlite3_step(st.s);
    if (rc == SQLITE_DONE) return std::optional<std::pair<UnixMillis, Position>>();
    if (rc != SQLITE_ROW) return DbError(db, dir);
    return std::optional<std::pair<UnixMillis, Position>>(
        {sqlite3_column_int64(st.s, 0),
         Position{static_cast<uint32_t>(sqlite3_column_int64(st.s, 1)),
                  static_cast<uint64_t>(sqlite3_column_int64(st.s, 2))}});
  }

  // Whether the index narrows a search of one or two characters (its token `prefix`, folded).
  // FTS5 answers one by merging the lists of every term that begins with it: for a character in
  // most messages ("e", a space) hundreds of lists holding nearly every row — slower than reading
  // the messages (0.66 against 0.24 s over 500 000 events; a rare one 0.05–0.10 against 0.27–0.37
  // s). The terms' document counts (fts5vocab, which counts them by reading each term's list)
  // tell which: through the index while they sum to less than a quarter of the events indexed —
  // read term by term, and no further once past that. The answer is kept for the next call with
  // the same text (a page and its total ask in turn). On any error, through the index (the text
  // is checked in each row either way).
  bool PrefixNarrows(const std::string& prefix) {
    if (prefix == narrows_prefix && indexed == narrows_indexed) return narrows;
    Stmt st;
    if (sqlite3_prepare_v2(db,
                           "SELECT doc FROM temp.events_text_terms WHERE term >= ?1 AND term < ?2",
                           -1, &st.s, nullptr) != SQLITE_OK)
      return true;
    std::string end = prefix + '\xff';  // after every term that begins with it (not UTF-8)
    sqlite3_bind_text(st.s, 1, prefix.data(), static_cast<int>(prefix.size()), SQLITE_STATIC);
    sqlite3_bind_text(st.s, 2, end.data(), static_cast<int>(end.size()), SQLITE_STATIC);
    const uint64_t limit = indexed / 4;
    uint64_t sum = 0;
    int rc = SQLITE_ROW;
    while (sum < limit && (rc = sqlite3_step(st.s)) == SQLITE_ROW)
      sum += static_cast<uint64_t>(sqlite3_column_int64(st.s, 0));
    if (rc != SQLITE_ROW && rc != SQLITE_DONE) return true;
    narrows_prefix = prefix;
    narrows_indexed = indexed;
    narrows = sum < limit;
    return narrows;
  }
  std::string narrows_prefix;  // PrefixNarrows' last question and answer
  uint64_t narrows_indexed = 0;
  bool narrows = true;

  Status LoadCount() {
    Stmt st;
    if (sqlite3_prepare_v2(db, "SELECT COALESCE(MAX(seq) + 1, 0) FROM events", -1, &st.s,
                           nullptr) != SQLITE_OK ||
        sqlite3_step(st.s) != SQLITE_ROW)
      return DbError(db, dir);
    indexed = static_cast<uint64_t>(sqlite3_column_int64(st.s, 0));
    return Ok();
  }
};

LogIndex::LogIndex(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
LogIndex::~LogIndex() = default;

Result<std::unique_ptr<LogIndex>> LogIndex::Open(const std::string& dir) {
  auto impl = std::make_unique<Impl>();
  impl->dir = dir;
  std::string path = (std::filesystem::path(dir) / "index.db").string();
  if (sqlite3_open_v2(path.c_str(), &impl->db,
                      SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_FULLMUTEX,
                      nullptr) != SQLITE_OK)
    return DbError(impl->db, path);
  sqlite3_busy_timeout(impl->db, 10000);
  MAMORI_RETURN_IF_ERROR(RegisterTextTokenizer(impl->db));
  // The text search's check (BuildWhere): SQLite's LIKE would fold ASCII too, but reads the
  // message as UTF-8 characters and needs its pattern escaped; this compares bytes.
  if (sqlite3_create_function(
          impl->db, "mamori_contains", 2, SQLITE_UTF8 | SQLITE_DETERMINISTIC, nullptr,
          [](sqlite3_context* ctx, int, sqlite3_value** v) {
            auto view = [](sqlite3_value* x) {
              const auto* p = reinterpret_cast<const char*>(sqlite3_value_text(x));
              return p == nullptr
                         ? std::string_view()
                         : std::string_view(p, static_cast<size_t>(sqlite3_value_bytes(x)));
            };
            sqlite3_result_int(ctx, ContainsAsciiNoCase(view(v[0]), view(v[1])) ? 1 : 0);
          },
          nullptr, nullptr) != SQLITE_OK)
    return DbError(impl->db, path);
  // Derived data: a lost tail is re-indexed from the segments, so the index need not be synced.
  MAMORI_RETURN_IF_ERROR(
      impl->Exec("PRAGMA journal_mode=WAL; PRAGMA synchronous=OFF; PRAGMA cache_size=-16384; "
                 "PRAGMA wal_autocheckpoint=16384;"));
  MAMORI_RETURN_IF_ERROR(impl->MigrateSchema());
  MAMORI_RETURN_IF_ERROR(impl->Exec(kPlannerHints));
  // The text table's terms and their document counts, for PrefixNarrows (this connection's).
  MAMORI_RETURN_IF_ERROR(
      impl->Exec("CREATE VIRTUAL TABLE IF NOT EXISTS temp.events_text_terms "
                 "USING fts5vocab(main, 'events_text', 'row');"
                 // The rows a rare text is in (Impl::PlanFor).
                 "CREATE TABLE IF NOT EXISTS temp.text_rows (seq INTEGER PRIMARY KEY);"));
  MAMORI_RETURN_IF_ERROR(impl->CheckGeneration());
  MAMORI_RETURN_IF_ERROR(impl->LoadCount());
  return std::unique_ptr<LogIndex>(new LogIndex(std::move(impl)));
}

uint64_t LogIndex::Indexed() const {
  return impl_->indexed;
}

Status LogIndex::Add(const std::vector<LogEvent>& events, const std::vector<Position>& at) {
  auto& s = *impl_;
  MAMORI_RETURN_IF_ERROR(s.Exec("BEGIN"));
  struct Agg {
    int64_t events = 0;
    UnixMillis first_received = 0, last_received = INT64_MIN, last_time = 0;
    UnixMillis live_received = INT64_MIN;
    std::optional<int64_t> last_skew;
  };
  std::map<std::pair<std::string, std::string>, Agg> senders;
  const std::pair<std::string, std::string>* last_key = nullptr;
  Agg* last = nullptr;
  Stmt st;
  if (sqlite3_prepare_v2(s.db,
                         "INSERT OR IGNORE INTO events (seq, time, received, source, host, app, "
                         "user, action, object, outcome, src_ip, severity, message, live, "
                         "segment, offset) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                         -1, &st.s, nullptr) != SQLITE_OK) {
    (void)s.Exec("ROLLBACK");
    return DbError(s.db, s.dir);
  }
  Stmt words;
  if (sqlite3_prepare_v2(s.db, "INSERT INTO events_text (rowid, message) VALUES (?, ?)", -1,
                         &words.s, nullptr) != SQLITE_OK) {
    (void)s.Exec("ROLLBACK");
    return DbError(s.db, s.dir);
  }
  for (size_t i = 0; i < events.size(); ++i) {
    const auto& e = events[i];
    // The strings outlive the step: SQLite need not copy them.
    auto text = [&](int col, const std::string& v) {
      sqlite3_bind_text(st.s, col, v.data(), static_cast<int>(v.size()), SQLITE_STATIC);
    };
    sqlite3_bind_int64(st.s, 1, static_cast<sqlite3_int64>(e.seq));
    sqlite3_bind_int64(st.s, 2, e.time);
    sqlite3_bind_int64(st.s, 3, e.received);
    text(4, e.source);
    text(5, e.host);
    text(6, e.app);
    text(7, e.user);
    text(8, e.action);
    text(9, e.object);
    sqlite3_bind_text(st.s, 10, OutcomeName(e.outcome), -1, SQLITE_STATIC);
    text(11, e.src_ip);
    sqlite3_bind_int(st.s, 12, e.severity);
    text(13, e.message);
    bool live = IsLive(e);
    sqlite3_bind_int(st.s, 14, live ? 1 : 0);
    sqlite3_bind_int64(st.s, 15, at[i].segment);
    sqlite3_bind_int64(st.s, 16, static_cast<sqlite3_int64>(at[i].offset));
    if (sqlite3_step(st.s) != SQLITE_DONE) {
      Error err = DbError(s.db, s.dir);
      (void)s.Exec("ROLLBACK");
      return err;
    }
    // Counted only when it was new (another process may have indexed it already).
    if (sqlite3_changes(s.db) == 1) {
      if (HasTextTokens(e.message)) {
        sqlite3_bind_int64(words.s, 1, static_cast<sqlite3_int64>(e.seq));
        sqlite3_bind_text(words.s, 2, e.message.data(), static_cast<int>(e.message.size()),
                          SQLITE_STATIC);
        if (sqlite3_step(words.s) != SQLITE_DONE) {
          Error err = DbError(s.db, s.dir);
          (void)s.Exec("ROLLBACK");
          return err;
        }
        sqlite3_reset(words.s);
      }
      // Consecutive events mostly come from the same sender: look it up only when it changes.
      if (last == nullptr || last_key->first != e.source || last_key->second != e.host) {
        auto it = senders.try_emplace({e.source, e.host}).first;
        last_key = &it->first;
        last = &it->second;
      }
      auto& agg = *last;
      ++agg.events;
      agg.first_received = agg.events == 1 ? e.received : std::min(agg.first_received, e.received);
      if (e.received >= agg.last_received) {
        agg.last_received = e.received;
        agg.last_time = e.time;
      }
      if (live && e.received >= agg.live_received) {
        agg.live_received = e.received;
        agg.last_skew = e.time - e.received;
      }
    }
    sqlite3_reset(st.s);
    s.indexed = std::max(s.indexed, e.seq + 1);
  }
  Stmt up;
  if (!senders.empty() &&
      sqlite3_prepare_v2(
          s.db,
          "INSERT INTO senders (source, host, events, first_received, last_received, last_time, "
          "last_skew, last_live_received) VALUES (?,?,?,?,?,?,?,?) "
          "ON CONFLICT (source, host) DO UPDATE SET "
          "events = events + excluded.events, "
          "first_received = MIN(first_received, excluded.first_received), "
          "last_time = CASE WHEN excluded.last_received >= last_received THEN excluded.last_time "
          "ELSE last_time END, "
          "last_received = MAX(last_received, excluded.last_received), "
          "last_skew = CASE WHEN excluded.last_live_received IS NOT NULL AND "
          "(last_live_received IS NULL OR excluded.last_live_received >= last_live_received) "
          "THEN excluded.last_skew ELSE last_skew END, "
          "last_live_received = MAX(COALESCE(last_live_received, excluded.last_live_received), "
          "COALESCE(excluded.last_live_received, last_live_received))",
          -1, &up.s, nullptr) != SQLITE_OK) {
    (void)s.Exec("ROLLBACK");
    return DbError(s.db, s.dir);
  }
  for (const auto& [key, agg] : senders) {
    sqlite3_bind_text(up.s, 1, key.first.data(), static_cast<int>(key.first.size()),
                      SQLITE_TRANSIENT);
    sqlite3_bind_text(up.s, 2, key.second.data(), static_cast<int>(key.second.size()),
                      SQLITE_TRANSIENT);
    sqlite3_bind_int64(up.s, 3, agg.events);
    sqlite3_bind_int64(up.s, 4, agg.first_received);
    sqlite3_bind_int64(up.s, 5, agg.last_received);
    sqlite3_bind_int64(up.s, 6, agg.last_time);
    if (agg.last_skew) {
      sqlite3_bind_int64(up.s, 7, *agg.last_skew);
      sqlite3_bind_int64(up.s, 8, agg.live_received);
    } else {
      sqlite3_bind_null(up.s, 7);
      sqlite3_bind_null(up.s, 8);
    }
    if (sqlite3_step(up.s) != SQLITE_DONE) {
      Error err = DbError(s.db, s.dir);
      (void)s.Exec("ROLLBACK");
      return err;
    }
    sqlite3_reset(up.s);
  }
  return s.Exec("COMMIT");
}

Result<uint64_t> LogIndex::CatchUp() {
  uint64_t before = impl_->indexed;
  // Start reading at the last event the index holds, not at the beginning of the store.
  Position start;
  {
    Stmt st;
    if (sqlite3_prepare_v2(impl_->db,
                           "SELECT segment, offset FROM events ORDER BY seq DESC LIMIT 1", -1,
                           &st.s, nullptr) != SQLITE_OK)
      return DbError(impl_->db, impl_->dir);
    if (sqlite3_step(st.s) == SQLITE_ROW)
      start = {static_cast<uint32_t>(sqlite3_column_int64(st.s, 0)),
               static_cast<uint64_t>(sqlite3_column_int64(st.s, 1))};
  }
  std::vector<LogEvent> batch;
  std::vector<Position> at;
  auto flush = [&]() -> Status {
    auto st = Add(batch, at);
    batch.clear();
    at.clear();
    return st;
  };
  MAMORI_RETURN_IF_ERROR(ScanStore(
      impl_->dir, impl_->indexed,
      [&](const LogEvent& e, const Position& p) -> Status {
        batch.push_back(e);
        at.push_back(p);
        if (batch.size() >= 5000) return flush();
        return Ok();
      },
      start));
  MAMORI_RETURN_IF_ERROR(flush());
  return impl_->indexed - before;
}

Status LogIndex::ApplyExpiry(const ExpiryOutcome& out) {
  auto& s = *impl_;
  if (!out.record) return Ok();
  MAMORI_RETURN_IF_ERROR(s.Exec("BEGIN"));
  auto fail = [&]() -> Status {
    Error err = DbError(s.db, s.dir);
    (void)s.Exec("ROLLBACK");
    return err;
  };
  std::map<std::pair<std::string, std::string>, int64_t> removed;
  {
    Stmt del, words;
    if (sqlite3_prepare_v2(s.db, "DELETE FROM events WHERE seq = ? RETURNING source, host, message",
                           -1, &del.s, nullptr) != SQLITE_OK ||
        sqlite3_prepare_v2(s.db,
                           "INSERT INTO events_text (events_text, rowid, message) "
                           "VALUES ('delete', ?, ?)",
                           -1, &words.s, nullptr) != SQLITE_OK)
      return fail();
    std::string message;
    for (uint64_t seq : out.removed) {
      sqlite3_bind_int64(del.s, 1, static_cast<sqlite3_int64>(seq));
      int rc = 0;
      bool found = false;
      while ((rc = sqlite3_step(del.s)) == SQLITE_ROW) {
        ++removed[{reinterpret_cast<const char*>(sqlite3_column_text(del.s, 0)),
                   reinterpret_cast<const char*>(sqlite3_column_text(del.s, 1))}];
        message.assign(reinterpret_cast<const char*>(sqlite3_column_text(del.s, 2)),
                       static_cast<size_t>(sqlite3_column_bytes(del.s, 2)));
        found = true;
      }
      if (rc != SQLITE_DONE) return fail();
      sqlite3_reset(del.s);
      // A contentless FTS5 row is deleted by naming the values it was indexed with.
      if (found && HasTextTokens(message)) {
        sqlite3_bind_int64(words.s, 1, static_cast<sqlite3_int64>(seq));
        sqlite3_bind_text(words.s, 2, message.data(), static_cast<int>(message.size()),
                          SQLITE_STATIC);
        if (sqlite3_step(words.s) != SQLITE_DONE) return fail();
        sqlite3_reset(words.s);
      }
    }
  }
  {
    Stmt mv;
    if (sqlite3_prepare_v2(s.db, "UPDATE events SET segment = ?, offset = ? WHERE seq = ?", -1,
                           &mv.s, nullptr) != SQLITE_OK)
      return fail();
    for (const auto& [seq, at] : out.moved) {
      sqlite3_bind_int64(mv.s, 1, at.segment);
      sqlite3_bind_int64(mv.s, 2, static_cast<sqlite3_int64>(at.offset));
      sqlite3_bind_int64(mv.s, 3, static_cast<sqlite3_int64>(seq));
      if (sqlite3_step(mv.s) != SQLITE_DONE) return fail();
      sqlite3_reset(mv.s);
    }
  }
  {
    // The senders keep counting what is held; their first event is the oldest one kept.
    Stmt up;
    if (sqlite3_prepare_v2(s.db,
                           "UPDATE senders SET events = MAX(events - ?, 0), first_received = "
                           "COALESCE((SELECT MIN(received) FROM events WHERE source = ?2 AND "
                           "host = ?3), first_received) WHERE source = ?2 AND host = ?3",
                           -1, &up.s, nullptr) != SQLITE_OK)
      return fail();
    for (const auto& [key, n] : removed) {
      sqlite3_bind_int64(up.s, 1, n);
      sqlite3_bind_text(up.s, 2, key.first.data(), static_cast<int>(key.first.size()),
                        SQLITE_TRANSIENT);
      sqlite3_bind_text(up.s, 3, key.second.data(), static_cast<int>(key.second.size()),
                        SQLITE_TRANSIENT);
      if (sqlite3_step(up.s) != SQLITE_DONE) return fail();
      sqlite3_reset(up.s);
    }
  }
  if (auto st = s.SetGeneration(out.record->id); !st.ok()) {
    (void)s.Exec("ROLLBACK");
    return st;
  }
  return s.Exec("COMMIT");
}

Result<std::vector<uint32_t>> LogIndex::SegmentsWithExpired(const std::vector<ExpiryRule>& rules) {
  std::vector<uint32_t> out;
  Stmt st;
  if (sqlite3_prepare_v2(impl_->db,
                         "SELECT DISTINCT segment FROM events WHERE source = ? AND received < ?",
                         -1, &st.s, nullptr) != SQLITE_OK)
    return DbError(impl_->db, impl_->dir);
  for (const auto& r : rules) {
    sqlite3_bind_text(st.s, 1, r.source.data(), static_cast<int>(r.source.size()),
                      SQLITE_TRANSIENT);
    sqlite3_bind_int64(st.s, 2, r.before);
    while (sqlite3_step(st.s) == SQLITE_ROW)
      out.push_back(static_cast<uint32_t>(sqlite3_column_int64(st.s, 0)));
    sqlite3_reset(st.s);
  }
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

Result<uint64_t> LogIndex::CountDue(const ExpiryRule& rule) {
  Stmt st;
  if (sqlite3_prepare_v2(impl_->db, "SELECT COUNT(*) FROM events WHERE source = ? AND received < ?",
                         -1, &st.s, nullptr) != SQLITE_OK)
    return DbError(impl_->db, impl_->dir);
  sqlite3_bind_text(st.s, 1, rule.source.data(), static_cast<int>(rule.source.size()),
                    SQLITE_TRANSIENT);
  sqlite3_bind_int64(st.s, 2, rule.before);
  if (sqlite3_step(st.s) != SQLITE_ROW) return DbError(impl_->db, impl_->dir);
  return static_cast<uint64_t>(sqlite3_column_int64(st.s, 0));
}

Result<uint64_t> LogIndex::Rebuild() {
  MAMORI_RETURN_IF_ERROR(impl_->Exec(kClearAll));
  impl_->indexed = 0;
  return CatchUp();
}

bool TextWalkIsCheaper(double share, uint64_t events, size_t terms) {
  if (share <= 0) return false;
  const double walk = static_cast<double>(kSearchTotalLimit) / share * kRowReadCost;
  const double set = share * static_cast<double>(events) * static_cast<double>(terms);
  return walk < set;
}

std::optional<std::string> TextMatch(std::string_view text) {
  if (!IsValidUtf8(text) || text.find('\0') != std::string_view::npos) return std::nullopt;
  std::vector<size_t> starts;  // where each character begins
  for (size_t i = 0; i < text.size(); ++i)
    if ((static_cast<unsigned char>(text[i]) & 0xC0) != 0x80) starts.push_back(i);
  size_t n = starts.size();
  if (n == 0) return std::nullopt;
  starts.push_back(text.size());
  auto quoted = [&](std::string_view v) {
    std::string q = "\"";
    for (char c : v) {
      if (c == '"') q += '"';
      q += c;
    }
    return q + '"';
  };
  // One or two characters: every token that begins with them — a trigram, or a message's last
  // two characters or its last one.
  if (n <= 2) return quoted(text) + "*";
  // Trigrams that together cover every character: at 0, 3, 6, … and the last one. Each is a
  // phrase of one token (a " inside is doubled); a row must hold them all.
  std::string out;
  auto add = [&](size_t first) {
    if (!out.empty()) out += " AND ";
    out += quoted(text.substr(starts[first], starts[first + 3] - starts[first]));
  };
  for (size_t at = 0; at + 3 <= n; at += 3) add(at);
  if (n % 3 != 0) add(n - 3);
  return out;
}

namespace {

struct Where {
  std::string sql;
  std::vector<std::string> text;
  std::vector<int64_t> ints;
  std::vector<bool> is_text;
};

// plan: how q.text uses the text index (LogIndex::TextIndexNarrows, Search).
// cursor: the time and seq of q.before_seq (the page goes on after it, in the search's order —
// time, then seq, both descending); without one, q.before_seq is left out (a count of the
// whole query).
Where BuildWhere(const LogQuery& q, TextPlan plan,
                 std::optional<std::pair<UnixMillis, uint64_t>> cursor) {
  Where w;
  auto add_text = [&](const char* clause, const std::string& v) {
    w.sql += w.sql.empty() ? " WHERE " : " AND ";
    w.sql += clause;
    w.text.push_back(v);
    w.is_text.push_back(true);
  };
  auto add_int = [&](const char* clause, std::initializer_list<int64_t> values) {
    w.sql += w.sql.empty() ? " WHERE " : " AND ";
    w.sql += clause;
    for (int64_t v : values) {
      w.ints.push_back(v);
      w.is_text.push_back(false);
    }
  };
  if (q.from) add_int("time >= ?", {*q.from});
  if (q.to) add_int("time < ?", {*q.to});
  if (!q.source.empty()) add_text("source = ?", q.source);
  if (!q.host.empty()) add_text("host = ?", q.host);
  if (!q.user.empty()) add_text("user = ?", q.user);
  if (!q.object.empty()) add_text("object = ?", q.object);
  if (!q.action.empty()) add_text("action = ?", q.action);
  if (!q.outcome.empty()) add_text("outcome = ?", q.outcome);
  if (plan == TextPlan::kIndexListed) {
    w.sql += w.sql.empty() ? " WHERE " : " AND ";
    w.sql += "seq IN (SELECT seq FROM temp.text_rows)";
  }
  if (!q.text.empty()) {
    if (auto words = TextMatch(q.text);
        words && plan != TextPlan::kNone && plan != TextPlan::kIndexListed)
      add_text(plan == TextPlan::kIndexFilters
                   // `+seq`: not a lookup by rowid, so the set only filters (see TextPlan)
                   ? "+seq IN (SELECT rowid FROM events_text WHERE events_text MATCH ?)"
                   : "seq IN (SELECT rowid FROM events_text WHERE events_text MATCH ?)",
               *words);
    add_text("mamori_contains(message, ?)", q.text);
  }
  if (cursor) {
    // (time, seq) < cursor, written so that the time bound is a range of the index SQLite picks
    // (each index ends with the time, and the seq after it).
    add_int("time <= ?", {cursor->first});
    add_int("(time < ? OR seq < ?)", {cursor->first, static_cast<int64_t>(cursor->second)});
  }
  return w;
}

void Bind(sqlite3_stmt* st, const Where& w) {
  size_t ti = 0, ii = 0;
  for (size_t i = 0; i < w.is_text.size(); ++i) {
    int col = static_cast<int>(i) + 1;
    if (w.is_text[i]) {
      const auto& v = w.text[ti++];
      sqlite3_bind_text(st, col, v.data(), static_cast<int>(v.size()), SQLITE_TRANSIENT);
    } else {
      sqlite3_bind_int64(st, col, w.ints[ii++]);
    }
  }
}

}  // namespace

bool LogIndex::TextIndexNarrows(const std::string& text) {
  auto words = TextMatch(text);
  if (!words) return false;               // nothing the index can look up
  if (words->back() != '*') return true;  // trigrams: not a prefix query
  auto tokens = TextTokens(impl_->db, text, true);
  return !tokens.ok() || tokens->size() != 1 || impl_->PrefixNarrows(tokens->front());
}

Result<std::vector<LogHit>> LogIndex::Search(const LogQuery& q) {
  std::optional<std::pair<UnixMillis, uint64_t>> cursor;
  if (q.before_seq) {
    MAMORI_ASSIGN_OR_RETURN(auto row, impl_->Row(*q.before_seq));
    if (!row)  // an event no longer stored (expired) or never indexed
      return MakeError(ErrorCode::kInvalidArgument, "logs.bad_cursor",
                       {std::to_string(*q.before_seq)}, "before");
    cursor.emplace(row->first, *q.before_seq);
  }
  Where w = BuildWhere(q, impl_->PlanFor(q.text, TextIndexNarrows(q.text)), cursor);
  // Newest first by the events' own time (a file of last month's logs ingested today is among
  // last month's events), the seq between events of one millisecond. Every index of `events`
  // ends with the time and, as any SQLite index, the rowid (seq): the page is a range of one
  // index read backwards, in the order wanted, stopping after `limit` rows — the inner query
  // reads the index alone when the filters are its columns. Only the page's rows are read for
  // their positions. (Ordered by seq with indexes by time, the search sorted every match — a
  // user with 580 000 events of 5 million took 0.86 s for each page.)
  std::string sql = "SELECT seq, segment, offset FROM events WHERE seq IN (SELECT seq FROM events" +
                    w.sql + " ORDER BY time DESC, seq DESC LIMIT " + std::to_string(q.limit) +
                    ") ORDER BY time DESC, seq DESC";
  Stmt st;
  if (sqlite3_prepare_v2(impl_->db, sql.c_str(), -1, &st.s, nullptr) != SQLITE_OK)
    return DbError(impl_->db, impl_->dir);
  Bind(st.s, w);
  std::vector<LogHit> out;
  int rc;
  while ((rc = sqlite3_step(st.s)) == SQLITE_ROW)
    out.push_back({static_cast<uint64_t>(sqlite3_column_int64(st.s, 0)),
                   {static_cast<uint32_t>(sqlite3_column_int64(st.s, 1)),
                    static_cast<uint64_t>(sqlite3_column_int64(st.s, 2))}});
  if (rc != SQLITE_DONE) return DbError(impl_->db, impl_->dir);
  return out;
}

Result<std::optional<Position>> LogIndex::PositionOf(uint64_t seq) {
  MAMORI_ASSIGN_OR_RETURN(auto row, impl_->Row(seq));
  if (!row) return std::optional<Position>();
  return std::optional<Position>(row->second);
}

Result<uint64_t> LogIndex::Count(const LogQuery& q, uint64_t at_most) {
  Where w = BuildWhere(q, impl_->PlanFor(q.text, TextIndexNarrows(q.text)), std::nullopt);
  // Counting stops at at_most: the rows past it are not read (a text in every other message of
  // a large store would have every one of them read and checked).
  std::string sql = "SELECT COUNT(*) FROM (SELECT 1 FROM events" + w.sql;
  if (at_most < static_cast<uint64_t>(INT64_MAX)) sql += " LIMIT " + std::to_string(at_most);
  sql += ")";
  Stmt st;
  if (sqlite3_prepare_v2(impl_->db, sql.c_str(), -1, &st.s, nullptr) != SQLITE_OK)
    return DbError(impl_->db, impl_->dir);
  Bind(st.s, w);
  if (sqlite3_step(st.s) != SQLITE_ROW) return DbError(impl_->db, impl_->dir);
  return static_cast<uint64_t>(sqlite3_column_int64(st.s, 0));
}

Result<std::vector<SenderStats>> LogIndex::Senders() {
  Stmt st;
  if (sqlite3_prepare_v2(impl_->db,
                         "SELECT source, host, events, first_received, last_received, last_time, "
                         "last_skew FROM senders ORDER BY source, host",
                         -1, &st.s, nullptr) != SQLITE_OK)
    return DbError(impl_->db, impl_->dir);
  std::vector<SenderStats> out;
  int rc;
  while ((rc = sqlite3_step(st.s)) == SQLITE_ROW) {
    SenderStats x;
    auto text = [&](int col) {
      const auto* p = sqlite3_column_text(st.s, col);
      return p != nullptr ? std::string(reinterpret_cast<const char*>(p)) : std::string();
    };
    x.source = text(0);
    x.host = text(1);
    x.events = static_cast<uint64_t>(sqlite3_column_int64(st.s, 2));
    x.first_received = sqlite3_column_int64(st.s, 3);
    x.last_received = sqlite3_column_int64(st.s, 4);
    x.last_time = sqlite3_column_int64(st.s, 5);
    if (sqlite3_column_type(st.s, 6) != SQLITE_NULL) x.last_skew_ms = sqlite3_column_int64(st.s, 6);
    out.push_back(std::move(x));
  }
  if (rc != SQLITE_DONE) return DbError(impl_->db, impl_->dir);
  return out;
}

Result<WindowStats> LogIndex::Window(const std::string& source, UnixMillis since,
                                     int64_t tolerance_ms) {
  Stmt st;
  if (sqlite3_prepare_v2(
          impl_->db,
          "SELECT COUNT(*), COALESCE(SUM(live), 0), "
          "COALESCE(SUM(CASE WHEN live = 1 AND ABS(time - received) > ? THEN 1 ELSE 0 END), 0), "
          "COALESCE(MAX(CASE WHEN live = 1 THEN ABS(time - received) ELSE 0 END), 0) "
          "FROM events WHERE source = ? AND received >= ?",
          -1, &st.s, nullptr) != SQLITE_OK)
    return DbError(impl_->db, impl_->dir);
  sqlite3_bind_int64(st.s, 1, tolerance_ms);
  sqlite3_bind_text(st.s, 2, source.data(), static_cast<int>(source.size()), SQLITE_TRANSIENT);
  sqlite3_bind_int64(st.s, 3, since);
  if (sqlite3_step(st.s) != SQLITE_ROW) return DbError(impl_->db, impl_->dir);
  WindowStats w;
  w.events = static_cast<uint64_t>(sqlite3_column_int64(st.s, 0));
  w.live = static_cast<uint64_t>(sqlite3_column_int64(st.s, 1));
  w.skewed = static_cast<uint64_t>(sqlite3_column_int64(st.s, 2));
  w.max_abs_skew_ms = sqlite3_column_int64(st.s, 3);
  return w;
}

Result<std::vector<LogHit>> LogIndex::Range(UnixMillis from, UnixMillis to,
                                            std::optional<std::pair<UnixMillis, uint64_t>> after,
                                            uint64_t limit, std::vector<UnixMillis>* times) {
  std::string sql = "SELECT seq, segment, offset, time FROM events WHERE time >= ? AND time < ?";
  if (after) sql += " AND (time > ? OR (time = ? AND seq > ?))";
  sql += " ORDER BY time, seq LIMIT " + std::to_string(limit);
  Stmt st;
  if (sqlite3_prepare_v2(impl_->db, sql.c_str(), -1, &st.s, nullptr) != SQLITE_OK)
    return DbError(impl_->db, impl_->dir);
  sqlite3_bind_int64(st.s, 1, from);
  sqlite3_bind_int64(st.s, 2, to);
  if (after) {
    sqlite3_bind_int64(st.s, 3, after->first);
    sqlite3_bind_int64(st.s, 4, after->first);
    sqlite3_bind_int64(st.s, 5, static_cast<sqlite3_int64>(after->second));
  }
  std::vector<LogHit> out;
  int rc;
  while ((rc = sqlite3_step(st.s)) == SQLITE_ROW) {
    out.push_back({static_cast<uint64_t>(sqlite3_column_int64(st.s, 0)),
                   {static_cast<uint32_t>(sqlite3_column_int64(st.s, 1)),
                    static_cast<uint64_t>(sqlite3_column_int64(st.s, 2))}});
    if (times != nullptr) times->push_back(sqlite3_column_int64(st.s, 3));
  }
  if (rc != SQLITE_DONE) return DbError(impl_->db, impl_->dir);
  return out;
}

}  // namespace mamori::logs
