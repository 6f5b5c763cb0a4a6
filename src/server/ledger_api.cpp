// The ledger's imports (Excel/CSV, SBOM, nmap), exports, management reports, completeness
// evidence, 台帳未登録 review, MDS/SDS documents and import profiles, over the same capability
// API the CLI uses. Files travel as base64 inside JSON bodies, so every state-changing request
// keeps the JSON-only rule that is part of the CSRF defence.
#include "auth/auth_service.hpp"
#include "core/crypto.hpp"
#include "ledger/completeness.hpp"
#include "ledger/import/ledger_export.hpp"
#include "ledger/import/ledger_import.hpp"
#include "ledger/import/nmap_import.hpp"
#include "ledger/import/sbom_import.hpp"
#include "ledger/ledger_report.hpp"
#include "server/api.hpp"

namespace mamori::server {

namespace {

using auth::Access;
using auth::Resource;

Result<Reply> Import(RequestContext& c, Services& s) {
  MAMORI_ASSIGN_OR_RETURN(auto body, JsonBody::Parse(c.body));
  ledger::import::ImportOptions opt;
  opt.file = body.String("file_name", true, 255).value_or("");
  MAMORI_ASSIGN_OR_RETURN(std::string bytes, FileContent(body, true));
  opt.format = body.String("format", false, 20).value_or("auto");
  opt.sheet = body.String("sheet", false, 100).value_or("");
  opt.dry_run = body.Bool("dry_run", false).value_or(false);
  opt.strict = body.Bool("strict", false).value_or(false);
  opt.preview = body.Bool("preview", false).value_or(false);
  auto mapping = body.StringMap("mapping", false);
  auto profile = body.String("profile", false, 100);
  std::string asset = body.String("asset", false, 100).value_or("");
  std::string product = body.String("product", false, 300).value_or("");
  MAMORI_RETURN_IF_ERROR(body.Finish());
  if (profile && !profile->empty()) {
    MAMORI_ASSIGN_OR_RETURN(auto p, s.ledger.FindProfile(c.scope(), *profile));
    if (!p) return MakeError(ErrorCode::kNotFound, "import.no_profile", {*profile}, "profile");
    opt.mapping = p->mapping;
  }
  if (mapping) {
    std::vector<std::string> args;
    for (const auto& [h, f] : *mapping) args.push_back(std::string(h).append("=").append(f));
    MAMORI_ASSIGN_OR_RETURN(auto checked, ledger::import::ParseMappingArgs(args));
    for (const auto& [h, f] : checked) opt.mapping[h] = f;
  }
  std::string format = opt.format == "auto" ? ledger::import::DetectFormat(bytes) : opt.format;
  if (format == "nmap") {
    MAMORI_ASSIGN_OR_RETURN(
        auto r, ledger::import::ImportNmap(s.ledger, c.scope(), bytes, {opt.file, opt.dry_run}));
    return JsonReply(200, r.ToJson());
  }
  if (format == "cyclonedx" || format == "spdx") {
    MAMORI_ASSIGN_OR_RETURN(auto r,
                            ledger::import::ImportSbom(s.ledger, c.scope(), bytes,
                                                       {opt.file, asset, product, opt.dry_run}));
    return JsonReply(200, r.ToJson());
  }
  MAMORI_ASSIGN_OR_RETURN(auto r, ledger::import::ImportFile(s.ledger, c.scope(), bytes, opt));
  return JsonReply(200, r.ToJson(c.lang));
}

Result<Reply> ImportFields(RequestContext&, Services&) {
  return JsonReply(200, Json{{"fields", ledger::import::ImportFields()}});
}

Result<Reply> ListProfiles(RequestContext& c, Services& s) {
  MAMORI_ASSIGN_OR_RETURN(auto all, s.ledger.ListProfiles(c.scope()));
  return ItemsReply(all);
}

Result<Reply> SaveProfile(RequestContext& c, Services& s) {
  MAMORI_ASSIGN_OR_RETURN(auto body, JsonBody::Parse(c.body));
  ledger::ImportProfile p;
  p.name = body.String("name", true, 100).value_or("");
  auto mapping = body.StringMap("mapping", true);
  MAMORI_RETURN_IF_ERROR(body.Finish());
  std::vector<std::string> args;
  for (const auto& [h, f] : *mapping) args.push_back(std::string(h).append("=").append(f));
  MAMORI_ASSIGN_OR_RETURN(p.mapping, ledger::import::ParseMappingArgs(args));
  MAMORI_ASSIGN_OR_RETURN(auto saved, s.ledger.SaveProfile(c.scope(), p));
  return JsonReply(201, saved.ToJson());
}

Result<Reply> Export(RequestContext& c, Services& s) {
  std::string format = c.Param("format", "xlsx");
  std::string encoding = c.Param("encoding", "utf-8-bom");
  if (format != "xlsx" && format != "csv" && format != "json")
    return MakeError(ErrorCode::kInvalidArgument, "common.bad_param", {"format"}, "format");
  if (encoding != "utf-8-bom" && encoding != "cp932")
    return MakeError(ErrorCode::kInvalidArgument, "common.bad_param", {"encoding"}, "encoding");
  auto scope = c.scope();
  MAMORI_ASSIGN_OR_RETURN(auto names, ledger::import::NamesOf(s.ledger, scope));
  MAMORI_ASSIGN_OR_RETURN(auto assets, s.ledger.AllAssets(scope));
  MAMORI_ASSIGN_OR_RETURN(auto org, s.auth.GetOrg(scope.actor.org_id));
  std::string day = FormatDateJst(SystemClock().Now());
  if (format == "json") {
    Json all = Json::array();
    for (const auto& a : assets) all.push_back(a.ToJsonWithCompleteness());
    return FileReply(all.dump(2), "application/json; charset=utf-8", "機器台帳_" + day + ".json");
  }
  if (format == "csv") {
    MAMORI_ASSIGN_OR_RETURN(auto csv, ledger::import::ExportCsv(assets, names, encoding));
    return FileReply(
        std::move(csv),
        encoding == "cp932" ? "text/csv; charset=Shift_JIS" : "text/csv; charset=utf-8",
        "機器台帳_" + day + ".csv");
  }
  MAMORI_ASSIGN_OR_RETURN(
      auto xlsx, ledger::import::ExportXlsx(assets, names, {org.name, SystemClock().Now()}));
  return FileReply(std::move(xlsx),
                   "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                   "機器台帳_" + day + ".xlsx");
}

Result<Reply> Completeness(RequestContext& c, Services& s) {
  MAMORI_ASSIGN_OR_RETURN(int64_t days, c.IntParam("confirm_interval_days", 365));
  MAMORI_ASSIGN_OR_RETURN(
      auto comp, ledger::LedgerCompleteness(s.ledger, c.scope(), FormatDateJst(SystemClock().Now()),
                                            static_cast<int>(days)));
  return JsonReply(200, comp.ToJson());
}

Result<Reply> ListDiscovered(RequestContext& c, Services& s) {
  std::string status = c.Param("status", "pending");
  if (status == "all") status.clear();
  MAMORI_ASSIGN_OR_RETURN(auto hosts, s.ledger.ListDiscovered(c.scope(), status));
  return ItemsReply(hosts);
}

Result<Reply> AcceptDiscovered(RequestContext& c, Services& s) {
  MAMORI_ASSIGN_OR_RETURN(int64_t id, c.PathId());
  MAMORI_ASSIGN_OR_RETURN(auto body, JsonBody::Parse(c.body));
  std::string category = body.String("category", true, 20).value_or("");
  std::string name = body.String("name", false, 200).value_or("");
  MAMORI_RETURN_IF_ERROR(body.Finish());
  MAMORI_ASSIGN_OR_RETURN(auto a, s.ledger.AcceptDiscovered(c.scope(), id, category, name));
  return JsonReply(201, a.ToJsonWithCompleteness());
}

Result<Reply> IgnoreDiscovered(RequestContext& c, Services& s) {
  MAMORI_ASSIGN_OR_RETURN(int64_t id, c.PathId());
  MAMORI_ASSIGN_OR_RETURN(auto body, JsonBody::Parse(c.body));
  std::string note = body.String("note", true, 1000).value_or("");
  MAMORI_RETURN_IF_ERROR(body.Finish());
  MAMORI_ASSIGN_OR_RETURN(auto h, s.ledger.IgnoreDiscovered(c.scope(), id, note));
  return JsonReply(200, h.ToJson());
}

Result<Reply> ListReports(RequestContext& c, Services& s) {
  MAMORI_ASSIGN_OR_RETURN(auto all, s.ledger.ListReports(c.scope()));
  return ItemsReply(all);
}

Result<Reply> CreateReport(RequestContext& c, Services& s) {
  MAMORI_ASSIGN_OR_RETURN(auto body, JsonBody::Parse(c.body));
  auto days = body.Int("confirm_interval_days", false);
  MAMORI_RETURN_IF_ERROR(body.Finish());
  auto scope = c.scope();
  MAMORI_ASSIGN_OR_RETURN(auto org, s.auth.GetOrg(scope.actor.org_id));
  ledger::ReportInput in{org.name, SystemClock().Now(), static_cast<int>(days.value_or(365))};
  MAMORI_ASSIGN_OR_RETURN(auto r, ledger::GenerateManagementReport(s.ledger, scope, in));
  return JsonReply(201, r.ToJson());
}

Result<Reply> ReportPdf(RequestContext& c, Services& s) {
  MAMORI_ASSIGN_OR_RETURN(int64_t id, c.PathId());
  MAMORI_ASSIGN_OR_RETURN(auto r, s.ledger.GetReport(c.scope(), id));
  return FileReply(std::move(r.pdf), "application/pdf", r.file_name);
}

Result<Reply> ListSboms(RequestContext& c, Services& s) {
  MAMORI_ASSIGN_OR_RETURN(auto docs, s.ledger.ListSbomDocuments(c.scope()));
  return ItemsReply(docs);
}

Result<Reply> ListDocuments(RequestContext& c, Services& s) {
  MAMORI_ASSIGN_OR_RETURN(auto docs, s.ledger.ListSystemDocuments(c.scope()));
  return ItemsReply(docs);
}

Result<Reply> AddDocument(RequestContext& c, Services& s) {
  MAMORI_ASSIGN_OR_RETURN(auto body, JsonBody::Parse(c.body));
  ledger::SystemDocument d;
  d.system_id = body.Int("system_id", true).value_or(0);
  d.kind = body.String("kind", true, 10).value_or("");
  d.file_name = body.String("file_name", true, 255).value_or("");
  MAMORI_ASSIGN_OR_RETURN(d.content, FileContent(body, true));
  d.jahis_version = body.String("jahis_version", false, 50).value_or("");
  d.received_on = body.String("received_on", false, 40).value_or("");
  if (auto b = body.Int("blank_answers", false)) d.blank_answers = *b;
  d.note = body.String("note", false, 2000).value_or("");
  MAMORI_RETURN_IF_ERROR(body.Finish());
  MAMORI_ASSIGN_OR_RETURN(auto added, s.ledger.AddSystemDocument(c.scope(), d));
  return JsonReply(201, added.ToJson());
}

Result<Reply> DocumentFile(RequestContext& c, Services& s) {
  MAMORI_ASSIGN_OR_RETURN(int64_t id, c.PathId());
  MAMORI_ASSIGN_OR_RETURN(auto d, s.ledger.GetSystemDocument(c.scope(), id));
  return FileReply(std::move(d.content), "application/octet-stream", d.file_name);
}

}  // namespace

void AddLedgerEndpoints(std::vector<Endpoint>& v) {
  using R = Resource;
  using A = Access;
  const std::vector<Endpoint> mine = {
      {"POST", "/api/v1/ledger/import", "ledger",
       "台帳の取込（Excel/CSV・SBOM・nmap、dry_runでプレビュー） / Import a ledger file", true,
       R::kLedger, A::kWrite, false, Import},
      {"GET", "/api/v1/ledger/import/fields", "ledger", "取込で対応付けできる項目 / Import fields",
       true, R::kLedger, A::kRead, false, ImportFields},
      {"GET", "/api/v1/ledger/profiles", "ledger", "取込設定の一覧 / Import profiles", true,
       R::kLedger, A::kRead, false, ListProfiles},
      {"POST", "/api/v1/ledger/profiles", "ledger", "取込設定の保存 / Save an import profile", true,
       R::kLedger, A::kWrite, false, SaveProfile},
      {"GET", "/api/v1/ledger/export", "ledger",
       "台帳の出力（xlsx・csv・json） / Export the ledger", true, R::kLedger, A::kRead, false,
       Export},
      {"GET", "/api/v1/ledger/completeness", "ledger",
       "台帳の記入状況（チェックリストの根拠） / Completeness evidence", true, R::kLedger, A::kRead,
       false, Completeness},
      {"GET", "/api/v1/ledger/discovered", "ledger", "台帳未登録の機器 / Hosts not in the ledger",
       true, R::kLedger, A::kRead, false, ListDiscovered},
      {"POST", "/api/v1/ledger/discovered/{id}/accept", "ledger",
       "台帳未登録を台帳に登録 / Accept a discovered host", true, R::kLedger, A::kWrite, false,
       AcceptDiscovered},
      {"POST", "/api/v1/ledger/discovered/{id}/ignore", "ledger",
       "台帳未登録を対象外に / Ignore a discovered host", true, R::kLedger, A::kWrite, false,
       IgnoreDiscovered},
      {"GET", "/api/v1/ledger/reports", "ledger", "経営層への報告書の一覧 / Management reports",
       true, R::kLedger, A::kRead, false, ListReports},
      {"POST", "/api/v1/ledger/reports", "ledger", "報告書の作成（PDF） / Generate a report", true,
       R::kLedger, A::kWrite, false, CreateReport},
      {"GET", "/api/v1/ledger/reports/{id}/pdf", "ledger", "報告書PDF / Report PDF", true,
       R::kLedger, A::kRead, false, ReportPdf},
      {"GET", "/api/v1/ledger/sboms", "ledger", "登録済みSBOM / Stored SBOMs", true, R::kLedger,
       A::kRead, false, ListSboms},
      {"GET", "/api/v1/ledger/documents", "ledger", "MDS/SDSの一覧 / MDS and SDS documents", true,
       R::kLedger, A::kRead, false, ListDocuments},
      {"POST", "/api/v1/ledger/documents", "ledger", "MDS/SDSの登録 / Add an MDS or SDS", true,
       R::kLedger, A::kWrite, false, AddDocument},
      {"GET", "/api/v1/ledger/documents/{id}/file", "ledger", "MDS/SDSファイル / Document file",
       true, R::kLedger, A::kRead, false, DocumentFile},
  };
  v.insert(v.end(), mine.begin(), mine.end());
}

}  // namespace mamori::server
