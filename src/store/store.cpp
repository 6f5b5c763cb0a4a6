#include "store/store.hpp"

#include <atomic>
#include <charconv>

#include "store/migrations.hpp"
#include "store/postgres/pg_database.hpp"
#include "store/sqlite/sqlite_database.hpp"

namespace mamori::store {

namespace {
std::atomic<uint64_t> g_statements{0};
std::atomic<uint64_t> g_errors{0};

template <typename R>
R Count(R r) {
  g_statements.fetch_add(1, std::memory_order_relaxed);
  if (!r.ok()) g_errors.fetch_add(1, std::memory_order_relaxed);
  return r;
}
}  // namespace

StoreStats GlobalStoreStats() {
  return {g_statements.load(), g_errors.load()};
}

bool Row::IsNull(size_t i) const {
  return std::holds_alternative<std::monostate>(values_.at(i));
}

int64_t Row::Int(size_t i) const {
  const Value& v = values_.at(i);
  if (const auto* p = std::get_if<int64_t>(&v)) return *p;
  if (const auto* d = std::get_if<double>(&v)) return static_cast<int64_t>(*d);
  if (const auto* s = std::get_if<std::string>(&v)) {
    int64_t out = 0;
    std::from_chars(s->data(), s->data() + s->size(), out);
    return out;
  }
  return 0;
}

double Row::Real(size_t i) const {
  const Value& v = values_.at(i);
  if (const auto* d = std::get_if<double>(&v)) return *d;
  if (const auto* p = std::get_if<int64_t>(&v)) return static_cast<double>(*p);
  return 0;
}

std::string Row::Str(size_t i) const {
  const Value& v = values_.at(i);
  if (const auto* s = std::get_if<std::string>(&v)) return *s;
  if (const auto* p = std::get_if<int64_t>(&v)) return std::to_string(*p);
  if (const auto* d = std::get_if<double>(&v)) return std::to_string(*d);
  return {};
}

std::optional<int64_t> Row::OptInt(size_t i) const {
  if (IsNull(i)) return std::nullopt;
  return Int(i);
}

std::optional<std::string> Row::OptStr(size_t i) const {
  if (IsNull(i)) return std::nullopt;
  return Str(i);
}

Result<Rows> Connection::Query(std::string_view sql, const Params& params) {
  return Count(DoQuery(sql, params));
}
Result<int64_t> Connection::Exec(std::string_view sql, const Params& params) {
  return Count(DoExec(sql, params));
}
Status Connection::ExecScript(std::string_view sql) {
  return Count(DoExecScript(sql));
}
Status Connection::Begin(bool write) {
  return Count(DoBegin(write));
}
Status Connection::Commit() {
  return ExecScript("COMMIT");
}
Status Connection::Rollback() {
  return ExecScript("ROLLBACK");
}

Result<std::unique_ptr<Database>> Database::Open(const std::string& url, bool create) {
  std::unique_ptr<Database> db;
  if (url.starts_with("postgresql://") || url.starts_with("postgres://")) {
    MAMORI_ASSIGN_OR_RETURN(db, postgres::OpenPostgres(url));
  } else {
    std::string path = url.starts_with("sqlite:") ? url.substr(7) : url;
    MAMORI_ASSIGN_OR_RETURN(db, sqlite::OpenSqlite(path, create));
  }
  return db;
}

Database::Lease::~Lease() {
  if (conn_) db_->Release(std::move(conn_));
}

Result<Database::Lease> Database::Acquire() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (!idle_.empty()) {
      auto conn = std::move(idle_.back());
      idle_.pop_back();
      return Lease(this, std::move(conn));
    }
  }
  MAMORI_ASSIGN_OR_RETURN(auto conn, NewConnection());
  return Lease(this, std::move(conn));
}

void Database::Release(std::unique_ptr<Connection> conn) {
  std::lock_guard<std::mutex> lock(mu_);
  if (idle_.size() < 32) idle_.push_back(std::move(conn));
}

int Database::LatestSchemaVersion() {
  const auto& all = Migrations();
  return all.empty() ? 0 : all.back().version;
}

Result<int> Database::SchemaVersion() {
  MAMORI_ASSIGN_OR_RETURN(auto conn, Acquire());
  MAMORI_RETURN_IF_ERROR(conn->ExecScript(
      "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT "
      "NULL, applied_at BIGINT NOT NULL)"));
  MAMORI_ASSIGN_OR_RETURN(auto rows, conn->Query("SELECT MAX(version) FROM schema_migrations"));
  if (rows.empty() || rows[0].IsNull(0)) return 0;
  return static_cast<int>(rows[0].Int(0));
}

Status Database::Migrate(std::optional<int> up_to) {
  MAMORI_ASSIGN_OR_RETURN(int current, SchemaVersion());
  if (current > LatestSchemaVersion()) {
    return MakeError(ErrorCode::kUnavailable, "store.schema_too_new",
                     {std::to_string(current), std::to_string(LatestSchemaVersion())});
  }
  int target = up_to.value_or(LatestSchemaVersion());
  if (current >= target) return Ok();
  MAMORI_ASSIGN_OR_RETURN(auto conn, Acquire());
  // All pending migrations in one transaction (both backends have transactional DDL): a failure
  // leaves the database exactly as it was.
  MAMORI_RETURN_IF_ERROR(conn->Begin(true));
  for (const auto& m : Migrations()) {
    if (m.version <= current || m.version > target) continue;
    auto applied = conn->ExecScript(RenderMigration(m, dialect()));
    if (applied.ok()) {
      auto rec =
          conn->Exec("INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)",
                     {int64_t{m.version}, std::string(m.name), clock().Now()});
      if (!rec.ok()) applied = std::move(rec).error();
    }
    if (!applied.ok()) {
      (void)conn->Rollback();
      Error e = std::move(applied).error();
      return MakeError(
          ErrorCode::kUnavailable, "store.migration_failed",
          {std::to_string(m.version), std::string(m.name), e.detail.empty() ? e.key : e.detail});
    }
  }
  return conn->Commit();
}

}  // namespace mamori::store
