// The MHLW checklist (forms, assessments with suggested answers, answers, history, evidence,
// exports) and the organisation's records it asks about (roles, contacts, BCP, drills, evidence
// files), over the same capability APIs the CLI uses. Inspectors and auditors read; a vendor's
// user works on its own 事業者確認用 and its own contact entries only.
#include "checklist/checklist_export.hpp"
#include "core/crypto.hpp"
#include "resilience/contact_documents.hpp"
#include "server/api.hpp"

namespace mamori::server {

namespace {

using auth::Access;
using auth::Resource;

std::string Today() {
  return FormatDateJst(SystemClock().Now());
}

Result<checklist::AssessQuery> QueryOf(const RequestContext& c) {
  checklist::AssessQuery q;
  q.year = c.Param("year");
  q.form = c.Param("form", "hospital");
  if (!c.Param("vendor_id").empty()) {
    MAMORI_ASSIGN_OR_RETURN(int64_t v, c.IntParam("vendor_id", 0));
    q.vendor_id = v;
  }
  return q;
}

Result<Reply> Forms(RequestContext& c, Services& s) {
  MAMORI_ASSIGN_OR_RETURN(auto forms, s.checklist.Forms(c.scope()));
  Json items = Json::array();
  for (const auto& f : forms) items.push_back(f.ToJson());
  return JsonReply(200, Json{{"items", items}, {"current_year", checklist::FiscalYearOf(Today())}});
}

Result<Reply> ImportForm(RequestContext& c, Services& s) {
  MAMORI_ASSIGN_OR_RETURN(auto body, JsonBody::Parse(c.body));
  checklist::OfficialImportOptions opt;
  opt.file_name = body.String("file_name", true, 255).value_or("");
  MAMORI_ASSIGN_OR_RETURN(std::string bytes, FileContent(body, true));
  body.Read("year", opt.year, 20);
  body.Read("form", opt.form, 20);
  bool dry_run = body.Bool("dry_run", false).value_or(false);
  MAMORI_RETURN_IF_ERROR(body.Finish());
  MAMORI_ASSIGN_OR_RETURN(auto r, s.checklist.ImportOfficial(c.scope(), bytes, opt, dry_run));
  Json j = r.ToJson();
  j["dry_run"] = dry_run;
  return JsonReply(dry_run ? 200 : 201, j);
}

Result<Reply> GetSettings(RequestContext& c, Services& s) {
  MAMORI_ASSIGN_OR_RETURN(auto st, s.checklist.Settings(c.scope()));
  return JsonReply(200, st.ToJson());
}

Result<Reply> PatchSettings(RequestContext& c, Services& s) {
  MAMORI_ASSIGN_OR_RETURN(auto body, JsonBody::Parse(c.body));
  MAMORI_ASSIGN_OR_RETURN(auto st, s.checklist.UpdateSettings(c.scope(), body));
  return JsonReply(200, st.ToJson());
}

Result<Reply> GetAssessment(RequestContext& c, Services& s) {
  MAMORI_ASSIGN_OR_RETURN(auto q, QueryOf(c));
  MAMORI_ASSIGN_OR_RETURN(auto a, s.checklist.Assess(c.scope(), q, Today()));
  return JsonReply(200, a.ToJson(c.lang));
}

Result<Reply> PostAnswer(RequestContext& c, Services& s) {
  MAMORI_ASSIGN_OR_RETURN(auto body, JsonBody::Parse(c.body));
  checklist::AnswerRecord a;
  body.Read("year", a.year, 20);
  body.Read("form", a.form, 20);
  if (auto v = body.Int("vendor_id", false)) a.vendor_id = *v;
  a.item_id = body.String("item_id", true, 40).value_or("");
  body.Read("row", a.row, 20);
  if (auto v = body.Int("round", false)) a.round = *v;
  a.answer = body.String("answer", true, 20).value_or("");
  body.Read("checked_on", a.checked_on, 40);
  body.Read("target_on", a.target_on, 40);
  body.Read("note", a.note, 4000);
  MAMORI_RETURN_IF_ERROR(body.Finish());
  if (a.form.empty()) a.form = "hospital";
  MAMORI_ASSIGN_OR_RETURN(auto saved, s.checklist.SetAnswer(c.scope(), a, Today()));
  return JsonReply(200, saved.ToJson());
}

Result<Reply> History(RequestContext& c, Services& s) {
  MAMORI_ASSIGN_OR_RETURN(auto q, QueryOf(c));
  if (q.year.empty()) q.year = checklist::FiscalYearOf(Today());
  MAMORI_ASSIGN_OR_RETURN(auto h, s.checklist.History(c.scope(), q, c.Param("item_id")));
  return JsonReply(200, Json{{"items", h}});
}

Result<Reply> PostEvidence(RequestContext& c, Services& s) {
  MAMORI_ASSIGN_OR_RETURN(auto body, JsonBody::Parse(c.body));
  checklist::AssessQuery q;
  body.Read("year", q.year, 20);
  q.form = body.String("form", false, 20).value_or("hospital");
  if (auto v = body.Int("vendor_id", false)) q.vendor_id = *v;
  checklist::EvidenceItem e;
  e.item_id = body.String("item_id", true, 40).value_or("");
  e.kind = body.String("kind", true, 10).value_or("");
  body.ReadId("file_id", e.file_id);
  body.Read("link", e.link, 2000);
  e.label = body.String("label", true, 300).value_or("");
  MAMORI_RETURN_IF_ERROR(body.Finish());
  if (q.year.empty()) q.year = checklist::FiscalYearOf(Today());
  MAMORI_ASSIGN_OR_RETURN(auto saved, s.checklist.AddEvidence(c.scope(), q, e));
  return JsonReply(201, saved.ToJson());
}

Result<Reply> Export(RequestContext& c, Services& s) {
  MAMORI_ASSIGN_OR_RETURN(auto q, QueryOf(c));
  MAMORI_ASSIGN_OR_RETURN(auto org, s.auth.GetOrg(c.scope().actor.org_id));
  checklist::ExportRequest req{q, c.Param("format", "xlsx"), Today(), org.name, c.lang};
  MAMORI_ASSIGN_OR_RETURN(auto f,
                          checklist::ExportAssessment(s.checklist, s.ledger, c.scope(), req));
  return FileReply(std::move(f.content), f.content_type, f.file_name);
}

Result<Reply> PostFile(RequestContext& c, Services& s) {
  MAMORI_ASSIGN_OR_RETURN(auto body, JsonBody::Parse(c.body));
  std::string name = body.String("file_name", true, 255).value_or("");
  std::string type = body.String("content_type", false, 100).value_or("");
  MAMORI_ASSIGN_OR_RETURN(std::string bytes, FileContent(body, true));
  MAMORI_RETURN_IF_ERROR(body.Finish());
  MAMORI_ASSIGN_OR_RETURN(auto f, s.records.PutFile(c.scope(), name, type, bytes));
  return JsonReply(201, f.ToJson());
}

Result<Reply> GetFile(RequestContext& c, Services& s) {
  MAMORI_ASSIGN_OR_RETURN(int64_t id, c.PathId());
  MAMORI_ASSIGN_OR_RETURN(auto f, s.records.GetFile(c.scope(), id));
  return FileReply(std::move(f.content), f.content_type, f.file_name);
}

// POST: a new record read from the body; PATCH: the stored one updated from it.
template <typename T, typename Read, typename Add>
Result<Reply> Create(RequestContext& c, Read read, Add add) {
  MAMORI_ASSIGN_OR_RETURN(auto body, JsonBody::Parse(c.body));
  T rec;
  MAMORI_RETURN_IF_ERROR(read(body, rec));
  MAMORI_ASSIGN_OR_RETURN(auto saved, add(rec));
  return JsonReply(201, saved.ToJson());
}

template <typename Update>
Result<Reply> Patch(RequestContext& c, Update update) {
  MAMORI_ASSIGN_OR_RETURN(int64_t id, c.PathId());
  MAMORI_ASSIGN_OR_RETURN(auto body, JsonBody::Parse(c.body));
  MAMORI_ASSIGN_OR_RETURN(auto saved, update(id, body));
  return JsonReply(200, saved.ToJson());
}

Result<Reply> ListRoles(RequestContext& c, Services& s) {
  MAMORI_ASSIGN_OR_RETURN(auto all, s.records.ListRoles(c.scope()));
  return ItemsReply(all);
}
Result<Reply> AddRole(RequestContext& c, Services& s) {
  return Create<resilience::OrgRole>(
      c, resilience::ReadRole, [&](const auto& r) { return s.records.AddRole(c.scope(), r); });
}
Result<Reply> PatchRole(RequestContext& c, Services& s) {
  return Patch(c, [&](int64_t id, JsonBody& b) { return s.records.UpdateRole(c.scope(), id, b); });
}
Result<Reply> ListContacts(RequestContext& c, Services& s) {
  MAMORI_ASSIGN_OR_RETURN(auto all, s.records.ListContacts(c.scope()));
  return ItemsReply(all);
}
Result<Reply> AddContact(RequestContext& c, Services& s) {
  return Create<resilience::Contact>(c, resilience::ReadContact, [&](const auto& r) {
    return s.records.AddContact(c.scope(), r);
  });
}
Result<Reply> PatchContact(RequestContext& c, Services& s) {
  return Patch(c,
               [&](int64_t id, JsonBody& b) { return s.records.UpdateContact(c.scope(), id, b); });
}
Result<Reply> DeleteContact(RequestContext& c, Services& s) {
  MAMORI_ASSIGN_OR_RETURN(int64_t id, c.PathId());
  MAMORI_RETURN_IF_ERROR(s.records.DeleteContact(c.scope(), id));
  return JsonReply(200, Json{{"deleted", id}});
}
Result<Reply> ListBcp(RequestContext& c, Services& s) {
  MAMORI_ASSIGN_OR_RETURN(auto all, s.records.ListBcp(c.scope()));
  return ItemsReply(all);
}
Result<Reply> AddBcp(RequestContext& c, Services& s) {
  return Create<resilience::BcpDocument>(
      c, resilience::ReadBcp, [&](const auto& r) { return s.records.AddBcp(c.scope(), r); });
}
Result<Reply> PatchBcp(RequestContext& c, Services& s) {
  return Patch(c, [&](int64_t id, JsonBody& b) { return s.records.UpdateBcp(c.scope(), id, b); });
}
Result<Reply> ListDrills(RequestContext& c, Services& s) {
  MAMORI_ASSIGN_OR_RETURN(auto all, s.records.ListDrills(c.scope()));
  return ItemsReply(all);
}
Result<Reply> AddDrill(RequestContext& c, Services& s) {
  return Create<resilience::Drill>(c, resilience::ReadDrill,
                                   [&](const auto& r) { return s.records.AddDrill(c.scope(), r); });
}

Result<Reply> CreateShare(RequestContext& c, Services& s) {
  MAMORI_ASSIGN_OR_RETURN(auto body, JsonBody::Parse(c.body));
  std::string year = body.String("year", false, 20).value_or(checklist::FiscalYearOf(Today()));
  int64_t days = body.Int("days", false).value_or(14);
  std::string note = body.String("note", false, 300).value_or("");
  MAMORI_RETURN_IF_ERROR(body.Finish());
  MAMORI_ASSIGN_OR_RETURN(auto l, s.checklist.CreateShareLink(c.scope(), year, days, note));
  Json j = l.ToJson();
  j["path"] = "/#/share/" + l.token;
  return JsonReply(201, j);
}

Result<Reply> ListShares(RequestContext& c, Services& s) {
  MAMORI_ASSIGN_OR_RETURN(auto all, s.checklist.ListShareLinks(c.scope()));
  return ItemsReply(all);
}

Result<Reply> RevokeShare(RequestContext& c, Services& s) {
  MAMORI_ASSIGN_OR_RETURN(int64_t id, c.PathId());
  MAMORI_RETURN_IF_ERROR(s.checklist.RevokeShareLink(c.scope(), id));
  return JsonReply(200, Json{{"revoked", id}});
}

// The read-only view behind a share link: the organisation's forms for the link's year, acting
// as an inspector would (no vendor scope, nothing writable).
struct Shared {
  ledger::Scope scope;
  checklist::AssessQuery query;
};

Result<Shared> SharedScope(RequestContext& c, Services& s) {
  MAMORI_ASSIGN_OR_RETURN(auto grant, s.checklist.ResolveShareLink(c.path_ids.at(0), c.ip));
  Shared out;
  out.scope.actor =
      store::Actor{grant.org_id, std::nullopt, "share-link:" + std::to_string(grant.link_id), c.ip};
  MAMORI_ASSIGN_OR_RETURN(out.query, QueryOf(c));
  out.query.year = grant.year;
  return out;
}

Result<Reply> SharedAssessment(RequestContext& c, Services& s) {
  MAMORI_ASSIGN_OR_RETURN(auto sh, SharedScope(c, s));
  MAMORI_ASSIGN_OR_RETURN(auto a, s.checklist.Assess(sh.scope, sh.query, Today()));
  Json j = a.ToJson(c.lang);
  MAMORI_ASSIGN_OR_RETURN(auto org, s.auth.GetOrg(sh.scope.actor.org_id));
  j["org_name"] = org.name;
  MAMORI_ASSIGN_OR_RETURN(auto vendors, s.ledger.ListVendors(sh.scope));
  Json vs = Json::array();
  for (const auto& v : vendors)
    if (v.contract_state == "active") vs.push_back(Json{{"id", v.id}, {"name", v.name}});
  j["vendors"] = vs;
  return JsonReply(200, j);
}

Result<Reply> SharedExport(RequestContext& c, Services& s) {
  MAMORI_ASSIGN_OR_RETURN(auto sh, SharedScope(c, s));
  MAMORI_ASSIGN_OR_RETURN(auto org, s.auth.GetOrg(sh.scope.actor.org_id));
  checklist::ExportRequest req{sh.query, c.Param("format", "pdf"), Today(), org.name, c.lang};
  MAMORI_ASSIGN_OR_RETURN(auto f,
                          checklist::ExportAssessment(s.checklist, s.ledger, sh.scope, req));
  return FileReply(std::move(f.content), f.content_type, f.file_name);
}

Result<resilience::ContactDocInput> ContactInput(RequestContext& c, Services& s) {
  resilience::ContactDocInput in;
  MAMORI_ASSIGN_OR_RETURN(auto org, s.auth.GetOrg(c.scope().actor.org_id));
  in.org_name = org.name;
  in.today = Today();
  MAMORI_ASSIGN_OR_RETURN(in.contacts, s.records.ListContacts(c.scope()));
  MAMORI_ASSIGN_OR_RETURN(in.vendors, s.ledger.ListVendors(c.scope()));
  MAMORI_ASSIGN_OR_RETURN(in.systems, s.ledger.ListSystems(c.scope()));
  return in;
}

Result<Reply> SharedFile(RequestContext& c, Services& s) {
  MAMORI_ASSIGN_OR_RETURN(auto sh, SharedScope(c, s));
  MAMORI_ASSIGN_OR_RETURN(int64_t id, c.PathId(1));
  MAMORI_ASSIGN_OR_RETURN(auto visible, s.checklist.EvidenceFileIds(sh.scope, sh.query.year));
  if (!visible.contains(id))
    return MakeError(ErrorCode::kNotFound, "common.not_found", {"file", std::to_string(id)});
  MAMORI_ASSIGN_OR_RETURN(auto f, s.records.GetFile(sh.scope, id));
  return FileReply(std::move(f.content), f.content_type, f.file_name);
}

// 連絡体制図: a diagram (SVG) or a table (PDF); the 院内掲示用 poster (PDF).
Result<Reply> ContactChartPdf(RequestContext& c, Services& s) {
  MAMORI_ASSIGN_OR_RETURN(auto in, ContactInput(c, s));
  MAMORI_ASSIGN_OR_RETURN(auto bytes, resilience::ContactChartPdf(in));
  return FileReply(std::move(bytes), "application/pdf", "連絡体制図_" + in.today + ".pdf");
}

Result<Reply> ContactChartSvg(RequestContext& c, Services& s) {
  MAMORI_ASSIGN_OR_RETURN(auto in, ContactInput(c, s));
  return FileReply(resilience::ContactChartSvg(in), "image/svg+xml; charset=utf-8",
                   "連絡体制図_" + in.today + ".svg");
}

Result<Reply> Poster(RequestContext& c, Services& s) {
  MAMORI_ASSIGN_OR_RETURN(auto in, ContactInput(c, s));
  MAMORI_ASSIGN_OR_RETURN(auto bytes, resilience::IncidentPosterPdf(in));
  return FileReply(std::move(bytes), "application/pdf", "院内掲示_サイバー攻撃時の連絡先.pdf");
}

}  // namespace

void AddChecklistEndpoints(std::vector<Endpoint>& v) {
  using R = Resource;
  using A = Access;
  const std::vector<Endpoint> mine = {
      {"GET", "/api/v1/checklist/forms", "checklist", "チェックリストの様式 / Checklist forms",
       true, R::kChecklist, A::kRead, false, Forms},
      {"POST", "/api/v1/checklist/forms/import", "checklist",
       "厚生労働省の様式（Excel）の取込 / Load the MHLW form workbook", true, R::kChecklist,
       A::kWrite, false, ImportForm},
      {"GET", "/api/v1/checklist/settings", "checklist",
       "判定に使う間隔（日数） / Intervals the evaluators apply", true, R::kChecklist, A::kRead,
       false, GetSettings},
      {"PATCH", "/api/v1/checklist/settings", "checklist",
       "判定の間隔の変更 / Change the intervals", true, R::kChecklist, A::kWrite, false,
       PatchSettings},
      {"GET", "/api/v1/checklist/assessment", "checklist",
       "チェックリストの回答と判定（year, form, vendor_id） / Assessment with suggested answers",
       true, R::kChecklist, A::kRead, false, GetAssessment},
      {"POST", "/api/v1/checklist/answers", "checklist", "回答の記録 / Record an answer", true,
       R::kChecklist, A::kWrite, false, PostAnswer},
      {"GET", "/api/v1/checklist/history", "checklist", "回答の履歴 / Answer history", true,
       R::kChecklist, A::kRead, false, History},
      {"POST", "/api/v1/checklist/evidence", "checklist", "根拠の追加 / Attach evidence", true,
       R::kChecklist, A::kWrite, false, PostEvidence},
      {"GET", "/api/v1/checklist/export", "checklist",
       "様式の出力（xlsx・pdf・json） / Export the filled forms", true, R::kChecklist, A::kRead,
       false, Export},
      {"POST", "/api/v1/files", "checklist", "根拠ファイルの登録 / Upload an evidence file", true,
       R::kChecklist, A::kWrite, false, PostFile},
      {"GET", "/api/v1/files/{id}", "checklist", "根拠ファイル / Download an evidence file", true,
       R::kChecklist, A::kRead, false, GetFile},
      {"POST", "/api/v1/checklist/share", "checklist",
       "検査用の閲覧リンク作成（期限つき） / Create a time-limited read-only link", true,
       R::kChecklist, A::kWrite, false, CreateShare},
      {"GET", "/api/v1/checklist/share", "checklist", "閲覧リンクの一覧 / Read-only links", true,
       R::kChecklist, A::kRead, false, ListShares},
      {"DELETE", "/api/v1/checklist/share/{id}", "checklist", "閲覧リンクの失効 / Revoke a link",
       true, R::kChecklist, A::kWrite, false, RevokeShare},
      {"GET", "/api/v1/share/{token}/assessment", "checklist",
       "閲覧リンクでの様式表示（ログイン不要・読み取りのみ） / Forms through a read-only link",
       false, R::kChecklist, A::kRead, false, SharedAssessment},
      {"GET", "/api/v1/share/{token}/export", "checklist",
       "閲覧リンクでの様式出力 / Export through a read-only link", false, R::kChecklist, A::kRead,
       false, SharedExport},
      {"GET", "/api/v1/share/{token}/files/{id}", "checklist",
       "閲覧リンクでの根拠ファイル（その年度の様式が指すもののみ） / Evidence file through a link",
       false, R::kChecklist, A::kRead, false, SharedFile},
      {"GET", "/api/v1/org/roles", "org", "体制（責任者・担当者） / Roles", true, R::kChecklist,
       A::kRead, false, ListRoles},
      {"POST", "/api/v1/org/roles", "org", "体制の登録 / Add a role", true, R::kChecklist,
       A::kWrite, false, AddRole},
      {"PATCH", "/api/v1/org/roles/{id}", "org", "体制の変更 / Update a role", true, R::kChecklist,
       A::kWrite, false, PatchRole},
      {"GET", "/api/v1/org/contacts", "org", "連絡先一覧 / Contact list", true, R::kChecklist,
       A::kRead, false, ListContacts},
      {"POST", "/api/v1/org/contacts", "org", "連絡先の登録 / Add a contact", true, R::kChecklist,
       A::kWrite, false, AddContact},
      {"PATCH", "/api/v1/org/contacts/{id}", "org", "連絡先の変更 / Update a contact", true,
       R::kChecklist, A::kWrite, false, PatchContact},
      {"DELETE", "/api/v1/org/contacts/{id}", "org", "連絡先の削除 / Delete a contact", true,
       R::kChecklist, A::kWrite, false, DeleteContact},
      {"GET", "/api/v1/org/contacts/chart.pdf", "org", "連絡体制図（PDF） / Contact chart (PDF)",
       true, R::kChecklist, A::kRead, false, ContactChartPdf},
      {"GET", "/api/v1/org/contacts/chart.svg", "org", "連絡体制図（SVG） / Contact diagram (SVG)",
       true, R::kChecklist, A::kRead, false, ContactChartSvg},
      {"GET", "/api/v1/org/contacts/poster.pdf", "org",
       "院内掲示用ポスター（PDF） / Poster for the wards (PDF)", true, R::kChecklist, A::kRead,
       false, Poster},
      {"GET", "/api/v1/org/bcp", "org", "BCP一覧 / Business continuity plans", true, R::kChecklist,
       A::kRead, false, ListBcp},
      {"POST", "/api/v1/org/bcp", "org", "BCPの登録 / Add a BCP", true, R::kChecklist, A::kWrite,
       false, AddBcp},
      {"PATCH", "/api/v1/org/bcp/{id}", "org", "BCPの変更（見直し日） / Update a BCP", true,
       R::kChecklist, A::kWrite, false, PatchBcp},
      {"GET", "/api/v1/org/drills", "org", "訓練の記録 / Drills", true, R::kChecklist, A::kRead,
       false, ListDrills},
      {"POST", "/api/v1/org/drills", "org", "訓練の登録 / Record a drill", true, R::kChecklist,
       A::kWrite, false, AddDrill},
  };
  v.insert(v.end(), mine.begin(), mine.end());
}

}  // namespace mamori::server
