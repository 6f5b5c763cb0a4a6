#include "server/api.hpp"

#include <charconv>

#include "core/crypto.hpp"
#include "store/tx.hpp"

namespace mamori::server {

using auth::Access;
using auth::Resource;

namespace {

Reply Ok200(Json body) {
  return Reply{200, std::move(body), std::nullopt, "application/json; charset=utf-8", {}};
}
Reply Created(Json body) {
  return Reply{201, std::move(body), std::nullopt, "application/json; charset=utf-8", {}};
}

std::string SessionCookie(const std::string& value, bool secure, bool clear) {
  std::string c = "mamori_session=" + value + "; Path=/; HttpOnly; SameSite=Strict";
  if (secure) c += "; Secure";
  if (clear) c += "; Max-Age=0";
  return c;
}

Json MeJson(const auth::Principal& p, Services& s) {
  Json j = p.user.ToJson();
  if (auto org = s.auth.GetOrg(p.user.org_id); org.ok())
    j["org"] =
        Json{{"id", org->id}, {"name", org->name}, {"kind", org->kind}, {"is_demo", org->is_demo}};
  j["csrf_token"] = p.csrf_token;
  j["totp_setup_required"] = p.MustEnrolTotp();
  return j;
}

// ---- authentication ----

Result<Reply> Login(RequestContext& c, Services& s) {
  MAMORI_ASSIGN_OR_RETURN(auto body, JsonBody::Parse(c.body));
  auth::LoginRequest req;
  req.username = body.String("username", true, 64).value_or("");
  req.password = body.String("password", true, 256).value_or("");
  req.totp = body.String("totp", false, 10);
  MAMORI_RETURN_IF_ERROR(body.Finish());
  req.ip = c.ip;
  req.user_agent = c.user_agent;
  MAMORI_ASSIGN_OR_RETURN(auto result, s.auth.Login(req));
  Reply r = Ok200(MeJson(result.principal, s));
  r.headers.emplace_back("Set-Cookie",
                         SessionCookie(result.session_token, s.secure_cookies, false));
  return r;
}

Result<Reply> Logout(RequestContext& c, Services& s) {
  MAMORI_RETURN_IF_ERROR(s.auth.Logout(*c.principal, c.ip));
  Reply r = Ok200(Json{{"ok", true}});
  r.headers.emplace_back("Set-Cookie", SessionCookie("", s.secure_cookies, true));
  return r;
}

Result<Reply> Me(RequestContext& c, Services& s) {
  return Ok200(MeJson(*c.principal, s));
}

Result<Reply> ChangePassword(RequestContext& c, Services& s) {
  MAMORI_ASSIGN_OR_RETURN(auto body, JsonBody::Parse(c.body));
  auto current = body.String("current_password", true, 256);
  auto next = body.String("new_password", true, 256);
  MAMORI_RETURN_IF_ERROR(body.Finish());
  MAMORI_RETURN_IF_ERROR(s.auth.ChangeOwnPassword(*c.principal, c.ip, *current, *next));
  return Ok200(Json{{"ok", true}});
}

Result<Reply> TotpEnroll(RequestContext& c, Services& s) {
  MAMORI_ASSIGN_OR_RETURN(auto e, s.auth.BeginTotp(*c.principal, c.ip));
  return Ok200(Json{{"secret", e.secret}, {"otpauth_uri", e.otpauth_uri}});
}

Result<Reply> TotpConfirm(RequestContext& c, Services& s) {
  MAMORI_ASSIGN_OR_RETURN(auto body, JsonBody::Parse(c.body));
  auto code = body.String("code", true, 10);
  MAMORI_RETURN_IF_ERROR(body.Finish());
  MAMORI_RETURN_IF_ERROR(s.auth.ConfirmTotp(*c.principal, c.ip, *code));
  return Ok200(Json{{"totp_enabled", true}});
}

Result<Reply> ListTokens(RequestContext& c, Services& s) {
  MAMORI_ASSIGN_OR_RETURN(auto tokens, s.auth.ListApiTokens(*c.principal));
  return ItemsReply(tokens);
}

Result<Reply> CreateToken(RequestContext& c, Services& s) {
  MAMORI_ASSIGN_OR_RETURN(auto body, JsonBody::Parse(c.body));
  auto name = body.String("name", true, 100);
  auto days = body.Int("days", false);
  MAMORI_RETURN_IF_ERROR(body.Finish());
  std::optional<int> d;
  if (days) d = static_cast<int>(std::clamp<int64_t>(*days, -1, 10000));
  MAMORI_ASSIGN_OR_RETURN(auto t, s.auth.CreateApiToken(*c.principal, c.ip, *name, d));
  Json j = t.info.ToJson();
  j["token"] = t.secret;
  return Created(j);
}

Result<Reply> RevokeToken(RequestContext& c, Services& s) {
  MAMORI_ASSIGN_OR_RETURN(int64_t id, c.PathId());
  MAMORI_RETURN_IF_ERROR(s.auth.RevokeApiToken(*c.principal, c.ip, id));
  return Ok200(Json{{"revoked", true}});
}

// ---- users ----

Result<Reply> ListUsers(RequestContext& c, Services& s) {
  MAMORI_ASSIGN_OR_RETURN(auto users, s.auth.ListUsers(c.actor()));
  return ItemsReply(users);
}

Result<Reply> GetUser(RequestContext& c, Services& s) {
  MAMORI_ASSIGN_OR_RETURN(int64_t id, c.PathId());
  MAMORI_ASSIGN_OR_RETURN(auto u, s.auth.GetUser(c.actor(), id));
  return Ok200(u.ToJson());
}

Result<auth::Role> RoleField(const std::string& s) {
  auto role = auth::ParseRole(s);
  if (!role) return MakeError(ErrorCode::kInvalidArgument, "user.bad_role", {s}, "role");
  return *role;
}

Result<Reply> CreateUser(RequestContext& c, Services& s) {
  MAMORI_ASSIGN_OR_RETURN(auto body, JsonBody::Parse(c.body));
  auth::NewUser u;
  u.username = body.String("username", true, 64).value_or("");
  u.display_name = body.String("display_name", false, 200).value_or("");
  auto role = body.String("role", true, 20);
  u.vendor_id = body.Int("vendor_id", false);
  u.password = body.String("password", true, 256).value_or("");
  u.totp_required = body.Bool("totp_required", false).value_or(false);
  MAMORI_RETURN_IF_ERROR(body.Finish());
  MAMORI_ASSIGN_OR_RETURN(u.role, RoleField(*role));
  MAMORI_ASSIGN_OR_RETURN(auto created, s.auth.CreateUser(c.actor(), u));
  return Created(created.ToJson());
}

Result<Reply> PatchUser(RequestContext& c, Services& s) {
  MAMORI_ASSIGN_OR_RETURN(int64_t id, c.PathId());
  MAMORI_ASSIGN_OR_RETURN(auto body, JsonBody::Parse(c.body));
  auth::UserPatch p;
  p.display_name = body.String("display_name", false, 200);
  auto role = body.String("role", false, 20);
  p.disabled = body.Bool("disabled", false);
  p.totp_required = body.Bool("totp_required", false);
  p.reset_totp = body.Bool("reset_totp", false).value_or(false);
  p.unlock = body.Bool("unlock", false).value_or(false);
  MAMORI_RETURN_IF_ERROR(body.Finish());
  if (role) {
    MAMORI_ASSIGN_OR_RETURN(p.role, RoleField(*role));
  }
  MAMORI_ASSIGN_OR_RETURN(auto u, s.auth.UpdateUser(c.actor(), id, p));
  return Ok200(u.ToJson());
}

Result<Reply> SetUserPassword(RequestContext& c, Services& s) {
  MAMORI_ASSIGN_OR_RETURN(int64_t id, c.PathId());
  MAMORI_ASSIGN_OR_RETURN(auto body, JsonBody::Parse(c.body));
  auto pw = body.String("password", true, 256);
  MAMORI_RETURN_IF_ERROR(body.Finish());
  MAMORI_RETURN_IF_ERROR(s.auth.SetPassword(c.actor(), id, *pw));
  return Ok200(Json{{"ok", true}});
}

// ---- audit ----

Result<audit::Query> AuditQuery(RequestContext& c) {
  audit::Query q;
  for (const char* key : {"from", "to"}) {
    auto v = c.Param(key);
    if (v.empty()) continue;
    auto t = ParseTime(v);
    if (!t) return MakeError(ErrorCode::kInvalidArgument, "common.bad_param", {key}, key);
    (std::string(key) == "from" ? q.from : q.to) = *t;
  }
  q.action_prefix = c.Param("action");
  q.entity = c.Param("entity");
  q.entity_id = c.Param("entity_id");
  q.username = c.Param("user");
  MAMORI_ASSIGN_OR_RETURN(q.limit, c.IntParam("limit", 100));
  MAMORI_ASSIGN_OR_RETURN(int64_t before, c.IntParam("before_id", 0));
  if (before > 0) q.before_id = before;
  return q;
}

Result<Reply> ListAudit(RequestContext& c, Services& s) {
  MAMORI_ASSIGN_OR_RETURN(auto q, AuditQuery(c));
  MAMORI_ASSIGN_OR_RETURN(auto entries, s.audit.List(c.actor(), q));
  Json items = Json::array();
  for (const auto& e : entries) items.push_back(e.ToJson());
  Json out{{"items", items}};
  if (!entries.empty() && static_cast<int64_t>(entries.size()) == q.limit)
    out["next_before_id"] = entries.back().id;
  return Ok200(out);
}

Result<Reply> ExportAudit(RequestContext& c, Services& s) {
  MAMORI_ASSIGN_OR_RETURN(auto q, AuditQuery(c));
  MAMORI_ASSIGN_OR_RETURN(auto csv, s.audit.ExportCsv(c.actor(), q));
  Reply r;
  r.raw = std::move(csv);
  r.content_type = "text/csv; charset=utf-8";
  r.headers.emplace_back("Content-Disposition", "attachment; filename=\"mamori-audit.csv\"");
  return r;
}

Result<Reply> VerifyAudit(RequestContext&, Services& s) {
  auto n = store::VerifyAuditChain(s.db);
  if (!n.ok()) {
    if (n.error().code != ErrorCode::kCorruption) return std::move(n).error();
    return Ok200(Json{{"ok", false}, {"problem", n.error().args}});
  }
  return Ok200(Json{{"ok", true}, {"records", *n}});
}

Result<Reply> AssetHistory(RequestContext& c, Services& s) {
  MAMORI_ASSIGN_OR_RETURN(int64_t id, c.PathId());
  MAMORI_RETURN_IF_ERROR(s.ledger.GetAsset(c.scope(), id));  // visible to this caller?
  audit::Query q;
  q.entity = "asset";
  q.entity_id = std::to_string(id);
  q.limit = 200;
  MAMORI_ASSIGN_OR_RETURN(auto entries, s.audit.List(c.actor(), q));
  return ItemsReply(entries);
}

// ---- ledger ----

Result<Reply> ListVendors(RequestContext& c, Services& s) {
  MAMORI_ASSIGN_OR_RETURN(auto vendors, s.ledger.ListVendors(c.scope()));
  return ItemsReply(vendors);
}

Result<Reply> CreateVendor(RequestContext& c, Services& s) {
  MAMORI_ASSIGN_OR_RETURN(auto body, JsonBody::Parse(c.body));
  ledger::Vendor v;
  MAMORI_RETURN_IF_ERROR(ledger::ReadVendor(body, v, true));
  MAMORI_ASSIGN_OR_RETURN(auto created, s.ledger.CreateVendor(c.scope(), v));
  return Created(created.ToJson());
}

Result<Reply> ListSystems(RequestContext& c, Services& s) {
  MAMORI_ASSIGN_OR_RETURN(auto systems, s.ledger.ListSystems(c.scope()));
  return ItemsReply(systems);
}

Result<Reply> GetSystem(RequestContext& c, Services& s) {
  MAMORI_ASSIGN_OR_RETURN(int64_t id, c.PathId());
  MAMORI_ASSIGN_OR_RETURN(auto x, s.ledger.GetSystem(c.scope(), id));
  return Ok200(x.ToJson());
}

Result<Reply> CreateSystem(RequestContext& c, Services& s) {
  MAMORI_ASSIGN_OR_RETURN(auto body, JsonBody::Parse(c.body));
  ledger::System x;
  MAMORI_RETURN_IF_ERROR(ledger::ReadSystem(body, x, true));
  MAMORI_ASSIGN_OR_RETURN(auto created, s.ledger.CreateSystem(c.scope(), x));
  return Created(created.ToJson());
}

Result<Reply> PatchSystem(RequestContext& c, Services& s) {
  MAMORI_ASSIGN_OR_RETURN(int64_t id, c.PathId());
  MAMORI_ASSIGN_OR_RETURN(auto body, JsonBody::Parse(c.body));
  MAMORI_ASSIGN_OR_RETURN(auto x, s.ledger.UpdateSystem(c.scope(), id, body));
  return Ok200(x.ToJson());
}

Result<Reply> ListAssets(RequestContext& c, Services& s) {
  ledger::AssetQuery q;
  q.text = c.Param("q");
  q.category = c.Param("category");
  q.sort = c.Param("sort");
  q.filter = c.Param("filter");
  MAMORI_ASSIGN_OR_RETURN(q.limit, c.IntParam("limit", 100));
  MAMORI_ASSIGN_OR_RETURN(q.offset, c.IntParam("offset", 0));
  MAMORI_ASSIGN_OR_RETURN(auto page, s.ledger.ListAssets(c.scope(), q));
  Json items = Json::array();
  for (const auto& a : page.items) items.push_back(a.ToJsonWithCompleteness());
  return Ok200(
      Json{{"items", items}, {"total", page.total}, {"limit", q.limit}, {"offset", q.offset}});
}

Result<Reply> GetAsset(RequestContext& c, Services& s) {
  MAMORI_ASSIGN_OR_RETURN(int64_t id, c.PathId());
  MAMORI_ASSIGN_OR_RETURN(auto a, s.ledger.GetAsset(c.scope(), id));
  return Ok200(a.ToJsonWithCompleteness());
}

Result<Reply> CreateAsset(RequestContext& c, Services& s) {
  MAMORI_ASSIGN_OR_RETURN(auto body, JsonBody::Parse(c.body));
  ledger::Asset a;
  MAMORI_RETURN_IF_ERROR(ledger::ReadAsset(body, a, true));
  MAMORI_ASSIGN_OR_RETURN(auto created, s.ledger.CreateAsset(c.scope(), a));
  return Created(created.ToJson());
}

Result<Reply> PatchAsset(RequestContext& c, Services& s) {
  MAMORI_ASSIGN_OR_RETURN(int64_t id, c.PathId());
  MAMORI_ASSIGN_OR_RETURN(auto body, JsonBody::Parse(c.body));
  MAMORI_ASSIGN_OR_RETURN(auto a, s.ledger.UpdateAsset(c.scope(), id, body));
  return Ok200(a.ToJson());
}

Result<Reply> OpenApi(RequestContext&, Services&) {
  return Ok200(OpenApiDocument());
}

}  // namespace

Reply JsonReply(int status, Json body) {
  return Reply{status, std::move(body), std::nullopt, "application/json; charset=utf-8", {}};
}

Reply FileReply(std::string content, std::string content_type, const std::string& file_name) {
  Reply r;
  r.raw = std::move(content);
  r.content_type = std::move(content_type);
  // RFC 6266/5987: an ASCII fallback and the UTF-8 name percent-encoded.
  std::string encoded;
  for (unsigned char ch : file_name) {
    if (std::isalnum(ch) || ch == '.' || ch == '-' || ch == '_') {
      encoded += static_cast<char>(ch);
    } else {
      char buf[4];
      std::snprintf(buf, sizeof buf, "%%%02X", ch);
      encoded += buf;
    }
  }
  r.headers.emplace_back("Content-Disposition",
                         "attachment; filename=\"download\"; filename*=UTF-8''" + encoded);
  return r;
}

store::Actor RequestContext::actor() const {
  if (principal) return principal->ToActor(ip);
  return store::Actor{0, std::nullopt, "anonymous", ip};
}

ledger::Scope RequestContext::scope() const {
  ledger::Scope s{actor(), std::nullopt};
  if (principal && auth::VendorScoped(principal->user.role)) {
    // A vendor user without a vendor would see everything: fail closed with an impossible id.
    s.vendor_id = principal->user.vendor_id.value_or(-1);
  }
  return s;
}

std::string RequestContext::Param(const std::string& key, const std::string& def) const {
  auto it = params.find(key);
  return it == params.end() ? def : it->second;
}

Result<int64_t> RequestContext::IntParam(const std::string& key, int64_t def) const {
  auto it = params.find(key);
  if (it == params.end() || it->second.empty()) return def;
  int64_t v = 0;
  const auto& s = it->second;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || p != s.data() + s.size())
    return MakeError(ErrorCode::kInvalidArgument, "common.bad_param", {key}, key);
  return v;
}

Result<int64_t> RequestContext::PathId(size_t i) const {
  if (i >= path_ids.size()) return MakeError(ErrorCode::kInvalidArgument, "common.bad_id");
  int64_t v = 0;
  const auto& s = path_ids[i];
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || p != s.data() + s.size() || v <= 0)
    return MakeError(ErrorCode::kInvalidArgument, "common.bad_id");
  return v;
}

Result<std::string> FileContent(JsonBody& body, bool required) {
  constexpr size_t kMaxFileBase64 = 44 << 20;
  auto b64 = body.String("content_base64", required, kMaxFileBase64);
  if (!b64) return std::string();
  auto bytes = Base64Decode(*b64);
  if (!bytes)
    return MakeError(ErrorCode::kInvalidArgument, "json.wrong_type", {"content_base64", "base64"},
                     "content_base64");
  return *bytes;
}

int HttpStatusFor(ErrorCode code) {
  switch (code) {
    case ErrorCode::kInvalidArgument:
      return 400;
    case ErrorCode::kNotFound:
      return 404;
    case ErrorCode::kConflict:
      return 409;
    case ErrorCode::kUnauthenticated:
      return 401;
    case ErrorCode::kPermissionDenied:
      return 403;
    case ErrorCode::kTooManyRequests:
      return 429;
    case ErrorCode::kTooLarge:
      return 413;
    case ErrorCode::kUnavailable:
      return 503;
    case ErrorCode::kIo:
    case ErrorCode::kCorruption:
    case ErrorCode::kInternal:
      return 500;
  }
  return 500;
}

Json ErrorBody(const Error& e, Lang lang) {
  Json err{{"code", ErrorCodeName(e.code)}, {"key", e.key}};
  // Internal details (driver messages) stay in the server log, not in responses.
  Error shown = e;
  if (HttpStatusFor(e.code) >= 500) shown.detail.clear();
  err["message"] = shown.Message(lang);
  if (!e.field.empty()) err["field"] = e.field;
  return Json{{"error", err}};
}

const std::vector<Endpoint>& Endpoints() {
  using R = Resource;
  using A = Access;
  static const std::vector<Endpoint> kEndpoints = [] {
    std::vector<Endpoint> v = {
        {"GET", "/api/v1/openapi.json", "meta", "API仕様（OpenAPI 3） / OpenAPI description", false,
         R::kSettings, A::kRead, true, OpenApi},
        {"POST", "/api/v1/auth/login", "auth", "ログイン / Log in", false, R::kSettings, A::kRead,
         true, Login},
        {"POST", "/api/v1/auth/logout", "auth", "ログアウト / Log out", true, R::kSettings,
         A::kNone, true, Logout},
        {"GET", "/api/v1/auth/me", "auth", "ログイン中のユーザー / Current user", true,
         R::kSettings, A::kNone, true, Me},
        {"POST", "/api/v1/auth/password", "auth", "自分のパスワード変更 / Change own password",
         true, R::kSettings, A::kNone, true, ChangePassword},
        {"POST", "/api/v1/auth/totp/enroll", "auth", "二要素認証の登録開始 / Begin TOTP enrolment",
         true, R::kSettings, A::kNone, true, TotpEnroll},
        {"POST", "/api/v1/auth/totp/confirm", "auth", "二要素認証の有効化 / Confirm TOTP", true,
         R::kSettings, A::kNone, true, TotpConfirm},
        {"GET", "/api/v1/auth/tokens", "auth", "自分のAPIトークン一覧 / Own API tokens", true,
         R::kSettings, A::kNone, false, ListTokens},
        {"POST", "/api/v1/auth/tokens", "auth", "APIトークン発行 / Create an API token", true,
         R::kSettings, A::kNone, false, CreateToken},
        {"DELETE", "/api/v1/auth/tokens/{id}", "auth", "APIトークン失効 / Revoke an API token",
         true, R::kSettings, A::kNone, false, RevokeToken},

        {"GET", "/api/v1/users", "users", "ユーザー一覧 / List users", true, R::kUsers, A::kRead,
         false, ListUsers},
        {"POST", "/api/v1/users", "users", "ユーザー作成 / Create a user", true, R::kUsers,
         A::kWrite, false, CreateUser},
        {"GET", "/api/v1/users/{id}", "users", "ユーザー詳細 / Get a user", true, R::kUsers,
         A::kRead, false, GetUser},
        {"PATCH", "/api/v1/users/{id}", "users",
         "ユーザー変更（ロール・無効化・二要素必須・ロック解除） / Update a user", true, R::kUsers,
         A::kWrite, false, PatchUser},
        {"POST", "/api/v1/users/{id}/password", "users", "パスワード再設定 / Reset a password",
         true, R::kUsers, A::kWrite, false, SetUserPassword},

        {"GET", "/api/v1/audit", "audit", "監査証跡 / Audit trail", true, R::kAudit, A::kRead,
         false, ListAudit},
        {"GET", "/api/v1/audit/export", "audit", "監査証跡CSV出力 / Export the audit trail (CSV)",
         true, R::kAudit, A::kRead, false, ExportAudit},
        {"GET", "/api/v1/audit/verify", "audit", "監査証跡の改ざん検証 / Verify the hash chain",
         true, R::kAudit, A::kRead, false, VerifyAudit},

        {"GET", "/api/v1/vendors", "ledger", "事業者一覧 / List vendors", true, R::kLedger,
         A::kRead, false, ListVendors},
        {"POST", "/api/v1/vendors", "ledger", "事業者登録 / Create a vendor", true, R::kLedger,
         A::kWrite, false, CreateVendor},
        {"GET", "/api/v1/systems", "ledger", "医療情報システム一覧 / List systems", true,
         R::kLedger, A::kRead, false, ListSystems},
        {"POST", "/api/v1/systems", "ledger", "システム登録 / Create a system", true, R::kLedger,
         A::kWrite, false, CreateSystem},
        {"GET", "/api/v1/systems/{id}", "ledger", "システム詳細 / Get a system", true, R::kLedger,
         A::kRead, false, GetSystem},
        {"PATCH", "/api/v1/systems/{id}", "ledger", "システム変更 / Update a system", true,
         R::kLedger, A::kWrite, false, PatchSystem},
        {"GET", "/api/v1/assets", "ledger", "機器台帳一覧（検索・ページング） / List assets", true,
         R::kLedger, A::kRead, false, ListAssets},
        {"POST", "/api/v1/assets", "ledger", "機器登録 / Create an asset", true, R::kLedger,
         A::kWrite, false, CreateAsset},
        {"GET", "/api/v1/assets/{id}", "ledger", "機器詳細 / Get an asset", true, R::kLedger,
         A::kRead, false, GetAsset},
        {"PATCH", "/api/v1/assets/{id}", "ledger", "機器変更 / Update an asset", true, R::kLedger,
         A::kWrite, false, PatchAsset},
        {"GET", "/api/v1/assets/{id}/history", "ledger", "機器の変更履歴 / Asset history", true,
         R::kLedger, A::kRead, false, AssetHistory},
    };
    AddLedgerEndpoints(v);
    AddChecklistEndpoints(v);
    AddVulnEndpoints(v);
    AddLogsEndpoints(v);
    return v;
  }();
  return kEndpoints;
}

}  // namespace mamori::server
