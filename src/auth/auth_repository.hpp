// SQL for the auth module. Every function takes the transaction it runs in.
#pragma once

#include "auth/auth_service.hpp"

namespace mamori::auth::repo {

struct UserRow {
  User user;
  std::string password_hash;
  std::optional<std::string> totp_secret;
  int64_t totp_last_step = 0;
  int failed_logins = 0;
  UnixMillis password_changed_at = 0;
};

Result<int64_t> InsertOrg(store::Tx& tx, const std::string& name, const std::string& kind,
                          bool is_demo);
Result<std::optional<int64_t>> FirstOrgId(store::Tx& tx);
Result<std::vector<int64_t>> OrgIds(store::Tx& tx);
Result<std::optional<AuthService::Org>> OrgById(store::Tx& tx, int64_t id);

Result<int64_t> InsertUser(store::Tx& tx, const NewUser& u, const std::string& hash);
Result<std::optional<UserRow>> UserById(store::Tx& tx, int64_t org_id, int64_t id);
Result<std::optional<UserRow>> UserByName(store::Tx& tx, const std::string& username);
Result<std::vector<User>> UsersOfOrg(store::Tx& tx, int64_t org_id);
Status UpdateUserFields(store::Tx& tx, const User& u);
Status UpdatePasswordHash(store::Tx& tx, int64_t id, const std::string& hash);
Status RecordLoginFailure(store::Tx& tx, int64_t id, int failures, UnixMillis locked_until);
Status RecordLoginSuccess(store::Tx& tx, int64_t id);
Status SetTotpSecret(store::Tx& tx, int64_t id, const std::optional<std::string>& secret,
                     bool enabled);
Status SetTotpEnabled(store::Tx& tx, int64_t id, int64_t step);
Status SetTotpLastStep(store::Tx& tx, int64_t id, int64_t step);

Status InsertSession(store::Tx& tx, const std::string& key, const User& u, const std::string& csrf,
                     const std::string& ip, const std::string& ua);
struct SessionRow {
  int64_t user_id = 0;
  int64_t org_id = 0;
  std::string csrf;
  UnixMillis created_at = 0;
  UnixMillis last_seen_at = 0;
};
Result<std::optional<SessionRow>> SessionByKey(store::Tx& tx, const std::string& key);
Status TouchSession(store::Tx& tx, const std::string& key);
Status DeleteSession(store::Tx& tx, const std::string& key);
Status DeleteSessionsOfUser(store::Tx& tx, int64_t user_id);
Status DeleteOtherSessions(store::Tx& tx, int64_t user_id, const std::string& keep_key);
Result<bool> VendorExists(store::Tx& tx, int64_t org_id, int64_t vendor_id);

Result<int64_t> InsertApiToken(store::Tx& tx, int64_t org_id, int64_t user_id,
                               const std::string& name, const std::string& hash,
                               const std::string& prefix, std::optional<UnixMillis> expires);
Result<std::vector<ApiTokenInfo>> ApiTokensOfUser(store::Tx& tx, int64_t user_id);
struct TokenRow {
  ApiTokenInfo info;
  int64_t user_id = 0;
  int64_t org_id = 0;
};
Result<std::optional<TokenRow>> ApiTokenByHash(store::Tx& tx, const std::string& hash);
Result<int64_t> RevokeApiToken(store::Tx& tx, int64_t user_id, int64_t id);
Status TouchApiToken(store::Tx& tx, int64_t id);

}  // namespace mamori::auth::repo
