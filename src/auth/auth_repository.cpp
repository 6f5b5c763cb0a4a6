#include "auth/auth_repository.hpp"

namespace mamori::auth::repo {

using store::Null;
using store::OptValue;
using store::Params;
using store::Row;
using store::Tx;

namespace {
constexpr const char* kUserColumns =
    "id, org_id, username, display_name, role, vendor_id, totp_enabled, totp_required, disabled, "
    "locked_until, created_at, last_login_at, password_hash, totp_secret, totp_last_step, "
    "failed_logins, password_changed_at";

UserRow ToUserRow(const Row& r) {
  UserRow u;
  u.user.id = r.Int(0);
  u.user.org_id = r.Int(1);
  u.user.username = r.Str(2);
  u.user.display_name = r.Str(3);
  u.user.role = ParseRole(r.Str(4)).value_or(Role::kAuditor);
  u.user.vendor_id = r.OptInt(5);
  u.user.totp_enabled = r.Int(6) != 0;
  u.user.totp_required = r.Int(7) != 0;
  u.user.disabled = r.Int(8) != 0;
  u.user.locked_until = r.Int(9);
  u.user.created_at = r.Int(10);
  u.user.last_login_at = r.OptInt(11);
  u.password_hash = r.Str(12);
  u.totp_secret = r.OptStr(13);
  u.totp_last_step = r.Int(14);
  u.failed_logins = static_cast<int>(r.Int(15));
  u.password_changed_at = r.Int(16);
  return u;
}

Status Changed(Result<int64_t> r) {
  if (!r.ok()) return std::move(r).error();
  return Ok();
}
}  // namespace

Result<int64_t> InsertOrg(Tx& tx, const std::string& name, const std::string& kind, bool is_demo) {
  MAMORI_ASSIGN_OR_RETURN(auto rows,
                          tx.ExecReturning("INSERT INTO orgs (name, kind, is_demo, created_at) "
                                           "VALUES (?, ?, ?, ?) RETURNING id",
                                           {name, kind, int64_t{is_demo}, tx.now()}));
  return rows.at(0).Int(0);
}

Result<std::optional<int64_t>> FirstOrgId(Tx& tx) {
  MAMORI_ASSIGN_OR_RETURN(auto rows, tx.Query("SELECT MIN(id) FROM orgs"));
  if (rows.empty() || rows[0].IsNull(0)) return std::optional<int64_t>{};
  return std::optional<int64_t>{rows[0].Int(0)};
}

Result<std::vector<int64_t>> OrgIds(Tx& tx) {
  MAMORI_ASSIGN_OR_RETURN(auto rows, tx.Query("SELECT id FROM orgs ORDER BY id"));
  std::vector<int64_t> ids;
  ids.reserve(rows.size());
  for (const auto& r : rows) ids.push_back(r.Int(0));
  return ids;
}

Result<std::optional<AuthService::Org>> OrgById(Tx& tx, int64_t id) {
  MAMORI_ASSIGN_OR_RETURN(auto rows,
                          tx.Query("SELECT id, name, kind, is_demo FROM orgs WHERE id = ?", {id}));
  if (rows.empty()) return std::optional<AuthService::Org>{};
  const auto& r = rows[0];
  return std::optional<AuthService::Org>{
      AuthService::Org{r.Int(0), r.Str(1), r.Str(2), r.Int(3) != 0}};
}

Result<int64_t> InsertUser(Tx& tx, const NewUser& u, const std::string& hash) {
  MAMORI_ASSIGN_OR_RETURN(
      auto rows,
      tx.ExecReturning(
          "INSERT INTO users (org_id, username, display_name, role, vendor_id, password_hash, "
          "password_changed_at, totp_required, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) "
          "RETURNING id",
          {u.org_id, u.username, u.display_name, std::string(RoleName(u.role)),
           OptValue(u.vendor_id), hash, tx.now(), int64_t{u.totp_required}, tx.now()}));
  return rows.at(0).Int(0);
}

Result<std::optional<UserRow>> UserById(Tx& tx, int64_t org_id, int64_t id) {
  MAMORI_ASSIGN_OR_RETURN(auto rows, tx.Query(std::string("SELECT ") + kUserColumns +
                                                  " FROM users WHERE org_id = ? AND id = ?",
                                              {org_id, id}));
  if (rows.empty()) return std::optional<UserRow>{};
  return std::optional<UserRow>{ToUserRow(rows[0])};
}

Result<std::optional<UserRow>> UserByName(Tx& tx, const std::string& username) {
  MAMORI_ASSIGN_OR_RETURN(
      auto rows, tx.Query(std::string("SELECT ") + kUserColumns + " FROM users WHERE username = ?",
                          {username}));
  if (rows.empty()) return std::optional<UserRow>{};
  return std::optional<UserRow>{ToUserRow(rows[0])};
}

Result<std::vector<User>> UsersOfOrg(Tx& tx, int64_t org_id) {
  MAMORI_ASSIGN_OR_RETURN(auto rows, tx.Query(std::string("SELECT ") + kUserColumns +
                                                  " FROM users WHERE org_id = ? ORDER BY id",
                                              {org_id}));
  std::vector<User> out;
  out.reserve(rows.size());
  for (const auto& r : rows) out.push_back(ToUserRow(r).user);
  return out;
}

Status UpdateUserFields(Tx& tx, const User& u) {
  return Changed(
      tx.Exec("UPDATE users SET display_name = ?, role = ?, disabled = ?, totp_required = ?, "
              "totp_enabled = ?, locked_until = ? WHERE id = ? AND org_id = ?",
              {u.display_name, std::string(RoleName(u.role)), int64_t{u.disabled},
               int64_t{u.totp_required}, int64_t{u.totp_enabled}, u.locked_until, u.id, u.org_id}));
}

Status UpdatePasswordHash(Tx& tx, int64_t id, const std::string& hash) {
  return Changed(
      tx.Exec("UPDATE users SET password_hash = ?, password_changed_at = ?, failed_logins = 0, "
              "locked_until = 0 WHERE id = ?",
              {hash, tx.now(), id}));
}

Status RecordLoginFailure(Tx& tx, int64_t id, int failures, UnixMillis locked_until) {
  return Changed(tx.Exec("UPDATE users SET failed_logins = ?, locked_until = ? WHERE id = ?",
                         {int64_t{failures}, locked_until, id}));
}

Status RecordLoginSuccess(Tx& tx, int64_t id) {
  return Changed(tx.Exec(
      "UPDATE users SET failed_logins = 0, locked_until = 0, last_login_at = ? WHERE id = ?",
      {tx.now(), id}));
}

Status SetTotpSecret(Tx& tx, int64_t id, const std::optional<std::string>& secret, bool enabled) {
  return Changed(
      tx.Exec("UPDATE users SET totp_secret = ?, totp_enabled = ?, totp_last_step = 0 WHERE id = ?",
              {OptValue(secret), int64_t{enabled}, id}));
}

Status SetTotpEnabled(Tx& tx, int64_t id, int64_t step) {
  return Changed(
      tx.Exec("UPDATE users SET totp_enabled = 1, totp_last_step = ? WHERE id = ?", {step, id}));
}

Status SetTotpLastStep(Tx& tx, int64_t id, int64_t step) {
  // Replay protection bookkeeping, not a change of the account a person manages.
  return Changed(tx.ExecUnaudited("UPDATE users SET totp_last_step = ? WHERE id = ?", {step, id}));
}

Status InsertSession(Tx& tx, const std::string& key, const User& u, const std::string& csrf,
                     const std::string& ip, const std::string& ua) {
  return Changed(tx.Exec(
      "INSERT INTO sessions (token_hash, user_id, org_id, csrf_token, created_at, last_seen_at, "
      "ip, user_agent) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
      {key, u.id, u.org_id, csrf, tx.now(), tx.now(), ip, ua.substr(0, 300)}));
}

Result<std::optional<SessionRow>> SessionByKey(Tx& tx, const std::string& key) {
  MAMORI_ASSIGN_OR_RETURN(
      auto rows, tx.Query("SELECT user_id, org_id, csrf_token, created_at, last_seen_at FROM "
                          "sessions WHERE token_hash = ?",
                          {key}));
  if (rows.empty()) return std::optional<SessionRow>{};
  const auto& r = rows[0];
  return std::optional<SessionRow>{SessionRow{r.Int(0), r.Int(1), r.Str(2), r.Int(3), r.Int(4)}};
}

Status TouchSession(Tx& tx, const std::string& key) {
  // Idle-timeout bookkeeping on every request: not a change anyone reviews.
  return Changed(tx.ExecUnaudited("UPDATE sessions SET last_seen_at = ? WHERE token_hash = ?",
                                  {tx.now(), key}));
}

Status DeleteSession(Tx& tx, const std::string& key) {
  return Changed(tx.Exec("DELETE FROM sessions WHERE token_hash = ?", {key}));
}

Status DeleteSessionsOfUser(Tx& tx, int64_t user_id) {
  return Changed(tx.Exec("DELETE FROM sessions WHERE user_id = ?", {user_id}));
}

Status DeleteOtherSessions(Tx& tx, int64_t user_id, const std::string& keep_key) {
  return Changed(
      tx.Exec("DELETE FROM sessions WHERE user_id = ? AND token_hash <> ?", {user_id, keep_key}));
}

Result<bool> VendorExists(Tx& tx, int64_t org_id, int64_t vendor_id) {
  MAMORI_ASSIGN_OR_RETURN(auto rows, tx.Query("SELECT 1 FROM vendors WHERE org_id = ? AND id = ?",
                                              {org_id, vendor_id}));
  return !rows.empty();
}

Result<int64_t> InsertApiToken(Tx& tx, int64_t org_id, int64_t user_id, const std::string& name,
                               const std::string& hash, const std::string& prefix,
                               std::optional<UnixMillis> expires) {
  MAMORI_ASSIGN_OR_RETURN(
      auto rows,
      tx.ExecReturning(
          "INSERT INTO api_tokens (org_id, user_id, name, token_hash, prefix, created_at, "
          "expires_at) VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id",
          {org_id, user_id, name, hash, prefix, tx.now(), OptValue(expires)}));
  return rows.at(0).Int(0);
}

namespace {
ApiTokenInfo ToTokenInfo(const Row& r) {
  ApiTokenInfo t;
  t.id = r.Int(0);
  t.name = r.Str(1);
  t.prefix = r.Str(2);
  t.created_at = r.Int(3);
  t.expires_at = r.OptInt(4);
  t.last_used_at = r.OptInt(5);
  t.revoked = r.Int(6) != 0;
  return t;
}
constexpr const char* kTokenColumns =
    "id, name, prefix, created_at, expires_at, last_used_at, revoked, user_id, org_id";
}  // namespace

Result<std::vector<ApiTokenInfo>> ApiTokensOfUser(Tx& tx, int64_t user_id) {
  MAMORI_ASSIGN_OR_RETURN(auto rows, tx.Query(std::string("SELECT ") + kTokenColumns +
                                                  " FROM api_tokens WHERE user_id = ? ORDER BY id",
                                              {user_id}));
  std::vector<ApiTokenInfo> out;
  out.reserve(rows.size());
  for (const auto& r : rows) out.push_back(ToTokenInfo(r));
  return out;
}

Result<std::optional<TokenRow>> ApiTokenByHash(Tx& tx, const std::string& hash) {
  MAMORI_ASSIGN_OR_RETURN(auto rows, tx.Query(std::string("SELECT ") + kTokenColumns +
                                                  " FROM api_tokens WHERE token_hash = ?",
                                              {hash}));
  if (rows.empty()) return std::optional<TokenRow>{};
  return std::optional<TokenRow>{TokenRow{ToTokenInfo(rows[0]), rows[0].Int(7), rows[0].Int(8)}};
}

Result<int64_t> RevokeApiToken(Tx& tx, int64_t user_id, int64_t id) {
  return tx.Exec("UPDATE api_tokens SET revoked = 1 WHERE id = ? AND user_id = ?", {id, user_id});
}

Status TouchApiToken(Tx& tx, int64_t id) {
  // Last-used bookkeeping, like a session's last-seen time.
  return Changed(
      tx.ExecUnaudited("UPDATE api_tokens SET last_used_at = ? WHERE id = ?", {tx.now(), id}));
}

}  // namespace mamori::auth::repo
