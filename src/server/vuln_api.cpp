// Vulnerabilities over HTTP: findings (filtered, per asset or CVE) with triage, the dashboard's
// summary, end of support, the unresolved-name queue with confirmations, matching, the due-date
// policy, feed files (loading them changes data every organisation shares: admins only), and VEX
// in (a maker's statements, applied to the organisation's findings) and out.
// The same VulnService the CLI uses; a vendor's user sees and triages its own assets' findings.
#include <set>

#include "formats/sbom.hpp"
#include "server/api.hpp"
#include "vuln/findings_export.hpp"

namespace mamori::server {

namespace {

using auth::Access;
using auth::Resource;

std::string Today() {
  return FormatDateJst(SystemClock().Now());
}

Json FindingsJson(const std::vector<vuln::Finding>& list, Lang lang) {
  Json items = Json::array();
  for (const auto& f : list) items.push_back(f.ToJson(lang));
  return items;
}

// The findings' filters, the same for the list and for the list by CVE.
Result<vuln::FindingQuery> QueryOf(RequestContext& c) {
  vuln::FindingQuery q;
  q.state = c.Param("state");
  q.cve = c.Param("cve");
  if (!c.Param("asset_id").empty()) {
    MAMORI_ASSIGN_OR_RETURN(int64_t id, c.IntParam("asset_id", 0));
    q.asset_id = id;
  }
  q.include_gone = c.Param("all") == "1";
  // Filters the UI offers that are views over the same list.
  q.only_gone = c.Param("gone") == "1";
  q.category = c.Param("category");
  q.severity = c.Param("severity");
  q.verdict = c.Param("verdict");
  q.overdue = c.Param("overdue") == "1";
  q.kev = c.Param("kev") == "1";
  return q;
}

Result<Reply> ListFindings(RequestContext& c, Services& s) {
  MAMORI_ASSIGN_OR_RETURN(auto q, QueryOf(c));
  // Pages (limit, offset) for a hospital with thousands of findings; without limit, all of them.
  std::optional<int64_t> limit;
  int64_t offset = 0;
  if (!c.Param("limit").empty()) {
    MAMORI_ASSIGN_OR_RETURN(limit, c.IntParam("limit", 100));
    MAMORI_ASSIGN_OR_RETURN(offset, c.IntParam("offset", 0));
  }
  MAMORI_ASSIGN_OR_RETURN(auto page, s.vuln.FindingsPage(c.scope(), q, Today(), limit, offset));
  return JsonReply(200, page.ToJson(c.lang));
}

// The findings (the list's filters) as a file: ?format=xlsx|csv&encoding=utf-8-bom|cp932.
Result<Reply> ExportFindings(RequestContext& c, Services& s) {
  MAMORI_ASSIGN_OR_RETURN(auto q, QueryOf(c));
  MAMORI_ASSIGN_OR_RETURN(auto org, s.auth.GetOrg(c.scope().actor.org_id));
  vuln::FindingsExportInfo info;
  info.org_name = org.name;
  info.now = SystemClock().Now();
  info.today = Today();
  info.lang = c.lang;
  MAMORI_ASSIGN_OR_RETURN(auto file,
                          vuln::ExportFindings(s.vuln, c.scope(), q, c.Param("format", "xlsx"),
                                               c.Param("encoding", "utf-8-bom"), info));
  return FileReply(std::move(file.content), file.content_type, file.file_name);
}

// Findings grouped by CVE, with the same filters: {items: [...], total}.
Result<Reply> ListCves(RequestContext& c, Services& s) {
  MAMORI_ASSIGN_OR_RETURN(auto q, QueryOf(c));
  MAMORI_ASSIGN_OR_RETURN(auto groups, s.vuln.FindingsByCve(c.scope(), q, Today()));
  Json items = Json::array();
  for (const auto& g : groups) items.push_back(g.ToJson());
  return JsonReply(200, Json{{"items", items}, {"total", groups.size()}});
}

// The dashboard: counts by severity, KEV, EPSS ≥ 0.1, overdue, support ended, unresolved.
Result<Reply> Summary(RequestContext& c, Services& s) {
  vuln::FindingQuery q;
  q.state = "open";
  std::string today = Today();
  MAMORI_ASSIGN_OR_RETURN(auto open, s.vuln.Findings(c.scope(), q, today));
  Json by_severity = {{"CRITICAL", 0}, {"HIGH", 0}, {"MEDIUM", 0}, {"LOW", 0}, {"NONE", 0}};
  int kev = 0, epss = 0, overdue = 0, review = 0;
  std::set<int64_t> assets;
  for (const auto& f : open) {
    // With the asset's requirements where it has them, as the severity filter counts.
    std::string sev = f.Severity().empty() ? "NONE" : f.Severity();
    if (by_severity.contains(sev)) by_severity[sev] = by_severity[sev].get<int>() + 1;
    if (f.kev) ++kev;
    if (f.epss && *f.epss >= 0.1) ++epss;
    if (f.overdue) ++overdue;
    if (f.verdict == "review") ++review;
    if (f.asset_id) assets.insert(*f.asset_id);
  }
  MAMORI_ASSIGN_OR_RETURN(auto eol, s.vuln.Eol(c.scope(), today, 0));
  int ended = 0;
  for (const auto& e : eol)
    if (e.ended) ++ended;
  MAMORI_ASSIGN_OR_RETURN(auto queue, s.vuln.Unresolved(c.scope(), false));
  int unresolved = 0;
  for (const auto& u : queue) unresolved += static_cast<int>(u.count);
  MAMORI_ASSIGN_OR_RETURN(auto times, s.vuln.LastLoadAndMatch(c.scope().actor));
  return JsonReply(
      200, Json{{"open", open.size()},
                {"by_severity", by_severity},
                {"kev", kev},
                {"epss_high", epss},
                {"overdue", overdue},
                {"review", review},
                {"assets", assets.size()},
                {"eol_ended", ended},
                {"unresolved", unresolved},
                {"last_load", times.first ? Json(FormatJst(times.first)) : Json(nullptr)},
                {"last_match", times.second ? Json(FormatJst(times.second)) : Json(nullptr)}});
}

Result<Reply> Triage(RequestContext& c, Services& s) {
  MAMORI_ASSIGN_OR_RETURN(int64_t id, c.PathId());
  MAMORI_ASSIGN_OR_RETURN(auto body, JsonBody::Parse(c.body));
  MAMORI_ASSIGN_OR_RETURN(auto f, s.vuln.Triage(c.scope(), id, body, Today()));
  return JsonReply(200, f.ToJson(c.lang));
}

// One decision for several findings: {ids: [...], state, justification, note, approver,
// review_date} → {items: [the findings], updated}; all or none.
Result<Reply> TriageMany(RequestContext& c, Services& s) {
  MAMORI_ASSIGN_OR_RETURN(auto body, JsonBody::Parse(c.body));
  auto ids = body.IdList("ids", true, vuln::kTriageMaxFindings);
  MAMORI_ASSIGN_OR_RETURN(
      auto list, s.vuln.TriageMany(c.scope(), ids.value_or(std::vector<int64_t>{}), body, Today()));
  return JsonReply(200, Json{{"items", FindingsJson(list, c.lang)}, {"updated", list.size()}});
}

Result<Reply> Match(RequestContext& c, Services& s) {
  MAMORI_ASSIGN_OR_RETURN(auto r, s.vuln.MatchLedger(c.scope(), Today(), c.Param("full") == "1"));
  return JsonReply(200, r.ToJson());
}

// A bare SBOM (base64, as files are uploaded): its findings, nothing stored.
Result<Reply> MatchSbom(RequestContext& c, Services& s) {
  MAMORI_ASSIGN_OR_RETURN(auto body, JsonBody::Parse(c.body));
  std::string name = body.String("file_name", true, 255).value_or("");
  MAMORI_ASSIGN_OR_RETURN(std::string bytes, FileContent(body, true));
  MAMORI_RETURN_IF_ERROR(body.Finish());
  MAMORI_ASSIGN_OR_RETURN(auto sbom, formats::ReadSbom(bytes, name));
  MAMORI_ASSIGN_OR_RETURN(auto list, s.vuln.MatchSbom(c.scope().actor, sbom, name, Today()));
  return JsonReply(200, Json{{"items", FindingsJson(list, c.lang)}});
}

Result<Reply> Eol(RequestContext& c, Services& s) {
  MAMORI_ASSIGN_OR_RETURN(int64_t days, c.IntParam("days", 180));
  MAMORI_ASSIGN_OR_RETURN(auto list, s.vuln.Eol(c.scope(), Today(), static_cast<int>(days)));
  return ItemsReply(list);
}

Result<Reply> Unresolved(RequestContext& c, Services& s) {
  MAMORI_ASSIGN_OR_RETURN(auto list, s.vuln.Unresolved(c.scope()));
  return ItemsReply(list);
}

Result<Reply> Resolve(RequestContext& c, Services& s) {
  std::string text = c.Param("text");
  if (text.empty())
    return MakeError(ErrorCode::kInvalidArgument, "vuln.confirm_needs_name", {}, "text");
  MAMORI_ASSIGN_OR_RETURN(auto r, s.vuln.Resolve(c.scope(), text, c.Param("version")));
  return JsonReply(200, vuln::ResolutionJson(r));
}

Result<Reply> Confirm(RequestContext& c, Services& s) {
  MAMORI_ASSIGN_OR_RETURN(auto body, JsonBody::Parse(c.body));
  auto name = body.String("name", true, 500);
  auto cpe = body.String("cpe", true, 500);
  std::string version;
  body.Read("version", version, 200);
  MAMORI_RETURN_IF_ERROR(body.Finish());
  MAMORI_ASSIGN_OR_RETURN(auto r, s.vuln.Confirm(c.scope(), *name, version, *cpe));
  return JsonReply(200, vuln::ResolutionJson(r));
}

Result<Reply> GetPolicy(RequestContext& c, Services& s) {
  MAMORI_ASSIGN_OR_RETURN(auto p, s.vuln.Policy(c.scope().actor));
  return JsonReply(200, p.ToJson());
}

Result<Reply> PatchPolicy(RequestContext& c, Services& s) {
  MAMORI_ASSIGN_OR_RETURN(auto body, JsonBody::Parse(c.body));
  MAMORI_ASSIGN_OR_RETURN(auto p, s.vuln.SetPolicy(c.scope().actor, body));
  return JsonReply(200, p.ToJson());
}

Result<Reply> Feeds(RequestContext& c, Services& s) {
  MAMORI_ASSIGN_OR_RETURN(auto list, s.vuln.FeedFiles(c.scope().actor));
  return JsonReply(200, Json{{"items", list}});
}

Result<Reply> LoadFeed(RequestContext& c, Services& s) {
  MAMORI_ASSIGN_OR_RETURN(auto body, JsonBody::Parse(c.body));
  std::string name = body.String("file_name", true, 255).value_or("");
  MAMORI_ASSIGN_OR_RETURN(std::string bytes, FileContent(body, true));
  MAMORI_RETURN_IF_ERROR(body.Finish());
  MAMORI_ASSIGN_OR_RETURN(auto r, s.vuln.Load(c.scope().actor, std::move(bytes), name));
  return JsonReply(201, r.ToJson());
}

// The offline bundle from a browser: begun with its size, sent in base64 pieces at known
// offsets (a bundle is larger than a request body may be), then verified and loaded as `mamori
// vuln bundle load` does — with the keys this installation trusts only.
Result<Reply> BeginBundleUpload(RequestContext& c, Services& s) {
  MAMORI_ASSIGN_OR_RETURN(auto body, JsonBody::Parse(c.body));
  std::string name = body.String("file_name", true, 255).value_or("");
  auto size = body.Int("size", true);
  MAMORI_RETURN_IF_ERROR(body.Finish());
  if (*size < 1)
    return MakeError(ErrorCode::kInvalidArgument, "common.bad_param", {"size"}, "size");
  MAMORI_ASSIGN_OR_RETURN(auto id,
                          s.uploads.Begin(c.scope().actor, name, static_cast<uint64_t>(*size)));
  return JsonReply(201, Json{{"id", id}, {"size", *size}});
}

Result<Reply> BundleUploadPiece(RequestContext& c, Services& s) {
  MAMORI_ASSIGN_OR_RETURN(auto body, JsonBody::Parse(c.body));
  auto offset = body.Int("offset", true);
  MAMORI_ASSIGN_OR_RETURN(std::string bytes, FileContent(body, true));
  MAMORI_RETURN_IF_ERROR(body.Finish());
  if (*offset < 0)
    return MakeError(ErrorCode::kInvalidArgument, "common.bad_param", {"offset"}, "offset");
  MAMORI_ASSIGN_OR_RETURN(auto received, s.uploads.Append(c.scope().actor, c.path_ids.at(0),
                                                          static_cast<uint64_t>(*offset), bytes));
  return JsonReply(200, Json{{"received", received}});
}

Result<Reply> LoadUploadedBundle(RequestContext& c, Services& s) {
  bool force = false;
  if (!c.body.empty()) {
    MAMORI_ASSIGN_OR_RETURN(auto body, JsonBody::Parse(c.body));
    force = body.Bool("force", false).value_or(false);
    MAMORI_RETURN_IF_ERROR(body.Finish());
  }
  MAMORI_ASSIGN_OR_RETURN(auto file, s.uploads.Take(c.scope().actor, c.path_ids.at(0)));
  auto r = s.vuln.LoadBundle(c.scope().actor, file.path, {}, force);
  UploadStore::Remove(file);
  if (!r.ok()) {
    // Said of the file the user sent, by its name — not of the server's upload directory; a
    // damaged or altered file is the sender's to fix, not a fault of the server.
    Error e = std::move(r).error();
    for (auto* text : {&e.field, &e.detail})
      for (size_t at; (at = text->find(file.path)) != std::string::npos;)
        text->replace(at, file.path.size(), file.file_name);
    for (auto& a : e.args)
      for (size_t at; (at = a.find(file.path)) != std::string::npos;)
        a.replace(at, file.path.size(), file.file_name);
    if (e.code == ErrorCode::kCorruption) e.code = ErrorCode::kInvalidArgument;
    return e;
  }
  Json j = r->ToJson();
  j["file"] = file.file_name;
  return JsonReply(200, j);
}

// Bundles loaded so far and the keys trusted to sign them.
Result<Reply> Bundles(RequestContext& c, Services& s) {
  MAMORI_ASSIGN_OR_RETURN(auto list, s.vuln.Bundles(c.scope().actor));
  MAMORI_ASSIGN_OR_RETURN(auto keys, s.vuln.BundleKeys(c.scope().actor));
  return JsonReply(200, Json{{"items", list}, {"keys", keys}});
}

Result<Reply> VexDocuments(RequestContext& c, Services& s) {
  MAMORI_ASSIGN_OR_RETURN(auto list, s.vuln.VexDocuments(c.scope()));
  return JsonReply(200, Json{{"items", list}});
}

// A maker's VEX document: stored for the organisation and applied to its untriaged findings; from
// a vendor's account, to that vendor's assets' findings only.
Result<Reply> LoadVex(RequestContext& c, Services& s) {
  MAMORI_ASSIGN_OR_RETURN(auto body, JsonBody::Parse(c.body));
  std::string name = body.String("file_name", true, 255).value_or("");
  MAMORI_ASSIGN_OR_RETURN(std::string bytes, FileContent(body, true));
  MAMORI_RETURN_IF_ERROR(body.Finish());
  MAMORI_ASSIGN_OR_RETURN(auto r, s.vuln.LoadVex(c.scope(), std::move(bytes), name));
  return JsonReply(201, r.ToJson());
}

// VEX out for one asset: ?asset_id=&format=cyclonedx|csaf, the document itself.
Result<Reply> ExportVex(RequestContext& c, Services& s) {
  MAMORI_ASSIGN_OR_RETURN(int64_t id, c.IntParam("asset_id", 0));
  MAMORI_ASSIGN_OR_RETURN(auto doc, s.vuln.ExportVex(c.scope(), id, c.Param("format"), Today()));
  return JsonReply(200, doc);
}

Result<Reply> ListRequirements(RequestContext& c, Services& s) {
  MAMORI_ASSIGN_OR_RETURN(auto list, s.vuln.Requirements(c.scope()));
  return ItemsReply(list);
}

Result<Reply> PutRequirements(RequestContext& c, Services& s) {
  MAMORI_ASSIGN_OR_RETURN(int64_t id, c.PathId());
  MAMORI_ASSIGN_OR_RETURN(auto body, JsonBody::Parse(c.body));
  vuln::AssetRequirements r;
  r.asset_id = id;
  body.Read("cr", r.cr, 1);
  body.Read("ir", r.ir, 1);
  body.Read("ar", r.ar, 1);
  body.Read("note", r.note, 500);
  MAMORI_RETURN_IF_ERROR(body.Finish());
  MAMORI_ASSIGN_OR_RETURN(auto stored, s.vuln.SetRequirements(c.scope(), r));
  return JsonReply(200, stored.ToJson());
}

Result<Reply> DeleteRequirements(RequestContext& c, Services& s) {
  MAMORI_ASSIGN_OR_RETURN(int64_t id, c.PathId());
  MAMORI_RETURN_IF_ERROR(s.vuln.ClearRequirements(c.scope(), id));
  return JsonReply(200, Json{{"asset_id", id}, {"cleared", true}});
}

}  // namespace

void AddVulnEndpoints(std::vector<Endpoint>& v) {
  using R = Resource;
  using A = Access;
  const std::vector<Endpoint> mine = {
      {"GET", "/api/v1/vuln/findings", "vuln",
       "脆弱性の検出（state, cve, asset_id, category, severity, verdict, overdue, kev, all, gone; "
       "limit と offset でページ） / Findings (paged with limit, offset)",
       true, R::kVuln, A::kRead, false, ListFindings},
      {"GET", "/api/v1/vuln/summary", "vuln", "脆弱性ダッシュボードの集計 / Dashboard summary",
       true, R::kVuln, A::kRead, false, Summary},
      {"GET", "/api/v1/vuln/findings/export", "vuln",
       "検出一覧を Excel / CSV で（format=xlsx|csv, encoding=utf-8-bom|cp932; 検出一覧と同じ条件） "
       "/ "
       "Findings as an Excel workbook or CSV (the list's filters)",
       true, R::kVuln, A::kRead, false, ExportFindings},
      {"GET", "/api/v1/vuln/cves", "vuln",
       "CVE 別の検出（検出一覧と同じ条件） / Findings grouped by CVE (the same filters)", true,
       R::kVuln, A::kRead, false, ListCves},
      {"POST", "/api/v1/vuln/findings/triage", "vuln",
       "複数の検出をまとめて判定（ids; すべてか、どれも変えないか） / Triage several findings at "
       "once (all or none)",
       true, R::kVuln, A::kWrite, false, TriageMany},
      {"POST", "/api/v1/vuln/findings/{id}/triage", "vuln",
       "検出の判定（影響あり・影響なし・対応済・リスク受容） / Triage a finding", true, R::kVuln,
       A::kWrite, false, Triage},
      {"POST", "/api/v1/vuln/match", "vuln",
       "台帳との照合（変更分のみ、full=1 で全体） / Match the ledger (what changed; full=1: all)",
       true, R::kVuln, A::kWrite, false, Match},
      {"POST", "/api/v1/vuln/match-sbom", "vuln",
       "SBOM ファイルの照合（保存しない） / Match a bare SBOM", true, R::kVuln, A::kRead, false,
       MatchSbom},
      {"GET", "/api/v1/vuln/eol", "vuln", "サポート終了（days: 間近の日数） / End of support", true,
       R::kVuln, A::kRead, false, Eol},
      {"GET", "/api/v1/vuln/unresolved", "vuln",
       "名称から特定できない構成要素 / Names not resolved yet", true, R::kVuln, A::kRead, false,
       Unresolved},
      {"GET", "/api/v1/vuln/resolve", "vuln", "名称の CPE 候補（text, version） / Resolve a name",
       true, R::kVuln, A::kRead, false, Resolve},
      {"POST", "/api/v1/vuln/names", "vuln", "名称の CPE を確定 / Confirm a name's CPE", true,
       R::kVuln, A::kWrite, false, Confirm},
      {"GET", "/api/v1/vuln/policy", "vuln", "対応期限の方針 / Due-date policy", true, R::kVuln,
       A::kRead, false, GetPolicy},
      {"PATCH", "/api/v1/vuln/policy", "vuln", "対応期限の方針の変更 / Change the policy", true,
       R::kSettings, A::kWrite, false, PatchPolicy},
      {"GET", "/api/v1/vuln/feeds", "vuln", "読み込んだ脆弱性情報 / Loaded feed files", true,
       R::kVuln, A::kRead, false, Feeds},
      {"POST", "/api/v1/vuln/feeds", "vuln",
       "脆弱性情報ファイルの読み込み（全組織で共有） / Load a feed file (shared by all)", true,
       R::kSettings, A::kWrite, false, LoadFeed},
      {"GET", "/api/v1/vuln/bundles", "vuln",
       "読み込んだオフライン更新ファイルと信頼する署名鍵 / Bundles loaded, keys trusted", true,
       R::kVuln, A::kRead, false, Bundles},
      {"POST", "/api/v1/vuln/bundles/uploads", "vuln",
       "オフライン更新ファイルの送信開始（file_name, size） / Begin a bundle upload", true,
       R::kSettings, A::kWrite, false, BeginBundleUpload},
      {"POST", "/api/v1/vuln/bundles/uploads/{upload}", "vuln",
       "送信の一部（offset, content_base64） / A piece of the upload", true, R::kSettings,
       A::kWrite, false, BundleUploadPiece},
      {"POST", "/api/v1/vuln/bundles/uploads/{upload}/load", "vuln",
       "署名を検証して読み込む（force） / Verify and load the uploaded bundle", true, R::kSettings,
       A::kWrite, false, LoadUploadedBundle},
      {"GET", "/api/v1/vuln/requirements", "vuln",
       "機器のセキュリティ要求度（CVSS CR/IR/AR） / Security requirements per asset", true,
       R::kVuln, A::kRead, false, ListRequirements},
      {"PUT", "/api/v1/vuln/assets/{id}/requirements", "vuln",
       "機器のセキュリティ要求度の設定（cr, ir, ar: L|M|H|X; note） / Set an asset's requirements",
       true, R::kVuln, A::kWrite, false, PutRequirements},
      {"DELETE", "/api/v1/vuln/assets/{id}/requirements", "vuln",
       "機器のセキュリティ要求度の解除 / Clear an asset's requirements", true, R::kVuln, A::kWrite,
       false, DeleteRequirements},
      {"GET", "/api/v1/vuln/vex", "vuln", "読み込んだ VEX / VEX documents loaded", true, R::kVuln,
       A::kRead, false, VexDocuments},
      {"POST", "/api/v1/vuln/vex", "vuln",
       "VEX・CSAF アドバイザリの読み込み（CycloneDX / CSAF / OpenVEX）と検出への適用 / Load and "
       "apply a VEX or a CSAF advisory",
       true, R::kVuln, A::kWrite, false, LoadVex},
      {"GET", "/api/v1/vuln/vex/export", "vuln",
       "機器の VEX（asset_id, format=cyclonedx|csaf） / VEX out for an asset", true, R::kVuln,
       A::kRead, false, ExportVex},
  };
  v.insert(v.end(), mine.begin(), mine.end());
}

}  // namespace mamori::server
