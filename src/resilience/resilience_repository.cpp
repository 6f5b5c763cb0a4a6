#include "resilience/resilience_repository.hpp"

#include "core/crypto.hpp"

namespace mamori::resilience::repo {

using store::OptValue;
using store::Params;
using store::Row;
using store::Tx;
using store::Value;

namespace {

constexpr const char* kFileCols =
    "id, file_name, content_type, sha256, size, vendor_id, uploaded_by, uploaded_at";

StoredFile FileFrom(const Row& r) {
  StoredFile f;
  f.id = r.Int(0);
  f.file_name = r.Str(1);
  f.content_type = r.Str(2);
  f.sha256 = r.Str(3);
  f.size = r.Int(4);
  f.vendor_id = r.OptInt(5);
  f.uploaded_by = r.Str(6);
  f.uploaded_at = r.Int(7);
  return f;
}

// "AND vendor_id = ?" for a vendor's user; vendors see only their own rows.
std::string VendorClause(const Scope& scope, Params& params) {
  if (!scope.vendor_id) return "";
  params.emplace_back(*scope.vendor_id);
  return " AND vendor_id = ?";
}

Result<int64_t> InsertReturningId(Tx& tx, const std::string& sql, const Params& params) {
  MAMORI_ASSIGN_OR_RETURN(auto rows, tx.ExecReturning(sql + " RETURNING id", params));
  return rows.at(0).Int(0);
}

}  // namespace

Result<std::optional<StoredFile>> FileByHash(Tx& tx, const Scope& scope,
                                             const std::string& sha256) {
  Params p{scope.actor.org_id, sha256};
  std::string sql = std::string("SELECT ") + kFileCols +
                    " FROM evidence_files WHERE org_id = ? AND sha256 = ?" +
                    (scope.vendor_id ? " AND vendor_id = ?" : " AND vendor_id IS NULL");
  if (scope.vendor_id) p.emplace_back(*scope.vendor_id);
  MAMORI_ASSIGN_OR_RETURN(auto rows, tx.Query(sql, p));
  if (rows.empty()) return std::optional<StoredFile>();
  return std::optional<StoredFile>(FileFrom(rows[0]));
}

Result<std::optional<StoredFile>> FileById(Tx& tx, const Scope& scope, int64_t id,
                                           bool with_content) {
  Params p{scope.actor.org_id, id};
  std::string sql = std::string("SELECT ") + kFileCols + ", " +
                    (with_content ? "content_base64" : "''") +
                    " FROM evidence_files WHERE org_id = ? AND id = ?" + VendorClause(scope, p);
  MAMORI_ASSIGN_OR_RETURN(auto rows, tx.Query(sql, p));
  if (rows.empty()) return std::optional<StoredFile>();
  StoredFile f = FileFrom(rows[0]);
  if (with_content) {
    auto bytes = Base64Decode(rows[0].Str(8));
    if (!bytes) return MakeError(ErrorCode::kCorruption, "files.corrupt", {std::to_string(id)});
    f.content = std::move(*bytes);
  }
  return std::optional<StoredFile>(std::move(f));
}

Result<int64_t> InsertFile(Tx& tx, const Scope& scope, const StoredFile& f) {
  return InsertReturningId(
      tx,
      "INSERT INTO evidence_files (org_id, sha256, file_name, content_type, size, content_base64, "
      "vendor_id, uploaded_by, uploaded_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
      {scope.actor.org_id, f.sha256, f.file_name, f.content_type, f.size, Base64Encode(f.content),
       OptValue(f.vendor_id), f.uploaded_by, tx.now()});
}

Result<std::vector<OrgRole>> Roles(Tx& tx, const Scope& scope) {
  Params p{scope.actor.org_id};
  std::string sql =
      "SELECT id, role, person, title, vendor_id, appointed_on, ended_on, approval, "
      "approval_file_id, note FROM org_roles WHERE org_id = ?" +
      VendorClause(scope, p) + " ORDER BY role, appointed_on DESC, id";
  MAMORI_ASSIGN_OR_RETURN(auto rows, tx.Query(sql, p));
  std::vector<OrgRole> out;
  for (const auto& r : rows) {
    OrgRole o;
    o.id = r.Int(0);
    o.role = r.Str(1);
    o.person = r.Str(2);
    o.title = r.Str(3);
    o.vendor_id = r.OptInt(4);
    o.appointed_on = r.Str(5);
    o.ended_on = r.Str(6);
    o.approval = r.Str(7);
    o.approval_file_id = r.OptInt(8);
    o.note = r.Str(9);
    out.push_back(std::move(o));
  }
  return out;
}

namespace {
Params RoleValues(const OrgRole& r) {
  return {r.role,         r.person,   r.title,    OptValue(r.vendor_id),
          r.appointed_on, r.ended_on, r.approval, OptValue(r.approval_file_id),
          r.note};
}
constexpr const char* kRoleCols =
    "role, person, title, vendor_id, appointed_on, ended_on, approval, approval_file_id, note";
}  // namespace

Result<int64_t> InsertRole(Tx& tx, int64_t org_id, const OrgRole& r) {
  Params p = RoleValues(r);
  p.insert(p.begin(), org_id);
  return InsertReturningId(tx,
                           std::string("INSERT INTO org_roles (org_id, ") + kRoleCols +
                               ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                           p);
}

Status UpdateRole(Tx& tx, int64_t org_id, const OrgRole& r) {
  Params p = RoleValues(r);
  p.emplace_back(org_id);
  p.emplace_back(r.id);
  MAMORI_ASSIGN_OR_RETURN(
      auto n, tx.Exec("UPDATE org_roles SET role = ?, person = ?, title = ?, vendor_id = ?, "
                      "appointed_on = ?, ended_on = ?, approval = ?, approval_file_id = ?, "
                      "note = ? WHERE org_id = ? AND id = ?",
                      p));
  (void)n;
  return Ok();
}

namespace {
constexpr const char* kContactCols =
    "category, organisation, department, person, phone, phone_after_hours, email, hours, "
    "call_order, vendor_id, system_id, note";
Params ContactValues(const Contact& c) {
  return {c.category,
          c.organisation,
          c.department,
          c.person,
          c.phone,
          c.phone_after_hours,
          c.email,
          c.hours,
          c.call_order,
          OptValue(c.vendor_id),
          OptValue(c.system_id),
          c.note};
}
}  // namespace

Result<std::vector<Contact>> Contacts(Tx& tx, const Scope& scope) {
  Params p{scope.actor.org_id};
  std::string sql = std::string("SELECT id, ") + kContactCols +
                    ", updated_at FROM contacts WHERE org_id = ?" + VendorClause(scope, p) +
                    " ORDER BY call_order, id";
  MAMORI_ASSIGN_OR_RETURN(auto rows, tx.Query(sql, p));
  std::vector<Contact> out;
  for (const auto& r : rows) {
    Contact c;
    c.id = r.Int(0);
    c.category = r.Str(1);
    c.organisation = r.Str(2);
    c.department = r.Str(3);
    c.person = r.Str(4);
    c.phone = r.Str(5);
    c.phone_after_hours = r.Str(6);
    c.email = r.Str(7);
    c.hours = r.Str(8);
    c.call_order = r.Int(9);
    c.vendor_id = r.OptInt(10);
    c.system_id = r.OptInt(11);
    c.note = r.Str(12);
    c.updated_at = r.Int(13);
    out.push_back(std::move(c));
  }
  return out;
}

Result<int64_t> InsertContact(Tx& tx, int64_t org_id, const Contact& c) {
  Params p = ContactValues(c);
  p.insert(p.begin(), org_id);
  p.emplace_back(tx.now());
  return InsertReturningId(tx,
                           std::string("INSERT INTO contacts (org_id, ") + kContactCols +
                               ", updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                           p);
}

Status UpdateContact(Tx& tx, int64_t org_id, const Contact& c) {
  Params p = ContactValues(c);
  p.emplace_back(tx.now());
  p.emplace_back(org_id);
  p.emplace_back(c.id);
  MAMORI_ASSIGN_OR_RETURN(
      auto n,
      tx.Exec("UPDATE contacts SET category = ?, organisation = ?, department = ?, person = ?, "
              "phone = ?, phone_after_hours = ?, email = ?, hours = ?, call_order = ?, "
              "vendor_id = ?, system_id = ?, note = ?, updated_at = ? WHERE org_id = ? AND id = ?",
              p));
  (void)n;
  return Ok();
}

Status DeleteContact(Tx& tx, int64_t org_id, int64_t id) {
  MAMORI_ASSIGN_OR_RETURN(
      auto n, tx.Exec("DELETE FROM contacts WHERE org_id = ? AND id = ?", {org_id, id}));
  (void)n;
  return Ok();
}

Result<std::vector<BcpDocument>> BcpDocuments(Tx& tx, int64_t org_id) {
  MAMORI_ASSIGN_OR_RETURN(
      auto rows,
      tx.Query("SELECT id, title, version, cyber, approved_on, reviewed_on, file_id, note "
               "FROM bcp_documents WHERE org_id = ? ORDER BY approved_on DESC, id DESC",
               {org_id}));
  std::vector<BcpDocument> out;
  for (const auto& r : rows) {
    BcpDocument b;
    b.id = r.Int(0);
    b.title = r.Str(1);
    b.version = r.Str(2);
    b.cyber = r.Int(3) != 0;
    b.approved_on = r.Str(4);
    b.reviewed_on = r.Str(5);
    b.file_id = r.OptInt(6);
    b.note = r.Str(7);
    out.push_back(std::move(b));
  }
  return out;
}

Result<int64_t> InsertBcp(Tx& tx, int64_t org_id, const BcpDocument& b) {
  return InsertReturningId(tx,
                           "INSERT INTO bcp_documents (org_id, title, version, cyber, approved_on, "
                           "reviewed_on, file_id, note) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                           {org_id, b.title, b.version, int64_t{b.cyber ? 1 : 0}, b.approved_on,
                            b.reviewed_on, OptValue(b.file_id), b.note});
}

Status UpdateBcp(Tx& tx, int64_t org_id, const BcpDocument& b) {
  MAMORI_ASSIGN_OR_RETURN(
      auto n,
      tx.Exec("UPDATE bcp_documents SET title = ?, version = ?, cyber = ?, approved_on = ?, "
              "reviewed_on = ?, file_id = ?, note = ? WHERE org_id = ? AND id = ?",
              {b.title, b.version, int64_t{b.cyber ? 1 : 0}, b.approved_on, b.reviewed_on,
               OptValue(b.file_id), b.note, org_id, b.id}));
  (void)n;
  return Ok();
}

Result<std::vector<Drill>> Drills(Tx& tx, int64_t org_id) {
  MAMORI_ASSIGN_OR_RETURN(
      auto rows,
      tx.Query("SELECT id, held_on, scenario, participants, findings, file_id FROM drills "
               "WHERE org_id = ? ORDER BY held_on DESC, id DESC",
               {org_id}));
  std::vector<Drill> out;
  for (const auto& r : rows) {
    Drill d;
    d.id = r.Int(0);
    d.held_on = r.Str(1);
    d.scenario = r.Str(2);
    d.participants = r.Str(3);
    d.findings = r.Str(4);
    d.file_id = r.OptInt(5);
    out.push_back(std::move(d));
  }
  return out;
}

Result<int64_t> InsertDrill(Tx& tx, int64_t org_id, const Drill& d) {
  return InsertReturningId(
      tx,
      "INSERT INTO drills (org_id, held_on, scenario, participants, findings, "
      "file_id) VALUES (?, ?, ?, ?, ?, ?)",
      {org_id, d.held_on, d.scenario, d.participants, d.findings, OptValue(d.file_id)});
}

}  // namespace mamori::resilience::repo
