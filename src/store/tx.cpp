#include "store/tx.hpp"

#include <stdexcept>

#include "core/crypto.hpp"

namespace mamori::store {

namespace {
// The canonical text hashed for a record: fields in fixed order, JSON dumped with sorted keys
// (nlohmann::json objects are ordered maps), separated by newlines.
std::string CanonicalAuditText(const std::string& prev_hash, int64_t org_id, UnixMillis at,
                               const std::string& user_id, const std::string& username,
                               const std::string& ip, const std::string& action,
                               const std::string& entity, const std::string& entity_id,
                               const std::string& before, const std::string& after) {
  std::string s;
  for (const std::string* part :
       {&prev_hash, &user_id, &username, &ip, &action, &entity, &entity_id, &before, &after}) {
    s += *part;
    s += '\n';
  }
  s += std::to_string(org_id) + "\n" + std::to_string(at);
  return s;
}
}  // namespace

Result<Tx> Tx::Begin(Database& db, Actor actor) {
  MAMORI_ASSIGN_OR_RETURN(auto lease, db.Acquire());
  MAMORI_RETURN_IF_ERROR(lease->Begin(true));
  return Tx(std::move(lease), std::move(actor), db.clock().Now(), true);
}

Result<Tx> Tx::BeginBulk(Database& db, Actor actor) {
  MAMORI_ASSIGN_OR_RETURN(auto lease, db.Acquire());
  MAMORI_RETURN_IF_ERROR(lease->SetBulk(true));
  if (Status st = lease->Begin(true); !st.ok()) {
    (void)lease->SetBulk(false);
    return st.error();
  }
  Tx tx(std::move(lease), std::move(actor), db.clock().Now(), true);
  tx.bulk_ = true;
  return tx;
}

Result<Tx> Tx::BeginRead(Database& db, Actor actor) {
  MAMORI_ASSIGN_OR_RETURN(auto lease, db.Acquire());
  MAMORI_RETURN_IF_ERROR(lease->Begin(false));
  return Tx(std::move(lease), std::move(actor), db.clock().Now(), false);
}

Tx::Tx(Tx&& other) noexcept
    : lease_(std::move(other.lease_)),
      actor_(std::move(other.actor_)),
      now_(other.now_),
      write_(other.write_),
      open_(other.open_),
      changed_(other.changed_),
      audited_(other.audited_),
      bulk_(other.bulk_),
      resume_(other.resume_),
      marks_(std::move(other.marks_)) {
  other.open_ = false;
  other.bulk_ = false;
}

Tx::~Tx() {
  if (open_) (void)lease_->Rollback();
  if (bulk_) (void)lease_->SetBulk(false);  // the connection goes back to the pool as it came
}

Result<Rows> Tx::Query(std::string_view sql, const Params& params) {
  MAMORI_RETURN_IF_ERROR(Resume());
  return lease_->Query(sql, params);
}

Result<int64_t> Tx::Exec(std::string_view sql, const Params& params) {
  if (!write_) throw std::logic_error("Tx::Exec in a read transaction");
  MAMORI_RETURN_IF_ERROR(Resume());
  changed_ = true;
  return lease_->Exec(sql, params);
}

Result<Rows> Tx::ExecReturning(std::string_view sql, const Params& params) {
  if (!write_) throw std::logic_error("Tx::ExecReturning in a read transaction");
  MAMORI_RETURN_IF_ERROR(Resume());
  changed_ = true;
  return lease_->Query(sql, params);
}

Result<int64_t> Tx::ExecUnaudited(std::string_view sql, const Params& params) {
  if (!write_) throw std::logic_error("Tx::ExecUnaudited in a read transaction");
  MAMORI_RETURN_IF_ERROR(Resume());
  return lease_->Exec(sql, params);
}

Status Tx::Audit(const AuditRecord& r) {
  if (!write_) throw std::logic_error("Tx::Audit in a read transaction");
  MAMORI_RETURN_IF_ERROR(Resume());
  // The chain head row serialises writers of the trail: SQLite's BEGIN IMMEDIATE already holds
  // the write lock; PostgreSQL needs the row lock.
  std::string head_sql = "SELECT last_hash FROM audit_chain WHERE id = 1";
  if (dialect() == Dialect::kPostgres) head_sql += " FOR UPDATE";
  MAMORI_ASSIGN_OR_RETURN(auto head, lease_->Query(head_sql));
  std::string prev = head.empty() ? std::string(64, '0') : head[0].Str(0);
  std::string before = r.before.is_null() ? "" : r.before.dump();
  std::string after = r.after.is_null() ? "" : r.after.dump();
  std::string user_id = actor_.user_id ? std::to_string(*actor_.user_id) : "";
  int64_t org_id = r.org_id.value_or(actor_.org_id);
  std::string hash =
      Sha256Hex(CanonicalAuditText(prev, org_id, now_, user_id, actor_.username, actor_.ip,
                                   r.action, r.entity, r.entity_id, before, after));
  MAMORI_RETURN_IF_ERROR(lease_->Exec(
      "INSERT INTO audit_log (org_id, at, user_id, username, ip, action, entity, entity_id, "
      "before_json, after_json, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
      {org_id, now_, OptValue(actor_.user_id), actor_.username, actor_.ip, r.action, r.entity,
       r.entity_id, before, after, prev, hash}));
  if (head.empty()) {
    MAMORI_RETURN_IF_ERROR(
        lease_->Exec("INSERT INTO audit_chain (id, last_hash) VALUES (1, ?)", {hash}));
  } else {
    MAMORI_RETURN_IF_ERROR(
        lease_->Exec("UPDATE audit_chain SET last_hash = ? WHERE id = 1", {hash}));
  }
  audited_ = true;
  return Ok();
}

namespace {

// A savepoint's name goes into SQL text: an identifier of letters, digits and underscores only.
void CheckSavepointName(std::string_view name) {
  bool ok = !name.empty() && !(name[0] >= '0' && name[0] <= '9');
  for (char c : name)
    ok = ok &&
         ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_');
  if (!ok) throw std::logic_error("Tx: bad savepoint name");
}

}  // namespace

size_t Tx::FindMark(std::string_view name) const {  // the latest of that name (SQL's rule)
  for (size_t i = marks_.size(); i-- > 0;)
    if (marks_[i].name == name) return i;
  return marks_.size();
}

Status Tx::Savepoint(std::string_view name) {
  if (!write_) throw std::logic_error("Tx::Savepoint in a read transaction");
  CheckSavepointName(name);
  MAMORI_RETURN_IF_ERROR(Resume());
  MAMORI_RETURN_IF_ERROR(lease_->Exec("SAVEPOINT " + std::string(name)));
  marks_.push_back({std::string(name), changed_, audited_});
  return Ok();
}

Status Tx::Release(std::string_view name) {
  CheckSavepointName(name);
  MAMORI_RETURN_IF_ERROR(lease_->Exec("RELEASE SAVEPOINT " + std::string(name)));
  // Released: it and any set after it are gone (SQL's rule); what they did stays.
  if (size_t i = FindMark(name); i < marks_.size()) marks_.resize(i);
  return Ok();
}

Status Tx::RollbackTo(std::string_view name) {
  CheckSavepointName(name);
  MAMORI_RETURN_IF_ERROR(lease_->Exec("ROLLBACK TO SAVEPOINT " + std::string(name)));
  if (size_t i = FindMark(name); i < marks_.size()) {
    changed_ = marks_[i].changed;
    audited_ = marks_[i].audited;
  }
  return Release(name);
}

Status Tx::CommitAndContinue() {
  if (!write_) throw std::logic_error("Tx::CommitAndContinue in a read transaction");
  MAMORI_RETURN_IF_ERROR(Commit());
  marks_.clear();
  resume_ = true;
  changed_ = false;
  audited_ = false;
  return Ok();
}

Status Tx::Resume() {
  if (!resume_) return Ok();
  MAMORI_RETURN_IF_ERROR(lease_->Begin(write_));
  resume_ = false;
  open_ = true;
  return Ok();
}

Status Tx::Commit() {
  if (resume_) {  // nothing since the last part was committed
    resume_ = false;
    return Ok();
  }
  if (!open_) throw std::logic_error("Tx::Commit twice");
  if (changed_ && !audited_) throw std::logic_error("Tx::Commit: a change without an audit record");
  open_ = false;
  Status committed = lease_->Commit();
  // A COMMIT that failed can leave the transaction open (SQLite keeps it after a deferred
  // constraint or SQLITE_BUSY; PostgreSQL ends it): it must not go back to the pool inside one.
  if (!committed.ok()) (void)lease_->Rollback();
  return committed;
}

Result<int64_t> VerifyAuditChain(Database& db) {
  MAMORI_ASSIGN_OR_RETURN(auto conn, db.Acquire());
  std::string prev(64, '0');
  int64_t count = 0;
  int64_t last_id = 0;
  // Paged, so a trail of millions of records is verified in bounded memory.
  while (true) {
    MAMORI_ASSIGN_OR_RETURN(
        auto rows,
        conn->Query("SELECT id, org_id, at, user_id, username, ip, action, entity, entity_id, "
                    "before_json, after_json, prev_hash, hash FROM audit_log WHERE id > ? "
                    "ORDER BY id LIMIT 5000",
                    {last_id}));
    if (rows.empty()) break;
    for (const auto& row : rows) {
      std::string expect = Sha256Hex(
          CanonicalAuditText(prev, row.Int(1), row.Int(2), row.Str(3), row.Str(4), row.Str(5),
                             row.Str(6), row.Str(7), row.Str(8), row.Str(9), row.Str(10)));
      if (row.Str(11) != prev || row.Str(12) != expect) {
        return MakeError(ErrorCode::kCorruption, "audit.chain_broken", {row.Str(0)});
      }
      prev = expect;
      last_id = row.Int(0);
      ++count;
    }
  }
  MAMORI_ASSIGN_OR_RETURN(auto head, conn->Query("SELECT last_hash FROM audit_chain WHERE id = 1"));
  if (count > 0 && (head.empty() || head[0].Str(0) != prev)) {
    return MakeError(ErrorCode::kCorruption, "audit.chain_truncated", {std::to_string(last_id)});
  }
  return count;
}

}  // namespace mamori::store
