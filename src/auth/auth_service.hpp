// Identification, authentication and access control for mamori's own users: accounts, Argon2id
// passwords, lockout, TOTP, sessions with CSRF tokens, bearer API tokens. Used by the CLI and the
// server alike; SQL lives in auth_repository.cpp.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "auth/password.hpp"
#include "auth/roles.hpp"
#include "core/json_body.hpp"
#include "store/tx.hpp"

namespace mamori::auth {

struct User {
  int64_t id = 0;
  int64_t org_id = 0;
  std::string username;
  std::string display_name;
  Role role = Role::kStaff;
  std::optional<int64_t> vendor_id;
  bool totp_enabled = false;
  bool totp_required = false;
  bool disabled = false;
  UnixMillis locked_until = 0;
  UnixMillis created_at = 0;
  std::optional<UnixMillis> last_login_at;

  // Never includes the password hash or the TOTP secret.
  [[nodiscard]] Json ToJson() const;
};

struct NewUser {
  int64_t org_id = 0;
  std::string username;
  std::string display_name;
  Role role = Role::kStaff;
  std::optional<int64_t> vendor_id;  // required for Role::kVendor
  std::string password;
  bool totp_required = false;
};

struct UserPatch {
  std::optional<std::string> display_name;
  std::optional<Role> role;
  std::optional<bool> disabled;
  std::optional<bool> totp_required;
  bool reset_totp = false;
  bool unlock = false;
};

// Who is calling, after authentication.
struct Principal {
  User user;
  std::string csrf_token;   // empty for bearer tokens (not cookie-borne, so no CSRF exposure)
  std::string session_key;  // hash of the session cookie; empty for bearer tokens
  bool via_api_token = false;
  // True while an admin requires TOTP and the user has not enrolled yet: only enrolment allowed.
  [[nodiscard]] bool MustEnrolTotp() const { return user.totp_required && !user.totp_enabled; }
  [[nodiscard]] store::Actor ToActor(std::string ip) const;
};

struct AuthPolicy {
  int max_failures = 5;
  UnixMillis lockout_ms = UnixMillis{15} * 60 * 1000;
  UnixMillis idle_timeout_ms = UnixMillis{30} * 60 * 1000;
  UnixMillis absolute_timeout_ms = UnixMillis{12} * 3600 * 1000;
  size_t min_password_length = 8;
  HashCost hash_cost = HashCost::kInteractive;
};

struct LoginRequest {
  std::string username;
  std::string password;
  std::optional<std::string> totp;
  std::string ip;
  std::string user_agent;
};

struct LoginResult {
  std::string session_token;  // the cookie value; only its hash is stored
  Principal principal;
};

struct TotpEnrolment {
  std::string secret;
  std::string otpauth_uri;
};

struct ApiTokenInfo {
  int64_t id = 0;
  std::string name;
  std::string prefix;
  UnixMillis created_at = 0;
  std::optional<UnixMillis> expires_at;
  std::optional<UnixMillis> last_used_at;
  bool revoked = false;
  [[nodiscard]] Json ToJson() const;
};

struct NewApiToken {
  ApiTokenInfo info;
  std::string secret;  // shown once
};

class AuthService {
 public:
  explicit AuthService(store::Database& db, AuthPolicy policy = {}) : db_(db), policy_(policy) {}

  [[nodiscard]] const AuthPolicy& policy() const { return policy_; }

  // Organisations
  Result<int64_t> CreateOrg(const store::Actor& actor, const std::string& name,
                            const std::string& kind, bool is_demo);
  Result<std::optional<int64_t>> FirstOrg();
  // Every organisation (for maintenance run across them, e.g. scheduled retention).
  Result<std::vector<int64_t>> OrgIds();
  struct Org {
    int64_t id = 0;
    std::string name;
    std::string kind;
    bool is_demo = false;
  };
  Result<Org> GetOrg(int64_t id);

  // Users (the actor's organisation only)
  Result<User> CreateUser(const store::Actor& actor, const NewUser& user);
  Result<std::vector<User>> ListUsers(const store::Actor& actor);
  Result<User> GetUser(const store::Actor& actor, int64_t id);
  Result<User> FindUserByName(const store::Actor& actor, const std::string& username);
  Result<User> UpdateUser(const store::Actor& actor, int64_t id, const UserPatch& patch);
  Status SetPassword(const store::Actor& actor, int64_t id, const std::string& password);
  Status ChangeOwnPassword(const Principal& who, const std::string& ip, const std::string& current,
                           const std::string& next);

  // Sessions
  Result<LoginResult> Login(const LoginRequest& req);
  Result<Principal> AuthenticateSession(const std::string& session_token);
  Status Logout(const Principal& who, const std::string& ip);

  // TOTP
  Result<TotpEnrolment> BeginTotp(const Principal& who, const std::string& ip);
  Status ConfirmTotp(const Principal& who, const std::string& ip, const std::string& code);

  // API tokens (bearer)
  Result<NewApiToken> CreateApiToken(const Principal& who, const std::string& ip,
                                     const std::string& name, std::optional<int> days);
  Result<std::vector<ApiTokenInfo>> ListApiTokens(const Principal& who);
  Status RevokeApiToken(const Principal& who, const std::string& ip, int64_t id);
  Result<Principal> AuthenticateApiToken(const std::string& bearer);

 private:
  store::Database& db_;
  AuthPolicy policy_;
};

}  // namespace mamori::auth
