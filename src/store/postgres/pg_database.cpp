#include "store/postgres/pg_database.hpp"

#include <libpq-fe.h>

#include <cstdio>
#include <cstdlib>

namespace mamori::store::postgres {

namespace {

// Type OIDs from PostgreSQL's catalog (pg_type.dat); libpq does not export them as a header.
constexpr Oid kBoolOid = 16, kInt8Oid = 20, kInt2Oid = 21, kInt4Oid = 23, kFloat4Oid = 700,
              kFloat8Oid = 701, kNumericOid = 1700;

Error PgError(PGconn* conn, PGresult* res, std::string_view what) {
  const char* state = res ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : nullptr;
  std::string sqlstate = state ? state : "";
  ErrorCode code = ErrorCode::kInternal;
  std::string key = "store.query_failed";
  if (sqlstate == "23505") {
    code = ErrorCode::kConflict;
    key = "store.duplicate";
  } else if (sqlstate == "23503") {
    code = ErrorCode::kInvalidArgument;
    key = "store.foreign_key";
  } else if (sqlstate.starts_with("23")) {
    code = ErrorCode::kInvalidArgument;
    key = "store.constraint";
  } else if (sqlstate.starts_with("08") || PQstatus(conn) != CONNECTION_OK) {
    code = ErrorCode::kUnavailable;
    key = "store.connection_lost";
  }
  Error e = MakeError(code, key);
  std::string msg = res ? PQresultErrorMessage(res) : PQerrorMessage(conn);
  while (!msg.empty() && (msg.back() == '\n' || msg.back() == ' ')) msg.pop_back();
  e.detail = std::string(what) + ": " + msg;
  return e;
}

struct ResultGuard {
  PGresult* r;
  ~ResultGuard() { PQclear(r); }
};

class PgConnection final : public Connection {
 public:
  explicit PgConnection(PGconn* conn) : conn_(conn) {}
  ~PgConnection() override { PQfinish(conn_); }
  [[nodiscard]] Dialect dialect() const override { return Dialect::kPostgres; }

 protected:
  Result<Rows> DoQuery(std::string_view sql, const Params& params) override {
    ResultGuard res{Run(sql, params)};
    auto status = PQresultStatus(res.r);
    if (status != PGRES_TUPLES_OK && status != PGRES_COMMAND_OK)
      return PgError(conn_, res.r, "query");
    Rows rows;
    int nrow = PQntuples(res.r), ncol = PQnfields(res.r);
    rows.reserve(static_cast<size_t>(nrow));
    for (int r = 0; r < nrow; ++r) {
      std::vector<Value> values;
      values.reserve(static_cast<size_t>(ncol));
      for (int c = 0; c < ncol; ++c) {
        if (PQgetisnull(res.r, r, c)) {
          values.emplace_back(std::monostate{});
          continue;
        }
        const char* text = PQgetvalue(res.r, r, c);
        switch (PQftype(res.r, c)) {
          case kInt2Oid:
          case kInt4Oid:
          case kInt8Oid:
            values.emplace_back(int64_t{std::strtoll(text, nullptr, 10)});
            break;
          case kFloat4Oid:
          case kFloat8Oid:
          case kNumericOid:
            values.emplace_back(std::strtod(text, nullptr));
            break;
          case kBoolOid:
            values.emplace_back(int64_t{text[0] == 't' ? 1 : 0});
            break;
          default:
            values.emplace_back(std::string(text, static_cast<size_t>(PQgetlength(res.r, r, c))));
        }
      }
      rows.emplace_back(std::move(values));
    }
    return rows;
  }

  Result<int64_t> DoExec(std::string_view sql, const Params& params) override {
    ResultGuard res{Run(sql, params)};
    auto status = PQresultStatus(res.r);
    if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK)
      return PgError(conn_, res.r, "exec");
    const char* n = PQcmdTuples(res.r);
    return int64_t{(n && *n) ? std::strtoll(n, nullptr, 10) : 0};
  }

  Status DoExecScript(std::string_view sql) override {
    std::string s(sql);
    ResultGuard res{PQexec(conn_, s.c_str())};
    auto status = PQresultStatus(res.r);
    if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK)
      return PgError(conn_, res.r, "exec");
    return Ok();
  }

  Status DoBegin(bool /*write*/) override { return DoExecScript("BEGIN"); }

 private:
  PGresult* Run(std::string_view sql, const Params& params) {
    std::string text = RewritePlaceholders(sql);
    std::vector<std::string> storage(params.size());
    std::vector<const char*> values(params.size(), nullptr);
    for (size_t i = 0; i < params.size(); ++i) {
      const Value& v = params[i];
      if (std::holds_alternative<std::monostate>(v)) continue;
      if (const auto* n = std::get_if<int64_t>(&v)) {
        storage[i] = std::to_string(*n);
      } else if (const auto* d = std::get_if<double>(&v)) {
        char buf[32];
        std::snprintf(buf, sizeof buf, "%.17g", *d);
        storage[i] = buf;
      } else {
        storage[i] = std::get<std::string>(v);
      }
      values[i] = storage[i].c_str();
    }
    return PQexecParams(conn_, text.c_str(), static_cast<int>(params.size()), nullptr,
                        values.data(), nullptr, nullptr, 0);
  }

  PGconn* conn_;
};

class PgDatabase final : public Database {
 public:
  explicit PgDatabase(std::string url) : url_(std::move(url)) {}
  [[nodiscard]] Dialect dialect() const override { return Dialect::kPostgres; }
  [[nodiscard]] std::string Describe() const override {
    // postgresql://user:secret@host/db → postgresql://user@host/db
    std::string d = url_;
    auto scheme = d.find("://");
    auto at = d.find('@');
    if (scheme != std::string::npos && at != std::string::npos) {
      auto colon = d.find(':', scheme + 3);
      if (colon != std::string::npos && colon < at) d.erase(colon, at - colon);
    }
    return d;
  }

  Result<std::unique_ptr<Connection>> NewConnection() override {
    PGconn* conn = PQconnectdb(url_.c_str());
    if (PQstatus(conn) != CONNECTION_OK) {
      Error e = MakeError(ErrorCode::kUnavailable, "store.cannot_open", {Describe()});
      e.detail = PQerrorMessage(conn);
      while (!e.detail.empty() && e.detail.back() == '\n') e.detail.pop_back();
      PQfinish(conn);
      return e;
    }
    auto c = std::make_unique<PgConnection>(conn);
    MAMORI_RETURN_IF_ERROR(c->ExecScript(
        "SET client_encoding = 'UTF8'; SET TIME ZONE 'UTC'; SET client_min_messages = warning"));
    return std::unique_ptr<Connection>(std::move(c));
  }

 private:
  std::string url_;
};

}  // namespace

std::string RewritePlaceholders(std::string_view sql) {
  std::string out;
  out.reserve(sql.size() + 16);
  int n = 0;
  for (size_t i = 0; i < sql.size(); ++i) {
    char c = sql[i];
    if (c == '\'' || c == '"') {  // copy a literal or quoted identifier whole ('' escapes inside)
      size_t end = i + 1;
      while (end < sql.size()) {
        if (sql[end] == c) {
          if (end + 1 < sql.size() && sql[end + 1] == c) {
            end += 2;
            continue;
          }
          break;
        }
        ++end;
      }
      out.append(sql.substr(i, end - i + 1));
      i = end;
    } else if (c == '-' && i + 1 < sql.size() && sql[i + 1] == '-') {
      size_t end = sql.find('\n', i);
      if (end == std::string_view::npos) end = sql.size();
      out.append(sql.substr(i, end - i));
      i = end - 1;
    } else if (c == '?') {
      out += '$';
      out += std::to_string(++n);
    } else {
      out += c;
    }
  }
  return out;
}

Result<std::unique_ptr<Database>> OpenPostgres(const std::string& url) {
  auto db = std::make_unique<PgDatabase>(url);
  MAMORI_ASSIGN_OR_RETURN(auto first, db->NewConnection());
  { Database::Lease lease(db.get(), std::move(first)); }
  return std::unique_ptr<Database>(std::move(db));
}

}  // namespace mamori::store::postgres
