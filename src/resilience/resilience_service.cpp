#include "resilience/resilience_service.hpp"

#include <algorithm>

#include "core/crypto.hpp"
#include "resilience/resilience_repository.hpp"

namespace mamori::resilience {

namespace {

constexpr size_t kMaxFileBytes = 32 << 20;
constexpr const char* kRoles[] = {"security_officer", "planning_manager", "operations",
                                  "vendor_manager"};

template <size_t N>
bool OneOf(const std::string& v, const char* const (&allowed)[N]) {
  return std::any_of(std::begin(allowed), std::end(allowed), [&](const char* a) { return v == a; });
}

Error NotFound(const char* what, int64_t id) {
  return MakeError(ErrorCode::kNotFound, "common.not_found", {what, std::to_string(id)});
}

Error Missing(const char* field) {
  return MakeError(ErrorCode::kInvalidArgument, "json.missing_field", {field}, field);
}

// Records that name a file must name one the caller can see.
Status CheckFile(store::Tx& tx, const Scope& scope, const std::optional<int64_t>& id) {
  if (!id) return Ok();
  MAMORI_ASSIGN_OR_RETURN(auto f, repo::FileById(tx, scope, *id, false));
  if (!f) return NotFound("file", *id);
  return Ok();
}

}  // namespace

Json StoredFile::ToJson() const {
  return Json{{"id", id},
              {"file_name", file_name},
              {"content_type", content_type},
              {"sha256", sha256},
              {"size", size},
              {"vendor_id", vendor_id ? Json(*vendor_id) : Json()},
              {"uploaded_by", uploaded_by},
              {"uploaded_at", uploaded_at}};
}

Json OrgRole::ToJson() const {
  return Json{{"id", id},
              {"role", role},
              {"person", person},
              {"title", title},
              {"vendor_id", vendor_id ? Json(*vendor_id) : Json()},
              {"appointed_on", appointed_on},
              {"ended_on", ended_on},
              {"approval", approval},
              {"approval_file_id", approval_file_id ? Json(*approval_file_id) : Json()},
              {"note", note}};
}

bool OrgRole::ActiveOn(const std::string& day) const {
  return (appointed_on.empty() || appointed_on <= day) && (ended_on.empty() || ended_on >= day);
}

Json Contact::ToJson() const {
  return Json{{"id", id},
              {"category", category},
              {"organisation", organisation},
              {"department", department},
              {"person", person},
              {"phone", phone},
              {"phone_after_hours", phone_after_hours},
              {"email", email},
              {"hours", hours},
              {"call_order", call_order},
              {"vendor_id", vendor_id ? Json(*vendor_id) : Json()},
              {"system_id", system_id ? Json(*system_id) : Json()},
              {"note", note},
              {"updated_at", updated_at}};
}

Json BcpDocument::ToJson() const {
  return Json{{"id", id},
              {"title", title},
              {"version", version},
              {"cyber", cyber},
              {"approved_on", approved_on},
              {"reviewed_on", reviewed_on},
              {"file_id", file_id ? Json(*file_id) : Json()},
              {"note", note}};
}

Json Drill::ToJson() const {
  return Json{{"id", id},
              {"held_on", held_on},
              {"scenario", scenario},
              {"participants", participants},
              {"findings", findings},
              {"file_id", file_id ? Json(*file_id) : Json()}};
}

Status ReadRole(JsonBody& body, OrgRole& r) {
  body.Read("role", r.role, 40);
  body.Read("person", r.person, 200);
  body.Read("title", r.title, 200);
  body.ReadId("vendor_id", r.vendor_id);
  body.ReadDate("appointed_on", r.appointed_on);
  body.ReadDate("ended_on", r.ended_on);
  body.Read("approval", r.approval, 500);
  body.ReadId("approval_file_id", r.approval_file_id);
  body.Read("note", r.note, 2000);
  MAMORI_RETURN_IF_ERROR(body.Finish());
  if (!OneOf(r.role, kRoles))
    return MakeError(ErrorCode::kInvalidArgument, "resilience.bad_role", {r.role}, "role");
  if (r.person.empty()) return Missing("person");
  if (r.role == "vendor_manager" && !r.vendor_id) return Missing("vendor_id");
  return Ok();
}

Status ReadContact(JsonBody& body, Contact& c) {
  body.Read("category", c.category, 40);
  body.Read("organisation", c.organisation, 200);
  body.Read("department", c.department, 200);
  body.Read("person", c.person, 200);
  body.Read("phone", c.phone, 50);
  body.Read("phone_after_hours", c.phone_after_hours, 50);
  body.Read("email", c.email, 200);
  body.Read("hours", c.hours, 100);
  if (auto v = body.Int("call_order", false)) c.call_order = *v;
  body.ReadId("vendor_id", c.vendor_id);
  body.ReadId("system_id", c.system_id);
  body.Read("note", c.note, 2000);
  MAMORI_RETURN_IF_ERROR(body.Finish());
  if (!OneOf(c.category, kContactCategories))
    return MakeError(ErrorCode::kInvalidArgument, "resilience.bad_category", {c.category},
                     "category");
  if (c.organisation.empty()) return Missing("organisation");
  if (c.phone.empty() && c.email.empty()) return Missing("phone");
  if (c.category == "vendor" && !c.vendor_id) return Missing("vendor_id");
  return Ok();
}

Status ReadBcp(JsonBody& body, BcpDocument& b) {
  body.Read("title", b.title, 300);
  body.Read("version", b.version, 50);
  if (auto v = body.Bool("cyber", false)) b.cyber = *v;
  body.ReadDate("approved_on", b.approved_on);
  body.ReadDate("reviewed_on", b.reviewed_on);
  body.ReadId("file_id", b.file_id);
  body.Read("note", b.note, 2000);
  MAMORI_RETURN_IF_ERROR(body.Finish());
  if (b.title.empty()) return Missing("title");
  return Ok();
}

Status ReadDrill(JsonBody& body, Drill& d) {
  body.ReadDate("held_on", d.held_on);
  body.Read("scenario", d.scenario, 1000);
  body.Read("participants", d.participants, 2000);
  body.Read("findings", d.findings, 8000);
  body.ReadId("file_id", d.file_id);
  MAMORI_RETURN_IF_ERROR(body.Finish());
  if (d.held_on.empty()) return Missing("held_on");
  if (d.scenario.empty()) return Missing("scenario");
  return Ok();
}

Result<StoredFile> ResilienceService::PutFile(const Scope& scope, const std::string& file_name,
                                              const std::string& content_type,
                                              const std::string& bytes) {
  if (file_name.empty()) return Missing("file_name");
  if (bytes.empty()) return Missing("content_base64");
  if (bytes.size() > kMaxFileBytes)
    return MakeError(ErrorCode::kTooLarge, "files.too_large",
                     {file_name, std::to_string(kMaxFileBytes >> 20)}, "content_base64");
  MAMORI_ASSIGN_OR_RETURN(auto tx, store::Tx::Begin(db_, scope.actor));
  std::string sha = Sha256Hex(bytes);
  MAMORI_ASSIGN_OR_RETURN(auto existing, repo::FileByHash(tx, scope, sha));
  if (existing) return *existing;
  StoredFile f;
  f.file_name = file_name;
  f.content_type = content_type.empty() ? "application/octet-stream" : content_type;
  f.sha256 = sha;
  f.size = static_cast<int64_t>(bytes.size());
  f.vendor_id = scope.vendor_id;
  f.uploaded_by = scope.actor.username;
  f.content = bytes;
  MAMORI_ASSIGN_OR_RETURN(f.id, repo::InsertFile(tx, scope, f));
  f.uploaded_at = tx.now();
  f.content.clear();
  MAMORI_RETURN_IF_ERROR(
      tx.Audit({"file.upload", "evidence_file", std::to_string(f.id), nullptr, f.ToJson()}));
  MAMORI_RETURN_IF_ERROR(tx.Commit());
  return f;
}

Result<StoredFile> ResilienceService::GetFile(const Scope& scope, int64_t id) {
  MAMORI_ASSIGN_OR_RETURN(auto tx, store::Tx::BeginRead(db_, scope.actor));
  MAMORI_ASSIGN_OR_RETURN(auto f, repo::FileById(tx, scope, id, true));
  if (!f) return NotFound("file", id);
  return std::move(*f);
}

Result<std::vector<OrgRole>> ResilienceService::ListRoles(const Scope& scope) {
  MAMORI_ASSIGN_OR_RETURN(auto tx, store::Tx::BeginRead(db_, scope.actor));
  return repo::Roles(tx, scope);
}

Result<OrgRole> ResilienceService::AddRole(const Scope& scope, const OrgRole& r) {
  OrgRole out = r;
  if (scope.vendor_id) {  // a vendor records only its own 管理責任者
    out.role = "vendor_manager";
    out.vendor_id = scope.vendor_id;
  }
  if (out.person.empty()) return Missing("person");
  MAMORI_ASSIGN_OR_RETURN(auto tx, store::Tx::Begin(db_, scope.actor));
  MAMORI_RETURN_IF_ERROR(CheckFile(tx, scope, out.approval_file_id));
  MAMORI_ASSIGN_OR_RETURN(out.id, repo::InsertRole(tx, scope.actor.org_id, out));
  MAMORI_RETURN_IF_ERROR(
      tx.Audit({"org_role.create", "org_role", std::to_string(out.id), nullptr, out.ToJson()}));
  MAMORI_RETURN_IF_ERROR(tx.Commit());
  return out;
}

Result<OrgRole> ResilienceService::UpdateRole(const Scope& scope, int64_t id, JsonBody& body) {
  MAMORI_ASSIGN_OR_RETURN(auto tx, store::Tx::Begin(db_, scope.actor));
  MAMORI_ASSIGN_OR_RETURN(auto all, repo::Roles(tx, scope));
  auto it = std::find_if(all.begin(), all.end(), [&](const OrgRole& r) { return r.id == id; });
  if (it == all.end()) return NotFound("org_role", id);
  OrgRole before = *it;
  OrgRole after = before;
  MAMORI_RETURN_IF_ERROR(ReadRole(body, after));
  if (scope.vendor_id && (after.role != "vendor_manager" || after.vendor_id != scope.vendor_id))
    return MakeError(ErrorCode::kPermissionDenied, "auth.forbidden");
  MAMORI_RETURN_IF_ERROR(CheckFile(tx, scope, after.approval_file_id));
  MAMORI_RETURN_IF_ERROR(repo::UpdateRole(tx, scope.actor.org_id, after));
  MAMORI_RETURN_IF_ERROR(tx.Audit(
      {"org_role.update", "org_role", std::to_string(id), before.ToJson(), after.ToJson()}));
  MAMORI_RETURN_IF_ERROR(tx.Commit());
  return after;
}

Result<std::vector<Contact>> ResilienceService::ListContacts(const Scope& scope) {
  MAMORI_ASSIGN_OR_RETURN(auto tx, store::Tx::BeginRead(db_, scope.actor));
  return repo::Contacts(tx, scope);
}

Result<Contact> ResilienceService::AddContact(const Scope& scope, const Contact& c) {
  Contact out = c;
  if (scope.vendor_id) {
    out.category = "vendor";
    out.vendor_id = scope.vendor_id;
  }
  if (out.organisation.empty()) return Missing("organisation");
  MAMORI_ASSIGN_OR_RETURN(auto tx, store::Tx::Begin(db_, scope.actor));
  MAMORI_ASSIGN_OR_RETURN(out.id, repo::InsertContact(tx, scope.actor.org_id, out));
  out.updated_at = tx.now();
  MAMORI_RETURN_IF_ERROR(
      tx.Audit({"contact.create", "contact", std::to_string(out.id), nullptr, out.ToJson()}));
  MAMORI_RETURN_IF_ERROR(tx.Commit());
  return out;
}

Result<Contact> ResilienceService::UpdateContact(const Scope& scope, int64_t id, JsonBody& body) {
  MAMORI_ASSIGN_OR_RETURN(auto tx, store::Tx::Begin(db_, scope.actor));
  MAMORI_ASSIGN_OR_RETURN(auto all, repo::Contacts(tx, scope));
  auto it = std::find_if(all.begin(), all.end(), [&](const Contact& c) { return c.id == id; });
  if (it == all.end()) return NotFound("contact", id);
  Contact before = *it;
  Contact after = before;
  MAMORI_RETURN_IF_ERROR(ReadContact(body, after));
  if (scope.vendor_id && (after.category != "vendor" || after.vendor_id != scope.vendor_id))
    return MakeError(ErrorCode::kPermissionDenied, "auth.forbidden");
  MAMORI_RETURN_IF_ERROR(repo::UpdateContact(tx, scope.actor.org_id, after));
  after.updated_at = tx.now();
  MAMORI_RETURN_IF_ERROR(
      tx.Audit({"contact.update", "contact", std::to_string(id), before.ToJson(), after.ToJson()}));
  MAMORI_RETURN_IF_ERROR(tx.Commit());
  return after;
}

Status ResilienceService::DeleteContact(const Scope& scope, int64_t id) {
  MAMORI_ASSIGN_OR_RETURN(auto tx, store::Tx::Begin(db_, scope.actor));
  MAMORI_ASSIGN_OR_RETURN(auto all, repo::Contacts(tx, scope));
  auto it = std::find_if(all.begin(), all.end(), [&](const Contact& c) { return c.id == id; });
  if (it == all.end()) return NotFound("contact", id);
  MAMORI_RETURN_IF_ERROR(repo::DeleteContact(tx, scope.actor.org_id, id));
  MAMORI_RETURN_IF_ERROR(
      tx.Audit({"contact.delete", "contact", std::to_string(id), it->ToJson(), nullptr}));
  return tx.Commit();
}

Result<std::vector<BcpDocument>> ResilienceService::ListBcp(const Scope& scope) {
  if (scope.vendor_id) return std::vector<BcpDocument>();
  MAMORI_ASSIGN_OR_RETURN(auto tx, store::Tx::BeginRead(db_, scope.actor));
  return repo::BcpDocuments(tx, scope.actor.org_id);
}

Result<BcpDocument> ResilienceService::AddBcp(const Scope& scope, const BcpDocument& b) {
  if (scope.vendor_id) return MakeError(ErrorCode::kPermissionDenied, "auth.forbidden");
  if (b.title.empty()) return Missing("title");
  BcpDocument out = b;
  MAMORI_ASSIGN_OR_RETURN(auto tx, store::Tx::Begin(db_, scope.actor));
  MAMORI_RETURN_IF_ERROR(CheckFile(tx, scope, out.file_id));
  MAMORI_ASSIGN_OR_RETURN(out.id, repo::InsertBcp(tx, scope.actor.org_id, out));
  MAMORI_RETURN_IF_ERROR(
      tx.Audit({"bcp.create", "bcp_document", std::to_string(out.id), nullptr, out.ToJson()}));
  MAMORI_RETURN_IF_ERROR(tx.Commit());
  return out;
}

Result<BcpDocument> ResilienceService::UpdateBcp(const Scope& scope, int64_t id, JsonBody& body) {
  if (scope.vendor_id) return MakeError(ErrorCode::kPermissionDenied, "auth.forbidden");
  MAMORI_ASSIGN_OR_RETURN(auto tx, store::Tx::Begin(db_, scope.actor));
  MAMORI_ASSIGN_OR_RETURN(auto all, repo::BcpDocuments(tx, scope.actor.org_id));
  auto it = std::find_if(all.begin(), all.end(), [&](const BcpDocument& b) { return b.id == id; });
  if (it == all.end()) return NotFound("bcp_document", id);
  BcpDocument before = *it;
  BcpDocument after = before;
  MAMORI_RETURN_IF_ERROR(ReadBcp(body, after));
  MAMORI_RETURN_IF_ERROR(CheckFile(tx, scope, after.file_id));
  MAMORI_RETURN_IF_ERROR(repo::UpdateBcp(tx, scope.actor.org_id, after));
  MAMORI_RETURN_IF_ERROR(tx.Audit(
      {"bcp.update", "bcp_document", std::to_string(id), before.ToJson(), after.ToJson()}));
  MAMORI_RETURN_IF_ERROR(tx.Commit());
  return after;
}

Result<std::vector<Drill>> ResilienceService::ListDrills(const Scope& scope) {
  if (scope.vendor_id) return std::vector<Drill>();
  MAMORI_ASSIGN_OR_RETURN(auto tx, store::Tx::BeginRead(db_, scope.actor));
  return repo::Drills(tx, scope.actor.org_id);
}

Result<Drill> ResilienceService::AddDrill(const Scope& scope, const Drill& d) {
  if (scope.vendor_id) return MakeError(ErrorCode::kPermissionDenied, "auth.forbidden");
  if (d.held_on.empty()) return Missing("held_on");
  Drill out = d;
  MAMORI_ASSIGN_OR_RETURN(auto tx, store::Tx::Begin(db_, scope.actor));
  MAMORI_RETURN_IF_ERROR(CheckFile(tx, scope, out.file_id));
  MAMORI_ASSIGN_OR_RETURN(out.id, repo::InsertDrill(tx, scope.actor.org_id, out));
  MAMORI_RETURN_IF_ERROR(
      tx.Audit({"drill.create", "drill", std::to_string(out.id), nullptr, out.ToJson()}));
  MAMORI_RETURN_IF_ERROR(tx.Commit());
  return out;
}

}  // namespace mamori::resilience
