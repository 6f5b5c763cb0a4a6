#include "logs/log_index.hpp"

#include <sqlite3.h>

#include <filesystem>

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
  segment INTEGER NOT NULL,
  offset INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS events_time ON events (time);
CREATE INDEX IF NOT EXISTS events_user ON events (user, time);
CREATE INDEX IF NOT EXISTS events_object ON events (object, time);
CREATE INDEX IF NOT EXISTS events_host ON events (host, time);
CREATE INDEX IF NOT EXISTS events_source ON events (source, time);
)sql";

struct Stmt {
  sqlite3_stmt* s = nullptr;
  ~Stmt() { sqlite3_finalize(s); }
};

Error DbError(sqlite3* db, const std::string& where) {
  Error e = MakeError(ErrorCode::kIo, "logs.index_error", {where});
  e.detail = sqlite3_errmsg(db);
  return e;
}

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
  // Derived data: a lost tail is re-indexed from the segments, so the index need not be synced.
  MAMORI_RETURN_IF_ERROR(
      impl->Exec("PRAGMA journal_mode=WAL; PRAGMA synchronous=OFF; PRAGMA cache_size=-65536; "
                 "PRAGMA wal_autocheckpoint=16384;"));
  MAMORI_RETURN_IF_ERROR(impl->Exec(kSchema));
  MAMORI_RETURN_IF_ERROR(impl->LoadCount());
  return std::unique_ptr<LogIndex>(new LogIndex(std::move(impl)));
}

uint64_t LogIndex::Indexed() const {
  return impl_->indexed;
}

Status LogIndex::Add(const std::vector<LogEvent>& events, const std::vector<Position>& at) {
  auto& s = *impl_;
  MAMORI_RETURN_IF_ERROR(s.Exec("BEGIN"));
  Stmt st;
  if (sqlite3_prepare_v2(s.db,
                         "INSERT OR REPLACE INTO events (seq, time, received, source, host, app, "
                         "user, action, object, outcome, src_ip, severity, message, segment, "
                         "offset) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                         -1, &st.s, nullptr) != SQLITE_OK) {
    (void)s.Exec("ROLLBACK");
    return DbError(s.db, s.dir);
  }
  for (size_t i = 0; i < events.size(); ++i) {
    const auto& e = events[i];
    auto text = [&](int col, const std::string& v) {
      sqlite3_bind_text(st.s, col, v.data(), static_cast<int>(v.size()), SQLITE_TRANSIENT);
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
    text(10, OutcomeName(e.outcome));
    text(11, e.src_ip);
    sqlite3_bind_int(st.s, 12, e.severity);
    text(13, e.message);
    sqlite3_bind_int64(st.s, 14, at[i].segment);
    sqlite3_bind_int64(st.s, 15, static_cast<sqlite3_int64>(at[i].offset));
    if (sqlite3_step(st.s) != SQLITE_DONE) {
      Error err = DbError(s.db, s.dir);
      (void)s.Exec("ROLLBACK");
      return err;
    }
    sqlite3_reset(st.s);
    s.indexed = std::max(s.indexed, e.seq + 1);
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

Result<uint64_t> LogIndex::Rebuild() {
  MAMORI_RETURN_IF_ERROR(impl_->Exec("DELETE FROM events"));
  impl_->indexed = 0;
  return CatchUp();
}

namespace {

struct Where {
  std::string sql;
  std::vector<std::string> text;
  std::vector<int64_t> ints;
  std::vector<bool> is_text;
};

Where BuildWhere(const LogQuery& q) {
  Where w;
  auto add_text = [&](const char* clause, const std::string& v) {
    w.sql += w.sql.empty() ? " WHERE " : " AND ";
    w.sql += clause;
    w.text.push_back(v);
    w.is_text.push_back(true);
  };
  auto add_int = [&](const char* clause, int64_t v) {
    w.sql += w.sql.empty() ? " WHERE " : " AND ";
    w.sql += clause;
    w.ints.push_back(v);
    w.is_text.push_back(false);
  };
  if (q.from) add_int("time >= ?", *q.from);
  if (q.to) add_int("time < ?", *q.to);
  if (!q.source.empty()) add_text("source = ?", q.source);
  if (!q.host.empty()) add_text("host = ?", q.host);
  if (!q.user.empty()) add_text("user = ?", q.user);
  if (!q.object.empty()) add_text("object = ?", q.object);
  if (!q.action.empty()) add_text("action = ?", q.action);
  if (!q.outcome.empty()) add_text("outcome = ?", q.outcome);
  if (!q.text.empty()) add_text("instr(message, ?) > 0", q.text);
  if (q.before_seq) add_int("seq < ?", static_cast<int64_t>(*q.before_seq));
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

Result<std::vector<LogHit>> LogIndex::Search(const LogQuery& q) {
  Where w = BuildWhere(q);
  std::string sql = "SELECT seq, segment, offset FROM events" + w.sql +
                    " ORDER BY seq DESC LIMIT " + std::to_string(q.limit);
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

Result<uint64_t> LogIndex::Count(const LogQuery& q) {
  Where w = BuildWhere(q);
  std::string sql = "SELECT COUNT(*) FROM events" + w.sql;
  Stmt st;
  if (sqlite3_prepare_v2(impl_->db, sql.c_str(), -1, &st.s, nullptr) != SQLITE_OK)
    return DbError(impl_->db, impl_->dir);
  Bind(st.s, w);
  if (sqlite3_step(st.s) != SQLITE_ROW) return DbError(impl_->db, impl_->dir);
  return static_cast<uint64_t>(sqlite3_column_int64(st.s, 0));
}

}  // namespace mamori::logs
