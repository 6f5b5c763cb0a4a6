// Tx: one unit of work on behalf of an actor, and the only way to change stored records.
//
// Like Zeek's non-virtual Backend::Put() (zeek/zeek src/storage/Backend.h), the rules live here
// so no capability can forget them: Exec() marks the transaction as a change, and Commit() of a
// change without an audit record is a bug (std::logic_error), not a silent gap in the trail.
// Each audit record extends a SHA-256 hash chain, so an edit made behind mamori's back is found
// by `mamori audit verify`.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/json_body.hpp"
#include "store/store.hpp"

namespace mamori::store {

// Who acts: the organisation (tenant), user, and the address the request came from.
struct Actor {
  int64_t org_id = 0;
  std::optional<int64_t> user_id;
  std::string username;  // "system" for CLI/maintenance actions without a user
  std::string ip;
};

struct AuditRecord {
  AuditRecord(std::string action_, std::string entity_, std::string entity_id_, Json before_,
              Json after_, std::optional<int64_t> org_id_ = std::nullopt)
      : action(std::move(action_)),
        entity(std::move(entity_)),
        entity_id(std::move(entity_id_)),
        before(std::move(before_)),
        after(std::move(after_)),
        org_id(org_id_) {}
  std::string action;             // e.g. "user.create", "asset.update", "auth.login_failed"
  std::string entity;             // table-level name: "user", "asset"
  std::string entity_id;          // may be empty
  Json before;                    // null when created
  Json after;                     // null when deleted
  std::optional<int64_t> org_id;  // defaults to the actor's (set when creating an organisation)
};

class Tx {
 public:
  static Result<Tx> Begin(Database& db, Actor actor);      // a write transaction
  static Result<Tx> BeginRead(Database& db, Actor actor);  // reads only
  // A write transaction that writes much (Connection::SetBulk while it lasts).
  static Result<Tx> BeginBulk(Database& db, Actor actor);

  Tx(Tx&& other) noexcept;
  Tx& operator=(Tx&&) = delete;
  Tx(const Tx&) = delete;
  ~Tx();  // rolls back unless committed

  Result<Rows> Query(std::string_view sql, const Params& params = {});
  // A change of records: Commit() requires an Audit() in the same transaction.
  Result<int64_t> Exec(std::string_view sql, const Params& params = {});
  // A change that returns rows (INSERT … RETURNING id); the same rule as Exec().
  Result<Rows> ExecReturning(std::string_view sql, const Params& params = {});
  // Bookkeeping that is not a change of any record a person manages (a session's last-seen
  // time, a lockout counter). Use sparingly; every call site says why.
  Result<int64_t> ExecUnaudited(std::string_view sql, const Params& params = {});

  Status Audit(const AuditRecord& record);
  Status Commit();
  // Commits what was done; the next statement begins the next write transaction on the same
  // connection — so that a long load in batches keeps its bulk page cache warm, and other
  // writers get the lock between its batches. The audit rule holds for each part.
  Status CommitAndContinue();

  // A part of a write transaction that can be undone alone (SQL SAVEPOINT; the same in SQLite
  // and PostgreSQL): Savepoint() marks it, Release() keeps it (committed with the rest),
  // RollbackTo() undoes everything since the mark — and, in PostgreSQL, clears the error that
  // made the rest of the transaction unusable — and releases it. `name` is an identifier.
  Status Savepoint(std::string_view name);
  Status Release(std::string_view name);
  Status RollbackTo(std::string_view name);

  [[nodiscard]] const Actor& actor() const { return actor_; }
  [[nodiscard]] Dialect dialect() const { return lease_->dialect(); }
  [[nodiscard]] UnixMillis now() const { return now_; }

 private:
  Tx(Database::Lease lease, Actor actor, UnixMillis now, bool write)
      : lease_(std::move(lease)), actor_(std::move(actor)), now_(now), write_(write) {}

  Database::Lease lease_;
  Actor actor_;
  UnixMillis now_;
  bool write_;
  bool open_ = true;
  bool changed_ = false;
  bool audited_ = false;
  bool bulk_ = false;
  bool resume_ = false;  // committed by CommitAndContinue: begin again before the next statement
  // Each open savepoint and whether the transaction had changed and audited when it was set: a
  // rollback to it undoes an audit record too, and the audit rule must see that.
  struct Mark {
    std::string name;
    bool changed = false, audited = false;
  };
  std::vector<Mark> marks_;
  [[nodiscard]] size_t FindMark(std::string_view name) const;  // marks_.size() if none
  Status Resume();
};

// Recomputes the audit hash chain. Returns the number of records checked, or a corruption error
// naming the first record whose hash does not match.
Result<int64_t> VerifyAuditChain(Database& db);

}  // namespace mamori::store
