// The storage interface of mamori: one Database, SQLite or PostgreSQL behind it.
//
// All SQL in mamori uses '?' placeholders and the common subset of the two dialects; a backend
// rewrites what its driver needs. SQL appears only here (src/store/) and in each capability's
// *_repository.cpp file. Changes go through Tx (tx.hpp), which records the audit trail.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "core/result.hpp"
#include "core/time.hpp"

namespace mamori::store {

using Value = std::variant<std::monostate, int64_t, double, std::string>;
using Params = std::vector<Value>;

inline Value Null() {
  return std::monostate{};
}
inline Value OptValue(const std::optional<std::string>& s) {
  return s ? Value(*s) : Null();
}
inline Value OptValue(const std::optional<int64_t>& v) {
  return v ? Value(*v) : Null();
}

class Row {
 public:
  explicit Row(std::vector<Value> values) : values_(std::move(values)) {}
  [[nodiscard]] bool IsNull(size_t i) const;
  [[nodiscard]] int64_t Int(size_t i) const;      // NULL → 0
  [[nodiscard]] double Real(size_t i) const;      // NULL → 0
  [[nodiscard]] std::string Str(size_t i) const;  // NULL → ""
  [[nodiscard]] std::optional<int64_t> OptInt(size_t i) const;
  [[nodiscard]] std::optional<std::string> OptStr(size_t i) const;
  [[nodiscard]] size_t size() const { return values_.size(); }

 private:
  std::vector<Value> values_;
};
using Rows = std::vector<Row>;

enum class Dialect { kSqlite, kPostgres };

// One connection. Not thread-safe; Database hands each thread its own through Lease.
class Connection {
 public:
  virtual ~Connection() = default;
  Connection() = default;
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  [[nodiscard]] virtual Dialect dialect() const = 0;

  // Non-virtual: the public methods count statements (for /metrics) and call the backend.
  Result<Rows> Query(std::string_view sql, const Params& params = {});
  Result<int64_t> Exec(std::string_view sql, const Params& params = {});  // rows affected
  Status ExecScript(std::string_view sql);  // several statements, no parameters
  Status Begin(bool write);
  Status Commit();
  Status Rollback();
  // A transaction that writes much (a feed load): room for more of the pages it touches, until
  // SetBulk(false). Backends without such a setting ignore it.
  Status SetBulk(bool on) { return DoSetBulk(on); }

 protected:
  virtual Status DoSetBulk(bool /*on*/) { return Ok(); }
  virtual Result<Rows> DoQuery(std::string_view sql, const Params& params) = 0;
  virtual Result<int64_t> DoExec(std::string_view sql, const Params& params) = 0;
  virtual Status DoExecScript(std::string_view sql) = 0;
  virtual Status DoBegin(bool write) = 0;
};

struct StoreStats {
  uint64_t statements = 0;
  uint64_t errors = 0;
};
StoreStats GlobalStoreStats();

class Database {
 public:
  virtual ~Database() = default;
  Database(const Database&) = delete;
  Database& operator=(const Database&) = delete;

  // `url`: a file path (SQLite) or postgresql://… / postgres://… (PostgreSQL).
  // create=false: a missing SQLite file is an error (store.not_found) rather than created.
  static Result<std::unique_ptr<Database>> Open(const std::string& url, bool create);

  class Lease {
   public:
    Lease(Database* db, std::unique_ptr<Connection> conn) : db_(db), conn_(std::move(conn)) {}
    Lease(Lease&&) noexcept = default;
    Lease& operator=(Lease&&) = delete;
    Lease(const Lease&) = delete;
    ~Lease();
    Connection* operator->() const { return conn_.get(); }
    Connection& operator*() { return *conn_; }

   private:
    Database* db_;
    std::unique_ptr<Connection> conn_;
  };
  Result<Lease> Acquire();

  [[nodiscard]] virtual Dialect dialect() const = 0;
  // For messages: never contains a password.
  [[nodiscard]] virtual std::string Describe() const = 0;

  // Applies the embedded migrations newer than the database's version, each in its own
  // transaction. up_to limits the target version (tests of migrations from an older schema).
  Status Migrate(std::optional<int> up_to = std::nullopt);
  Result<int> SchemaVersion();
  static int LatestSchemaVersion();

  // The clock used for timestamps written by the store (the audit trail); tests replace it.
  void SetClock(const Clock* clock) { clock_ = clock; }
  [[nodiscard]] const Clock& clock() const { return *clock_; }

 protected:
  Database() = default;
  virtual Result<std::unique_ptr<Connection>> NewConnection() = 0;

 private:
  void Release(std::unique_ptr<Connection> conn);

  std::mutex mu_;
  std::vector<std::unique_ptr<Connection>> idle_;
  const Clock* clock_ = &SystemClock();
};

}  // namespace mamori::store
