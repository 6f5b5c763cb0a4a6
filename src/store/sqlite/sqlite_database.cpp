#include "store/sqlite/sqlite_database.hpp"

#include <sqlite3.h>

#include <filesystem>
#include <string>
#include <unordered_map>

namespace mamori::store::sqlite {

namespace {

Error SqliteError(sqlite3* db, int rc, std::string_view what) {
  ErrorCode code = ErrorCode::kInternal;
  std::string key = "store.query_failed";
  int primary = rc & 0xff;
  if (rc == SQLITE_CONSTRAINT_UNIQUE || rc == SQLITE_CONSTRAINT_PRIMARYKEY) {
    code = ErrorCode::kConflict;
    key = "store.duplicate";
  } else if (rc == SQLITE_CONSTRAINT_FOREIGNKEY) {
    code = ErrorCode::kInvalidArgument;
    key = "store.foreign_key";
  } else if (primary == SQLITE_CONSTRAINT) {
    code = ErrorCode::kInvalidArgument;
    key = "store.constraint";
  } else if (primary == SQLITE_BUSY || primary == SQLITE_LOCKED) {
    code = ErrorCode::kUnavailable;
    key = "store.busy";
  } else if (primary == SQLITE_NOTADB || primary == SQLITE_CORRUPT) {
    code = ErrorCode::kCorruption;
    key = "store.not_a_database";
  }
  Error e = MakeError(code, key);
  e.detail = std::string(what) + ": " + (db ? sqlite3_errmsg(db) : sqlite3_errstr(rc));
  return e;
}

// A prepared statement from the connection's cache, reset and unbound when done with. Preparing
// is a large part of a short statement's cost (the feed loader runs a few statements per CVE,
// hundreds of thousands of times); SQLite re-prepares a cached statement itself when the schema
// changes.
class Stmt {
 public:
  Stmt(sqlite3* db, std::unordered_map<std::string, sqlite3_stmt*>& cache, std::string_view sql) {
    std::string key(sql);
    if (auto it = cache.find(key); it != cache.end()) {
      stmt_ = it->second;
      return;
    }
    rc_ = sqlite3_prepare_v2(db, sql.data(), static_cast<int>(sql.size()), &stmt_, nullptr);
    if (rc_ != SQLITE_OK) return;
    if (cache.size() >= kCacheSize) {
      // Simple and bounded: statements built with IN (…) lists of every length must not grow
      // the cache without end.
      for (auto& [k, st] : cache) sqlite3_finalize(st);
      cache.clear();
    }
    cache.emplace(std::move(key), stmt_);
  }
  ~Stmt() {
    if (stmt_ == nullptr) return;
    sqlite3_reset(stmt_);
    sqlite3_clear_bindings(stmt_);
  }
  Stmt(const Stmt&) = delete;
  Stmt& operator=(const Stmt&) = delete;
  [[nodiscard]] int rc() const { return rc_; }
  sqlite3_stmt* get() { return stmt_; }

 private:
  static constexpr size_t kCacheSize = 128;
  sqlite3_stmt* stmt_ = nullptr;
  int rc_ = SQLITE_OK;
};

class SqliteConnection final : public Connection {
 public:
  explicit SqliteConnection(sqlite3* db) : db_(db) {}
  ~SqliteConnection() override {
    for (auto& [sql, stmt] : cache_) sqlite3_finalize(stmt);
    sqlite3_close_v2(db_);
  }
  [[nodiscard]] Dialect dialect() const override { return Dialect::kSqlite; }

 protected:
  Result<Rows> DoQuery(std::string_view sql, const Params& params) override {
    Stmt stmt(db_, cache_, sql);
    if (stmt.rc() != SQLITE_OK) return SqliteError(db_, stmt.rc(), "prepare");
    MAMORI_RETURN_IF_ERROR(Bind(stmt.get(), params));
    Rows rows;
    int ncol = sqlite3_column_count(stmt.get());
    while (true) {
      int rc = sqlite3_step(stmt.get());
      if (rc == SQLITE_DONE) break;
      if (rc != SQLITE_ROW) return SqliteError(db_, sqlite3_extended_errcode(db_), "step");
      std::vector<Value> values;
      values.reserve(static_cast<size_t>(ncol));
      for (int i = 0; i < ncol; ++i) {
        switch (sqlite3_column_type(stmt.get(), i)) {
          case SQLITE_NULL:
            values.emplace_back(std::monostate{});
            break;
          case SQLITE_INTEGER:
            values.emplace_back(int64_t{sqlite3_column_int64(stmt.get(), i)});
            break;
          case SQLITE_FLOAT:
            values.emplace_back(sqlite3_column_double(stmt.get(), i));
            break;
          default: {
            const auto* p = static_cast<const char*>(sqlite3_column_blob(stmt.get(), i));
            int n = sqlite3_column_bytes(stmt.get(), i);
            values.emplace_back(std::string(p ? p : "", static_cast<size_t>(n)));
          }
        }
      }
      rows.emplace_back(std::move(values));
    }
    return rows;
  }

  Result<int64_t> DoExec(std::string_view sql, const Params& params) override {
    Stmt stmt(db_, cache_, sql);
    if (stmt.rc() != SQLITE_OK) return SqliteError(db_, stmt.rc(), "prepare");
    MAMORI_RETURN_IF_ERROR(Bind(stmt.get(), params));
    int rc;
    while ((rc = sqlite3_step(stmt.get())) == SQLITE_ROW) {
    }
    if (rc != SQLITE_DONE) return SqliteError(db_, sqlite3_extended_errcode(db_), "step");
    return int64_t{sqlite3_changes(db_)};
  }

  Status DoExecScript(std::string_view sql) override {
    std::string s(sql);
    char* err = nullptr;
    int rc = sqlite3_exec(db_, s.c_str(), nullptr, nullptr, &err);
    if (rc != SQLITE_OK) {
      Error e = SqliteError(db_, sqlite3_extended_errcode(db_), "exec");
      sqlite3_free(err);
      return e;
    }
    return Ok();
  }

  Status DoBegin(bool write) override {
    // IMMEDIATE takes the write lock at once, so two writers never deadlock on upgrade.
    return DoExecScript(write ? "BEGIN IMMEDIATE" : "BEGIN");
  }

  // A page cache of 64 MiB while a bulk transaction runs (SQLite's default: 2 MB), back to the
  // default after. Loading the whole NVD (330 000 CVEs in 32-file batches) inserts into the
  // candidate-product index all over: with the default cache its pages were spilled to the WAL
  // and read back within a batch — 11.5 s against 9.7 s with this cache (16 MiB: 10.4 s,
  // 128 MiB: 9.9 s).
  Status DoSetBulk(bool on) override {
    return DoExecScript(on ? "PRAGMA cache_size = -65536" : "PRAGMA cache_size = -2000");
  }

 private:
  Status Bind(sqlite3_stmt* stmt, const Params& params) {
    for (size_t i = 0; i < params.size(); ++i) {
      int idx = static_cast<int>(i + 1);
      int rc = SQLITE_OK;
      const Value& v = params[i];
      if (std::holds_alternative<std::monostate>(v)) {
        rc = sqlite3_bind_null(stmt, idx);
      } else if (const auto* n = std::get_if<int64_t>(&v)) {
        rc = sqlite3_bind_int64(stmt, idx, *n);
      } else if (const auto* d = std::get_if<double>(&v)) {
        rc = sqlite3_bind_double(stmt, idx, *d);
      } else {
        const auto& s = std::get<std::string>(v);
        rc = sqlite3_bind_text64(stmt, idx, s.data(), s.size(), SQLITE_TRANSIENT, SQLITE_UTF8);
      }
      if (rc != SQLITE_OK) return SqliteError(db_, rc, "bind");
    }
    return Ok();
  }

  sqlite3* db_;
  std::unordered_map<std::string, sqlite3_stmt*> cache_;  // see Stmt
};

class SqliteDatabase final : public Database {
 public:
  explicit SqliteDatabase(std::string path) : path_(std::move(path)) {}
  [[nodiscard]] Dialect dialect() const override { return Dialect::kSqlite; }
  [[nodiscard]] std::string Describe() const override { return "sqlite:" + path_; }

  Result<std::unique_ptr<Connection>> NewConnection() override { return Connect(false); }

  Result<std::unique_ptr<Connection>> Connect(bool create) {
    sqlite3* db = nullptr;
    int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX | (create ? SQLITE_OPEN_CREATE : 0);
    int rc = sqlite3_open_v2(path_.c_str(), &db, flags, nullptr);
    if (rc != SQLITE_OK) {
      Error e = MakeError(ErrorCode::kUnavailable, "store.cannot_open", {path_});
      e.detail = db ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
      sqlite3_close_v2(db);
      return e;
    }
    auto conn = std::make_unique<SqliteConnection>(db);
    sqlite3_busy_timeout(db, 10000);
    // Reading the schema first proves the file is a SQLite database before anything is written.
    auto probe = conn->Query("SELECT count(*) FROM sqlite_master");
    if (!probe.ok()) {
      Error e = MakeError(ErrorCode::kUnavailable, "store.cannot_open", {path_});
      e.detail = probe.error().detail;
      return e;
    }
    for (const char* pragma :
         {"PRAGMA journal_mode=WAL", "PRAGMA foreign_keys=ON", "PRAGMA synchronous=NORMAL"}) {
      auto r = conn->Query(pragma);
      if (!r.ok()) {
        Error e = MakeError(ErrorCode::kUnavailable, "store.cannot_open", {path_});
        e.detail = r.error().detail;
        return e;
      }
    }
    return std::unique_ptr<Connection>(std::move(conn));
  }

 private:
  std::string path_;
};

}  // namespace

Result<std::unique_ptr<Database>> OpenSqlite(const std::string& path, bool create) {
  std::error_code ec;
  if (!create && !std::filesystem::exists(path, ec)) {
    return MakeError(ErrorCode::kNotFound, "store.not_found", {path});
  }
  auto db = std::make_unique<SqliteDatabase>(path);
  // Open one connection now so that a bad file is reported at once, then keep it in the pool.
  MAMORI_ASSIGN_OR_RETURN(auto first, db->Connect(create));
  { Database::Lease lease(db.get(), std::move(first)); }
  return std::unique_ptr<Database>(std::move(db));
}

}  // namespace mamori::store::sqlite
