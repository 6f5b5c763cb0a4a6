#include "auth/auth_service.hpp"

#include <algorithm>

#include "auth/auth_repository.hpp"
#include "auth/totp.hpp"
#include "core/crypto.hpp"

namespace mamori::auth {

namespace {

constexpr UnixMillis kTouchEveryMs = UnixMillis{60} * 1000;

store::Actor SystemActor(int64_t org_id, std::string username, std::string ip) {
  return store::Actor{org_id, std::nullopt, std::move(username), std::move(ip)};
}

Error NotFound(const std::string& what, const std::string& id) {
  return MakeError(ErrorCode::kNotFound, "common.not_found", {what, id});
}

Status ValidUsername(const std::string& name) {
  bool ok = name.size() >= 3 && name.size() <= 64;
  for (char c : name) {
    bool allowed = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                   c == '.' || c == '_' || c == '-' || c == '@';
    ok = ok && allowed;
  }
  if (!ok) return MakeError(ErrorCode::kInvalidArgument, "user.bad_username", {}, "username");
  return Ok();
}

// A real Argon2id hash of a random password: verifying against it for unknown user names takes
// as long as for known ones, so response times do not reveal which names exist.
const std::string& DummyHash(HashCost cost) {
  static const std::string interactive = HashPassword(RandomToken(16)).value();
  static const std::string minimal = HashPassword(RandomToken(16), HashCost::kMinimal).value();
  return cost == HashCost::kInteractive ? interactive : minimal;
}

std::string MinutesCeil(UnixMillis ms) {
  return std::to_string((ms + 59999) / 60000);
}

}  // namespace

Json User::ToJson() const {
  Json j = {{"id", id},
            {"org_id", org_id},
            {"username", username},
            {"display_name", display_name},
            {"role", RoleName(role)},
            {"vendor_id", vendor_id ? Json(*vendor_id) : Json(nullptr)},
            {"totp_enabled", totp_enabled},
            {"totp_required", totp_required},
            {"disabled", disabled},
            {"locked_until", locked_until ? Json(FormatJst(locked_until)) : Json(nullptr)},
            {"created_at", FormatJst(created_at)},
            {"last_login_at", last_login_at ? Json(FormatJst(*last_login_at)) : Json(nullptr)}};
  return j;
}

Json ApiTokenInfo::ToJson() const {
  return Json{{"id", id},
              {"name", name},
              {"prefix", prefix},
              {"created_at", FormatJst(created_at)},
              {"expires_at", expires_at ? Json(FormatJst(*expires_at)) : Json(nullptr)},
              {"last_used_at", last_used_at ? Json(FormatJst(*last_used_at)) : Json(nullptr)},
              {"revoked", revoked}};
}

store::Actor Principal::ToActor(std::string ip) const {
  return store::Actor{user.org_id, user.id, user.username, std::move(ip)};
}

Result<int64_t> AuthService::CreateOrg(const store::Actor& actor, const std::string& name,
                                       const std::string& kind, bool is_demo) {
  if (name.empty() || name.size() > 200)
    return MakeError(ErrorCode::kInvalidArgument, "org.bad_name", {}, "name");
  MAMORI_ASSIGN_OR_RETURN(auto tx, store::Tx::Begin(db_, actor));
  MAMORI_ASSIGN_OR_RETURN(int64_t id, repo::InsertOrg(tx, name, kind, is_demo));
  // The record belongs to the new organisation, so its admins see how it began.
  MAMORI_RETURN_IF_ERROR(
      tx.Audit({"org.create", "org", std::to_string(id), nullptr,
                Json{{"name", name}, {"kind", kind}, {"is_demo", is_demo}}, id}));
  MAMORI_RETURN_IF_ERROR(tx.Commit());
  return id;
}

Result<std::optional<int64_t>> AuthService::FirstOrg() {
  MAMORI_ASSIGN_OR_RETURN(auto tx, store::Tx::BeginRead(db_, SystemActor(0, "system", "")));
  return repo::FirstOrgId(tx);
}

Result<std::vector<int64_t>> AuthService::OrgIds() {
  MAMORI_ASSIGN_OR_RETURN(auto tx, store::Tx::BeginRead(db_, SystemActor(0, "system", "")));
  return repo::OrgIds(tx);
}

Result<AuthService::Org> AuthService::GetOrg(int64_t id) {
  MAMORI_ASSIGN_OR_RETURN(auto tx, store::Tx::BeginRead(db_, SystemActor(id, "system", "")));
  MAMORI_ASSIGN_OR_RETURN(auto org, repo::OrgById(tx, id));
  if (!org) return NotFound("org", std::to_string(id));
  return *org;
}

Result<User> AuthService::CreateUser(const store::Actor& actor, const NewUser& u) {
  MAMORI_RETURN_IF_ERROR(ValidUsername(u.username));
  if (u.display_name.size() > 200)
    return MakeError(ErrorCode::kInvalidArgument, "json.too_long", {"display_name", "200"},
                     "display_name");
  if (u.role == Role::kVendor && !u.vendor_id)
    return MakeError(ErrorCode::kInvalidArgument, "user.vendor_required", {}, "vendor");
  if (u.role != Role::kVendor && u.vendor_id)
    return MakeError(ErrorCode::kInvalidArgument, "user.vendor_only_for_vendor_role", {}, "vendor");
  MAMORI_RETURN_IF_ERROR(CheckPasswordPolicy(u.password, u.username, policy_.min_password_length));
  MAMORI_ASSIGN_OR_RETURN(std::string hash, HashPassword(u.password, policy_.hash_cost));

  NewUser scoped = u;
  scoped.org_id = actor.org_id;
  MAMORI_ASSIGN_OR_RETURN(auto tx, store::Tx::Begin(db_, actor));
  if (scoped.vendor_id) {
    MAMORI_ASSIGN_OR_RETURN(bool exists, repo::VendorExists(tx, actor.org_id, *scoped.vendor_id));
    if (!exists)
      return MakeError(ErrorCode::kInvalidArgument, "user.unknown_vendor",
                       {std::to_string(*scoped.vendor_id)}, "vendor");
  }
  MAMORI_ASSIGN_OR_RETURN(auto existing, repo::UserByName(tx, scoped.username));
  if (existing)
    return MakeError(ErrorCode::kConflict, "user.exists", {scoped.username}, "username");
  MAMORI_ASSIGN_OR_RETURN(int64_t id, repo::InsertUser(tx, scoped, hash));
  MAMORI_ASSIGN_OR_RETURN(auto row, repo::UserById(tx, actor.org_id, id));
  MAMORI_RETURN_IF_ERROR(
      tx.Audit({"user.create", "user", std::to_string(id), nullptr, row->user.ToJson()}));
  MAMORI_RETURN_IF_ERROR(tx.Commit());
  return row->user;
}

Result<std::vector<User>> AuthService::ListUsers(const store::Actor& actor) {
  MAMORI_ASSIGN_OR_RETURN(auto tx, store::Tx::BeginRead(db_, actor));
  return repo::UsersOfOrg(tx, actor.org_id);
}

Result<User> AuthService::GetUser(const store::Actor& actor, int64_t id) {
  MAMORI_ASSIGN_OR_RETURN(auto tx, store::Tx::BeginRead(db_, actor));
  MAMORI_ASSIGN_OR_RETURN(auto row, repo::UserById(tx, actor.org_id, id));
  if (!row) return NotFound("user", std::to_string(id));
  return row->user;
}

Result<User> AuthService::FindUserByName(const store::Actor& actor, const std::string& username) {
  MAMORI_ASSIGN_OR_RETURN(auto tx, store::Tx::BeginRead(db_, actor));
  MAMORI_ASSIGN_OR_RETURN(auto row, repo::UserByName(tx, username));
  if (!row || row->user.org_id != actor.org_id) return NotFound("user", username);
  return row->user;
}

Result<User> AuthService::UpdateUser(const store::Actor& actor, int64_t id, const UserPatch& p) {
  MAMORI_ASSIGN_OR_RETURN(auto tx, store::Tx::Begin(db_, actor));
  MAMORI_ASSIGN_OR_RETURN(auto row, repo::UserById(tx, actor.org_id, id));
  if (!row) return NotFound("user", std::to_string(id));
  User before = row->user;
  User after = before;
  if (p.display_name) after.display_name = *p.display_name;
  if (p.role) {
    if ((*p.role == Role::kVendor) != before.vendor_id.has_value())
      return MakeError(ErrorCode::kInvalidArgument, "user.role_vendor_mismatch", {}, "role");
    after.role = *p.role;
  }
  if (p.disabled) after.disabled = *p.disabled;
  if (p.totp_required) after.totp_required = *p.totp_required;
  if (p.unlock) after.locked_until = 0;
  bool was_admin = before.role == Role::kAdmin && !before.disabled;
  bool is_admin = after.role == Role::kAdmin && !after.disabled;
  if (was_admin && !is_admin) {
    MAMORI_ASSIGN_OR_RETURN(auto all, repo::UsersOfOrg(tx, actor.org_id));
    auto admins = std::count_if(all.begin(), all.end(), [](const User& x) {
      return x.role == Role::kAdmin && !x.disabled;
    });
    if (admins <= 1) return MakeError(ErrorCode::kConflict, "user.last_admin");
  }
  MAMORI_RETURN_IF_ERROR(repo::UpdateUserFields(tx, after));
  if (p.unlock) MAMORI_RETURN_IF_ERROR(repo::RecordLoginFailure(tx, id, 0, 0));
  if (p.reset_totp) {
    MAMORI_RETURN_IF_ERROR(repo::SetTotpSecret(tx, id, std::nullopt, false));
    after.totp_enabled = false;
  }
  if (after.disabled && !before.disabled)
    MAMORI_RETURN_IF_ERROR(repo::DeleteSessionsOfUser(tx, id));
  MAMORI_RETURN_IF_ERROR(
      tx.Audit({"user.update", "user", std::to_string(id), before.ToJson(), after.ToJson()}));
  MAMORI_RETURN_IF_ERROR(tx.Commit());
  return after;
}

Status AuthService::SetPassword(const store::Actor& actor, int64_t id,
                                const std::string& password) {
  MAMORI_ASSIGN_OR_RETURN(auto tx, store::Tx::Begin(db_, actor));
  MAMORI_ASSIGN_OR_RETURN(auto row, repo::UserById(tx, actor.org_id, id));
  if (!row) return NotFound("user", std::to_string(id));
  MAMORI_RETURN_IF_ERROR(
      CheckPasswordPolicy(password, row->user.username, policy_.min_password_length));
  MAMORI_ASSIGN_OR_RETURN(std::string hash, HashPassword(password, policy_.hash_cost));
  MAMORI_RETURN_IF_ERROR(repo::UpdatePasswordHash(tx, id, hash));
  MAMORI_RETURN_IF_ERROR(repo::DeleteSessionsOfUser(tx, id));
  MAMORI_RETURN_IF_ERROR(tx.Audit({"user.password_set", "user", std::to_string(id), nullptr,
                                   Json{{"password_changed", true}}}));
  return tx.Commit();
}

Status AuthService::ChangeOwnPassword(const Principal& who, const std::string& ip,
                                      const std::string& current, const std::string& next) {
  auto actor = who.ToActor(ip);
  MAMORI_ASSIGN_OR_RETURN(auto tx, store::Tx::Begin(db_, actor));
  MAMORI_ASSIGN_OR_RETURN(auto row, repo::UserById(tx, who.user.org_id, who.user.id));
  if (!row) return NotFound("user", std::to_string(who.user.id));
  if (!VerifyPassword(row->password_hash, current))
    return MakeError(ErrorCode::kInvalidArgument, "auth.current_password_wrong", {},
                     "current_password");
  MAMORI_RETURN_IF_ERROR(CheckPasswordPolicy(next, who.user.username, policy_.min_password_length));
  MAMORI_ASSIGN_OR_RETURN(std::string hash, HashPassword(next, policy_.hash_cost));
  MAMORI_RETURN_IF_ERROR(repo::UpdatePasswordHash(tx, who.user.id, hash));
  // Other sessions end: a password change is what a user does after suspecting a compromise.
  MAMORI_RETURN_IF_ERROR(repo::DeleteOtherSessions(tx, who.user.id, who.session_key));
  MAMORI_RETURN_IF_ERROR(tx.Audit({"user.password_change", "user", std::to_string(who.user.id),
                                   nullptr, Json{{"password_changed", true}}}));
  return tx.Commit();
}

Result<LoginResult> AuthService::Login(const LoginRequest& req) {
  const UnixMillis now = db_.clock().Now();
  MAMORI_ASSIGN_OR_RETURN(auto tx, store::Tx::Begin(db_, SystemActor(0, req.username, req.ip)));
  MAMORI_ASSIGN_OR_RETURN(auto row, repo::UserByName(tx, req.username));
  auto fail = [&](const char* reason, int64_t org_id, std::optional<int64_t> user_id) -> Status {
    return tx.Audit({"auth.login_failed", "user", user_id ? std::to_string(*user_id) : "", nullptr,
                     Json{{"username", req.username}, {"reason", reason}}, org_id});
  };
  Error bad = MakeError(ErrorCode::kUnauthenticated, "auth.bad_credentials");
  if (!row) {
    (void)VerifyPassword(DummyHash(policy_.hash_cost), req.password);
    MAMORI_RETURN_IF_ERROR(fail("unknown_user", 0, std::nullopt));
    MAMORI_RETURN_IF_ERROR(tx.Commit());
    return bad;
  }
  User& u = row->user;
  if (u.locked_until > now) {
    MAMORI_RETURN_IF_ERROR(fail("locked", u.org_id, u.id));
    MAMORI_RETURN_IF_ERROR(tx.Commit());
    return MakeError(ErrorCode::kTooManyRequests, "auth.locked",
                     {MinutesCeil(u.locked_until - now)});
  }
  bool password_ok = VerifyPassword(row->password_hash, req.password);
  std::optional<int64_t> totp_step;
  if (password_ok && !u.disabled && u.totp_enabled) {
    if (!req.totp || req.totp->empty()) {
      // Not a failure: the client asks for the second factor and tries again.
      return MakeError(ErrorCode::kUnauthenticated, "auth.totp_required");
    }
    totp_step =
        VerifyTotp(row->totp_secret.value_or(""), *req.totp, now / 1000, row->totp_last_step);
  }
  if (!password_ok || u.disabled || (u.totp_enabled && !totp_step)) {
    const char* reason = !password_ok ? "bad_password" : u.disabled ? "disabled" : "bad_totp";
    int failures = row->failed_logins + (u.disabled ? 0 : 1);
    UnixMillis locked_until = 0;
    if (failures >= policy_.max_failures) {
      locked_until = now + policy_.lockout_ms;
      failures = 0;
    }
    MAMORI_RETURN_IF_ERROR(repo::RecordLoginFailure(tx, u.id, failures, locked_until));
    MAMORI_RETURN_IF_ERROR(fail(reason, u.org_id, u.id));
    if (locked_until) {
      MAMORI_RETURN_IF_ERROR(tx.Audit({"auth.locked", "user", std::to_string(u.id), nullptr,
                                       Json{{"until", FormatJst(locked_until)}}, u.org_id}));
    }
    MAMORI_RETURN_IF_ERROR(tx.Commit());
    if (locked_until)
      return MakeError(ErrorCode::kTooManyRequests, "auth.locked",
                       {MinutesCeil(policy_.lockout_ms)});
    return bad;
  }
  if (totp_step) MAMORI_RETURN_IF_ERROR(repo::SetTotpLastStep(tx, u.id, *totp_step));
  MAMORI_RETURN_IF_ERROR(repo::RecordLoginSuccess(tx, u.id));
  LoginResult out;
  out.session_token = RandomToken(32);
  out.principal.user = u;
  out.principal.user.last_login_at = now;
  out.principal.csrf_token = RandomToken(32);
  out.principal.session_key = Sha256Hex(out.session_token);
  MAMORI_RETURN_IF_ERROR(repo::InsertSession(tx, out.principal.session_key, u,
                                             out.principal.csrf_token, req.ip, req.user_agent));
  MAMORI_RETURN_IF_ERROR(tx.Audit({"auth.login", "user", std::to_string(u.id), nullptr,
                                   Json{{"totp", totp_step.has_value()}}, u.org_id}));
  MAMORI_RETURN_IF_ERROR(tx.Commit());
  return out;
}

Result<Principal> AuthService::AuthenticateSession(const std::string& session_token) {
  Error expired = MakeError(ErrorCode::kUnauthenticated, "auth.session_expired");
  if (session_token.size() != 64) return expired;
  const UnixMillis now = db_.clock().Now();
  std::string key = Sha256Hex(session_token);
  Principal p;
  bool touch = false;
  {
    MAMORI_ASSIGN_OR_RETURN(auto tx, store::Tx::BeginRead(db_, SystemActor(0, "system", "")));
    MAMORI_ASSIGN_OR_RETURN(auto s, repo::SessionByKey(tx, key));
    if (!s) return expired;
    if (now - s->created_at > policy_.absolute_timeout_ms ||
        now - s->last_seen_at > policy_.idle_timeout_ms)
      return expired;
    MAMORI_ASSIGN_OR_RETURN(auto row, repo::UserById(tx, s->org_id, s->user_id));
    if (!row || row->user.disabled) return expired;
    p.user = row->user;
    p.csrf_token = s->csrf;
    p.session_key = key;
    touch = now - s->last_seen_at > kTouchEveryMs;
  }
  if (touch) {
    MAMORI_ASSIGN_OR_RETURN(auto tx, store::Tx::Begin(db_, p.ToActor("")));
    MAMORI_RETURN_IF_ERROR(repo::TouchSession(tx, key));
    MAMORI_RETURN_IF_ERROR(tx.Commit());
  }
  return p;
}

Status AuthService::Logout(const Principal& who, const std::string& ip) {
  if (who.session_key.empty()) return Ok();
  MAMORI_ASSIGN_OR_RETURN(auto tx, store::Tx::Begin(db_, who.ToActor(ip)));
  MAMORI_RETURN_IF_ERROR(repo::DeleteSession(tx, who.session_key));
  MAMORI_RETURN_IF_ERROR(
      tx.Audit({"auth.logout", "user", std::to_string(who.user.id), nullptr, nullptr}));
  return tx.Commit();
}

Result<TotpEnrolment> AuthService::BeginTotp(const Principal& who, const std::string& ip) {
  if (who.user.totp_enabled) return MakeError(ErrorCode::kConflict, "auth.totp_already_enabled");
  TotpEnrolment e;
  e.secret = NewTotpSecret();
  e.otpauth_uri = OtpauthUri("mamori", who.user.username, e.secret);
  MAMORI_ASSIGN_OR_RETURN(auto tx, store::Tx::Begin(db_, who.ToActor(ip)));
  MAMORI_RETURN_IF_ERROR(repo::SetTotpSecret(tx, who.user.id, e.secret, false));
  // The secret itself never enters the audit trail.
  MAMORI_RETURN_IF_ERROR(
      tx.Audit({"user.totp_enrol_begin", "user", std::to_string(who.user.id), nullptr, nullptr}));
  MAMORI_RETURN_IF_ERROR(tx.Commit());
  return e;
}

Status AuthService::ConfirmTotp(const Principal& who, const std::string& ip,
                                const std::string& code) {
  const UnixMillis now = db_.clock().Now();
  MAMORI_ASSIGN_OR_RETURN(auto tx, store::Tx::Begin(db_, who.ToActor(ip)));
  MAMORI_ASSIGN_OR_RETURN(auto row, repo::UserById(tx, who.user.org_id, who.user.id));
  if (!row || !row->totp_secret) return MakeError(ErrorCode::kConflict, "auth.totp_not_started");
  if (row->user.totp_enabled) return MakeError(ErrorCode::kConflict, "auth.totp_already_enabled");
  auto step = VerifyTotp(*row->totp_secret, code, now / 1000, row->totp_last_step);
  if (!step) return MakeError(ErrorCode::kInvalidArgument, "auth.totp_bad_code", {}, "code");
  MAMORI_RETURN_IF_ERROR(repo::SetTotpEnabled(tx, who.user.id, *step));
  MAMORI_RETURN_IF_ERROR(tx.Audit({"user.totp_enabled", "user", std::to_string(who.user.id),
                                   Json{{"totp_enabled", false}}, Json{{"totp_enabled", true}}}));
  return tx.Commit();
}

Result<NewApiToken> AuthService::CreateApiToken(const Principal& who, const std::string& ip,
                                                const std::string& name, std::optional<int> days) {
  if (name.empty() || name.size() > 100)
    return MakeError(ErrorCode::kInvalidArgument, "token.bad_name", {}, "name");
  if (days && (*days < 1 || *days > 366))
    return MakeError(ErrorCode::kInvalidArgument, "token.bad_days", {}, "days");
  const UnixMillis now = db_.clock().Now();
  NewApiToken t;
  t.secret = "mamori_" + RandomToken(24);
  t.info.name = name;
  t.info.prefix = t.secret.substr(0, 14);
  t.info.created_at = now;
  if (days) t.info.expires_at = now + int64_t{*days} * 86400000;
  MAMORI_ASSIGN_OR_RETURN(auto tx, store::Tx::Begin(db_, who.ToActor(ip)));
  MAMORI_ASSIGN_OR_RETURN(
      t.info.id, repo::InsertApiToken(tx, who.user.org_id, who.user.id, name, Sha256Hex(t.secret),
                                      t.info.prefix, t.info.expires_at));
  MAMORI_RETURN_IF_ERROR(tx.Audit(
      {"api_token.create", "api_token", std::to_string(t.info.id), nullptr, t.info.ToJson()}));
  MAMORI_RETURN_IF_ERROR(tx.Commit());
  return t;
}

Result<std::vector<ApiTokenInfo>> AuthService::ListApiTokens(const Principal& who) {
  MAMORI_ASSIGN_OR_RETURN(auto tx, store::Tx::BeginRead(db_, who.ToActor("")));
  return repo::ApiTokensOfUser(tx, who.user.id);
}

Status AuthService::RevokeApiToken(const Principal& who, const std::string& ip, int64_t id) {
  MAMORI_ASSIGN_OR_RETURN(auto tx, store::Tx::Begin(db_, who.ToActor(ip)));
  MAMORI_ASSIGN_OR_RETURN(int64_t n, repo::RevokeApiToken(tx, who.user.id, id));
  if (n == 0) return NotFound("api_token", std::to_string(id));
  MAMORI_RETURN_IF_ERROR(tx.Audit({"api_token.revoke", "api_token", std::to_string(id),
                                   Json{{"revoked", false}}, Json{{"revoked", true}}}));
  return tx.Commit();
}

Result<Principal> AuthService::AuthenticateApiToken(const std::string& bearer) {
  Error bad = MakeError(ErrorCode::kUnauthenticated, "auth.bad_token");
  if (!bearer.starts_with("mamori_") || bearer.size() > 100) return bad;
  const UnixMillis now = db_.clock().Now();
  Principal p;
  bool touch = false;
  int64_t token_id = 0;
  {
    MAMORI_ASSIGN_OR_RETURN(auto tx, store::Tx::BeginRead(db_, SystemActor(0, "system", "")));
    MAMORI_ASSIGN_OR_RETURN(auto t, repo::ApiTokenByHash(tx, Sha256Hex(bearer)));
    if (!t || t->info.revoked || (t->info.expires_at && *t->info.expires_at < now)) return bad;
    MAMORI_ASSIGN_OR_RETURN(auto row, repo::UserById(tx, t->org_id, t->user_id));
    if (!row || row->user.disabled) return bad;
    p.user = row->user;
    p.via_api_token = true;
    token_id = t->info.id;
    touch = !t->info.last_used_at || now - *t->info.last_used_at > kTouchEveryMs;
  }
  if (touch) {
    MAMORI_ASSIGN_OR_RETURN(auto tx, store::Tx::Begin(db_, p.ToActor("")));
    MAMORI_RETURN_IF_ERROR(repo::TouchApiToken(tx, token_id));
    MAMORI_RETURN_IF_ERROR(tx.Commit());
  }
  return p;
}

}  // namespace mamori::auth
