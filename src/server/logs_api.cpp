// Access logs over HTTP: search, the store's status and verification, the log-source registry
// (ログリスト) with its status, the working calendar, the periodic reviews (create, report PDF,
// sign-off), and the FHIR AuditEvent endpoint (IHE BALP: a resource or a Bundle, JSON or XML,
// posted by a system with an API token). The same services the CLI uses; each organisation has
// its own log store. Access logs name patients and staff: vendors and inspectors have no access.
#include "logs/review.hpp"
#include "server/api.hpp"

namespace mamori::server {

namespace {

using auth::Access;
using auth::Resource;

Result<logs::LogsService*> Store(RequestContext& c, Services& s) {
  logs::LogsService* l = s.logs_for ? s.logs_for(c.actor().org_id) : nullptr;
  if (l == nullptr) return MakeError(ErrorCode::kUnavailable, "logs.not_configured");
  return l;
}

Result<std::optional<UnixMillis>> TimeParam(RequestContext& c, const char* key) {
  std::string v = c.Param(key);
  if (v.empty()) return std::optional<UnixMillis>();
  auto t = ParseTime(v);
  if (!t) {
    auto d = ParseCalendarDate(v);
    if (d) t = ParseTime(*d);
  }
  if (!t) return MakeError(ErrorCode::kInvalidArgument, "common.bad_param", {key}, key);
  return std::optional<UnixMillis>(*t);
}

Result<Reply> SearchEvents(RequestContext& c, Services& s) {
  MAMORI_ASSIGN_OR_RETURN(auto* store, Store(c, s));
  logs::LogQuery q;
  MAMORI_ASSIGN_OR_RETURN(q.from, TimeParam(c, "from"));
  MAMORI_ASSIGN_OR_RETURN(q.to, TimeParam(c, "to"));
  q.source = c.Param("source");
  q.host = c.Param("host");
  q.user = c.Param("user");
  q.object = c.Param("object");
  q.action = c.Param("action");
  q.outcome = c.Param("outcome");
  q.text = c.Param("text");
  MAMORI_ASSIGN_OR_RETURN(int64_t limit, c.IntParam("limit", 50));
  if (limit < 1 || limit > 500)
    return MakeError(ErrorCode::kInvalidArgument, "common.bad_param", {"limit"}, "limit");
  q.limit = static_cast<uint64_t>(limit);
  MAMORI_ASSIGN_OR_RETURN(int64_t before, c.IntParam("before", -1));
  if (before >= 0) q.before_seq = static_cast<uint64_t>(before);
  auto page = store->Search(q);
  if (!page.ok() && page.error().code == ErrorCode::kNotFound)  // nothing stored yet
    return JsonReply(200, Json{{"total", 0}, {"items", Json::array()}, {"next_before", nullptr}});
  if (!page.ok()) return page.error();
  Json items = Json::array();
  for (const auto& e : page->events) items.push_back(e.ToJson());
  Json j = {{"total", page->total}, {"total_exact", page->total_exact}, {"items", items}};
  j["next_before"] = page->next_before ? Json(*page->next_before) : Json(nullptr);
  return JsonReply(200, j);
}

Result<Reply> Export(RequestContext& c, Services& s) {
  MAMORI_ASSIGN_OR_RETURN(auto* store, Store(c, s));
  MAMORI_ASSIGN_OR_RETURN(auto from, TimeParam(c, "from"));
  MAMORI_ASSIGN_OR_RETURN(auto to, TimeParam(c, "to"));
  if (!from || !to)
    return MakeError(ErrorCode::kInvalidArgument, "common.bad_param", {!from ? "from" : "to"});
  MAMORI_ASSIGN_OR_RETURN(auto j, store->ExportRange(*from, *to, std::nullopt, 200000));
  return FileReply(j.dump(1, ' ', false, Json::error_handler_t::replace),
                   "application/json; charset=utf-8",
                   "access-log-" + FormatDateJst(*from) + "_" + FormatDateJst(*to - 1) + ".json");
}

Result<Reply> Status(RequestContext& c, Services& s) {
  MAMORI_ASSIGN_OR_RETURN(auto* store, Store(c, s));
  auto st = store->StoreStatus();
  Json j = st.ok() ? *st : Json{{"indexed", 0}, {"segments", 0}, {"bytes", 0}, {"checkpoints", 0}};
  if (!st.ok() && st.error().code != ErrorCode::kNotFound) return st.error();
  MAMORI_ASSIGN_OR_RETURN(auto last, s.log_reviews.LastVerification(c.actor()));
  j["last_verification"] = last ? last->ToJson() : Json(nullptr);
  auto key = store->PublicKey();
  j["public_key"] = key.ok() ? Json(*key) : Json(nullptr);
  return JsonReply(200, j);
}

Result<Reply> Verify(RequestContext& c, Services& s) {
  MAMORI_ASSIGN_OR_RETURN(auto* store, Store(c, s));
  MAMORI_ASSIGN_OR_RETURN(auto report, store->Verify(std::nullopt, std::nullopt));
  MAMORI_RETURN_IF_ERROR(s.log_reviews.RecordVerification(c.actor(), report));
  return JsonReply(200, report.ToJson());
}

Result<Reply> Sources(RequestContext& c, Services& s) {
  MAMORI_ASSIGN_OR_RETURN(auto* store, Store(c, s));
  MAMORI_ASSIGN_OR_RETURN(auto r, s.log_sources.Report(c.actor(), *store, SystemClock().Now()));
  return JsonReply(200, r.ToJson());
}

Result<Reply> AddSource(RequestContext& c, Services& s) {
  MAMORI_ASSIGN_OR_RETURN(auto body, JsonBody::Parse(c.body));
  logs::LogSource src;
  MAMORI_RETURN_IF_ERROR(logs::ReadSource(body, src));
  MAMORI_ASSIGN_OR_RETURN(auto out, s.log_sources.Add(c.actor(), src));
  return JsonReply(201, out.ToJson());
}

Result<std::string> SourceName(RequestContext& c, Services& s) {
  MAMORI_ASSIGN_OR_RETURN(int64_t id, c.PathId());
  MAMORI_ASSIGN_OR_RETURN(auto all, s.log_sources.List(c.actor()));
  for (const auto& x : all)
    if (x.id == id) return x.name;
  return MakeError(ErrorCode::kNotFound, "common.not_found", {"log source", std::to_string(id)});
}

Result<Reply> PatchSource(RequestContext& c, Services& s) {
  MAMORI_ASSIGN_OR_RETURN(auto name, SourceName(c, s));
  MAMORI_ASSIGN_OR_RETURN(auto body, JsonBody::Parse(c.body));
  MAMORI_ASSIGN_OR_RETURN(auto out, s.log_sources.Update(c.actor(), name, body));
  return JsonReply(200, out.ToJson());
}

Result<Reply> DeleteSource(RequestContext& c, Services& s) {
  MAMORI_ASSIGN_OR_RETURN(auto name, SourceName(c, s));
  MAMORI_RETURN_IF_ERROR(s.log_sources.Remove(c.actor(), name));
  return JsonReply(200, Json{{"deleted", name}});
}

Result<Reply> GetCalendar(RequestContext& c, Services& s) {
  MAMORI_ASSIGN_OR_RETURN(auto cal, s.log_sources.Calendar(c.actor()));
  return JsonReply(200, cal.ToJson());
}

Result<Reply> PatchCalendar(RequestContext& c, Services& s) {
  Json j = Json::parse(c.body, nullptr, false);
  if (j.is_discarded()) return MakeError(ErrorCode::kInvalidArgument, "json.invalid", {"0"});
  MAMORI_ASSIGN_OR_RETURN(auto cal, logs::WorkCalendar::FromJson(j));
  MAMORI_RETURN_IF_ERROR(s.log_sources.SetCalendar(c.actor(), cal));
  return JsonReply(200, cal.ToJson());
}

Result<Reply> Expire(RequestContext& c, Services& s) {
  MAMORI_ASSIGN_OR_RETURN(auto* store, Store(c, s));
  MAMORI_ASSIGN_OR_RETURN(auto body, JsonBody::Parse(c.body.empty() ? "{}" : c.body));
  bool dry_run = body.Bool("dry_run", false).value_or(false);
  MAMORI_RETURN_IF_ERROR(body.Finish());
  MAMORI_ASSIGN_OR_RETURN(auto r,
                          s.log_sources.Expire(c.actor(), *store, SystemClock().Now(), dry_run));
  return JsonReply(200, r.ToJson());
}

Result<Reply> ListExpiries(RequestContext& c, Services& s) {
  MAMORI_ASSIGN_OR_RETURN(auto* store, Store(c, s));
  MAMORI_ASSIGN_OR_RETURN(auto list, store->Expiries());
  Json items = Json::array();
  for (const auto& e : list) items.push_back(e.ToJson());
  return JsonReply(200, Json{{"items", items}});
}

Result<Reply> ListReviews(RequestContext& c, Services& s) {
  MAMORI_ASSIGN_OR_RETURN(auto list, s.log_reviews.List(c.actor()));
  Json items = Json::array();
  for (const auto& r : list) items.push_back(r.ToJson(false));
  return JsonReply(200, Json{{"items", items}});
}

Result<Reply> CreateReview(RequestContext& c, Services& s) {
  MAMORI_ASSIGN_OR_RETURN(auto* store, Store(c, s));
  MAMORI_ASSIGN_OR_RETURN(auto body, JsonBody::Parse(c.body));
  auto from = body.String("from", true, 40);
  auto to = body.String("to", true, 40);
  MAMORI_RETURN_IF_ERROR(body.Finish());
  MAMORI_ASSIGN_OR_RETURN(auto org, s.auth.GetOrg(c.actor().org_id));
  MAMORI_ASSIGN_OR_RETURN(auto r, s.log_reviews.Create(c.actor(), *store, s.log_sources, s.ledger,
                                                       *from, *to, org.name));
  return JsonReply(201, r.ToJson(true));
}

Result<Reply> GetReview(RequestContext& c, Services& s) {
  MAMORI_ASSIGN_OR_RETURN(int64_t id, c.PathId());
  MAMORI_ASSIGN_OR_RETURN(auto r, s.log_reviews.Get(c.actor(), id));
  return JsonReply(200, r.ToJson(true));
}

Result<Reply> ReviewReport(RequestContext& c, Services& s) {
  MAMORI_ASSIGN_OR_RETURN(int64_t id, c.PathId());
  MAMORI_ASSIGN_OR_RETURN(auto r, s.log_reviews.Get(c.actor(), id));
  if (!r.report_file_id)
    return MakeError(ErrorCode::kNotFound, "common.not_found", {"report", std::to_string(id)});
  MAMORI_ASSIGN_OR_RETURN(auto file, s.records.GetFile(c.scope(), *r.report_file_id));
  return FileReply(std::move(file.content), "application/pdf", file.file_name);
}

Result<Reply> SignOff(RequestContext& c, Services& s) {
  MAMORI_ASSIGN_OR_RETURN(auto* store, Store(c, s));
  MAMORI_ASSIGN_OR_RETURN(int64_t id, c.PathId());
  MAMORI_ASSIGN_OR_RETURN(auto body, JsonBody::Parse(c.body.empty() ? "{}" : c.body));
  auto comment = body.String("comment", false, 4000);
  MAMORI_RETURN_IF_ERROR(body.Finish());
  MAMORI_ASSIGN_OR_RETURN(auto r,
                          s.log_reviews.SignOff(c.actor(), *store, id, comment.value_or("")));
  return JsonReply(200, r.ToJson(false));
}

// FHIR's answer: an OperationOutcome (https://hl7.org/fhir/R4/operationoutcome.html).
Json Outcome(const std::string& severity, const std::string& code, const std::string& text) {
  return {
      {"resourceType", "OperationOutcome"},
      {"issue", Json::array({{{"severity", severity}, {"code", code}, {"diagnostics", text}}})}};
}

Result<Reply> PostAuditEvent(RequestContext& c, Services& s) {
  MAMORI_ASSIGN_OR_RETURN(auto* store, Store(c, s));
  // The sending system is the API token's user: register a log source of that name (transport
  // http) to watch it.
  std::string source = c.principal ? c.principal->user.username : "fhir";
  auto r = store->IngestFile("POST /fhir/AuditEvent", c.body, "fhir", source);
  Reply reply;
  reply.content_type = "application/fhir+json; charset=utf-8";
  if (!r.ok()) {
    reply.status = 400;
    reply.body = Outcome("error", "invalid", r.error().Message(c.lang));
    return reply;
  }
  if (r->accepted == 0) {
    reply.status = 400;
    std::string why;
    for (const auto& e : r->errors) why += (why.empty() ? "" : "; ") + e.message;
    reply.body = Outcome("error", "invalid", why);
    return reply;
  }
  reply.status = 201;
  std::string text = std::to_string(r->accepted) + " AuditEvent stored";
  if (r->rejected > 0) {
    text += ", " + std::to_string(r->rejected) + " rejected:";
    for (const auto& e : r->errors) text += " " + e.message;
  }
  reply.body = Outcome(r->rejected > 0 ? "warning" : "information", "informational", text);
  return reply;
}

}  // namespace

void AddLogsEndpoints(std::vector<Endpoint>& v) {
  using R = Resource;
  using A = Access;
  const std::vector<Endpoint> mine = {
      {"GET", "/api/v1/logs/events", "logs",
       "ログの検索（from, to, source, host, user, object, action, outcome, text, limit, before。"
       "新しい順、total は 10000 件まで数え total_exact で示す） / Search events, newest first; "
       "{total, total_exact, items, next_before}",
       true, R::kLogs, A::kRead, false, SearchEvents},
      {"GET", "/api/v1/logs/status", "logs",
       "保管庫の状態と最後の検証 / Store status and last verification", true, R::kLogs, A::kRead,
       false, Status},
      {"GET", "/api/v1/logs/export", "logs",
       "期間のイベントを包含証明つきで書出し（from, to） / A range with its inclusion proofs", true,
       R::kLogs, A::kRead, false, Export},
      {"POST", "/api/v1/logs/verify", "logs",
       "改ざん検証を実行して記録 / Verify the store and record it", true, R::kLogs, A::kWrite,
       false, Verify},
      {"POST", "/api/v1/logs/expire", "logs",
       "保存年数を過ぎたログの削除（dry_run で件数のみ）と署名した削除記録 / Remove logs past "
       "their retention, with a signed record",
       true, R::kSettings, A::kWrite, false, Expire},
      {"GET", "/api/v1/logs/expiries", "logs", "削除記録の一覧 / Expiry records", true, R::kLogs,
       A::kRead, false, ListExpiries},
      {"GET", "/api/v1/logs/sources", "logs",
       "ログリストと受信状況（途絶・時刻ずれ・未登録） / Log sources and their status", true,
       R::kLogs, A::kRead, false, Sources},
      {"POST", "/api/v1/logs/sources", "logs", "送信元の登録 / Register a log source", true,
       R::kLogs, A::kWrite, false, AddSource},
      {"PATCH", "/api/v1/logs/sources/{id}", "logs", "送信元の変更 / Change a log source", true,
       R::kLogs, A::kWrite, false, PatchSource},
      {"DELETE", "/api/v1/logs/sources/{id}", "logs", "送信元の削除 / Remove a log source", true,
       R::kLogs, A::kWrite, false, DeleteSource},
      {"GET", "/api/v1/logs/calendar", "logs", "勤務カレンダー / Working calendar", true, R::kLogs,
       A::kRead, false, GetCalendar},
      {"PATCH", "/api/v1/logs/calendar", "logs", "勤務カレンダーの変更 / Change the calendar", true,
       R::kSettings, A::kWrite, false, PatchCalendar},
      {"GET", "/api/v1/logs/reviews", "logs", "定期確認の一覧 / Reviews", true, R::kLogs, A::kRead,
       false, ListReviews},
      {"POST", "/api/v1/logs/reviews", "logs",
       "定期確認の作成（from, to: 日付） / Create a review of a period", true, R::kLogs, A::kWrite,
       false, CreateReview},
      {"GET", "/api/v1/logs/reviews/{id}", "logs", "定期確認の内容 / A review with its findings",
       true, R::kLogs, A::kRead, false, GetReview},
      {"GET", "/api/v1/logs/reviews/{id}/report", "logs", "定期確認の報告書（PDF） / Report PDF",
       true, R::kLogs, A::kRead, false, ReviewReport},
      {"POST", "/api/v1/logs/reviews/{id}/signoff", "logs",
       "定期確認の承認（comment） / Sign off a review", true, R::kLogs, A::kWrite, false, SignOff},
      {"POST", "/fhir/AuditEvent", "logs",
       "FHIR AuditEvent の受信（IHE BALP; JSON/XML、Bundle 可） / Receive FHIR AuditEvent", true,
       R::kLogs, A::kWrite, false, PostAuditEvent, true},
  };
  v.insert(v.end(), mine.begin(), mine.end());
}

}  // namespace mamori::server
