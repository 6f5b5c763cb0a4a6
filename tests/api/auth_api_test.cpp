// Authentication through the API: sessions and cookies, CSRF, lockout, TOTP, API tokens,
// password changes, and the audit trail of all of it.
#include "api/api_fixture.hpp"
#include "auth/totp.hpp"

namespace mamori::testing {
namespace {

class AuthApi : public ApiTest {};

TEST_F(AuthApi, LoginSetsAHardenedCookieAndLogoutEndsTheSession) {
  ApiClient c = Anonymous();
  auto r = c.Login("admin", kPassword);
  ASSERT_EQ(r.status, 200);
  EXPECT_NE(r.set_cookie.find("HttpOnly"), std::string::npos);
  EXPECT_NE(r.set_cookie.find("SameSite=Strict"), std::string::npos);
  EXPECT_EQ(r.json["username"], "admin");
  EXPECT_EQ(r.json["csrf_token"].get<std::string>().size(), 64u);
  EXPECT_EQ(c.Get("/api/v1/auth/me").status, 200);
  EXPECT_EQ(c.Post("/api/v1/auth/logout", Json::object()).status, 200);
  auto after = c.Get("/api/v1/auth/me");
  EXPECT_EQ(after.status, 401);
  EXPECT_EQ(after.json["error"]["key"], "auth.session_expired");
}

TEST_F(AuthApi, FailedLoginSpeaksTheUsersLanguage) {
  ApiClient c = Anonymous();
  auto ja = c.Login("admin", "wrong-Password-1");
  EXPECT_EQ(ja.status, 401);
  EXPECT_EQ(ja.json["error"]["message"], "ユーザー名またはパスワードが違います");
  c.lang = "en";
  auto en = c.Login("nobody", "wrong-Password-1");
  EXPECT_EQ(en.status, 401);
  EXPECT_EQ(en.json["error"]["message"], "Wrong user name or password");
}

TEST_F(AuthApi, RepeatedFailuresLockTheAccountForAWhile) {
  ApiClient c = Anonymous();
  EXPECT_EQ(c.Login("staff", "Wrong-pass-1").status, 401);
  EXPECT_EQ(c.Login("staff", "Wrong-pass-2").status, 401);
  auto third = c.Login("staff", "Wrong-pass-3");
  EXPECT_EQ(third.status, 429);
  EXPECT_EQ(third.json["error"]["key"], "auth.locked");
  // Even the right password is refused while locked.
  EXPECT_EQ(c.Login("staff", kPassword).status, 429);
  clock_.Advance(16 * 60 * 1000);
  EXPECT_EQ(c.Login("staff", kPassword).status, 200);
  auto actions = AuditActions(t1_.org_id).dump();
  EXPECT_NE(actions.find("auth.login_failed"), std::string::npos);
  EXPECT_NE(actions.find("auth.locked"), std::string::npos);
}

TEST_F(AuthApi, AnAdminCanUnlockAnAccount) {
  ApiClient c = Anonymous();
  for (int i = 0; i < 3; ++i) (void)c.Login("staff", "Wrong-pass-1");
  EXPECT_EQ(c.Login("staff", kPassword).status, 429);
  auto admin = As("admin");
  auto users = admin.Get("/api/v1/users");
  int64_t staff_id = 0;
  for (const auto& u : users.json["items"])
    if (u["username"] == "staff") staff_id = u["id"];
  ASSERT_EQ(admin.Patch("/api/v1/users/" + std::to_string(staff_id), Json{{"unlock", true}}).status,
            200);
  EXPECT_EQ(c.Login("staff", kPassword).status, 200);
}

TEST_F(AuthApi, StateChangesNeedTheSessionsCsrfToken) {
  auto c = As("staff");
  Json body{{"category", "pc"}, {"name", "CSRF端末"}};
  c.send_csrf = false;
  auto none = c.Post("/api/v1/assets", body);
  EXPECT_EQ(none.status, 403);
  EXPECT_EQ(none.json["error"]["key"], "auth.csrf");
  c.send_csrf = true;
  std::string good = c.csrf;
  c.csrf = std::string(64, 'a');
  EXPECT_EQ(c.Post("/api/v1/assets", body).status, 403);
  // Another session's token does not fit this session.
  auto other = As("admin");
  c.csrf = other.csrf;
  EXPECT_EQ(c.Post("/api/v1/assets", body).status, 403);
  c.csrf = good;
  EXPECT_EQ(c.Post("/api/v1/assets", body).status, 201);
  // Nothing was written by the rejected attempts.
  auto list = c.Get("/api/v1/assets?q=CSRF");
  EXPECT_EQ(list.json["total"], 1);
  // A form post (text/plain, as a cross-site form would send) is refused outright.
  auto form = c.Send("POST", "/api/v1/assets", body.dump(), "text/plain");
  EXPECT_EQ(form.status, 400);
  EXPECT_EQ(form.json["error"]["key"], "common.bad_content_type");
}

TEST_F(AuthApi, SessionsExpireWhenIdle) {
  auto c = As("staff");
  EXPECT_EQ(c.Get("/api/v1/assets").status, 200);
  clock_.Advance(29 * 60 * 1000);
  EXPECT_EQ(c.Get("/api/v1/assets").status, 200);  // activity renews the idle timer
  clock_.Advance(29 * 60 * 1000);
  EXPECT_EQ(c.Get("/api/v1/assets").status, 200);
  clock_.Advance(31 * 60 * 1000);
  EXPECT_EQ(c.Get("/api/v1/assets").status, 401);
}

TEST_F(AuthApi, SessionsEndAtTheAbsoluteTimeoutDespiteActivity) {
  auto c = As("staff");
  for (int i = 0; i < 30; ++i) {
    clock_.Advance(25 * 60 * 1000);
    if (c.Get("/api/v1/assets").status != 200) break;
  }
  EXPECT_EQ(c.Get("/api/v1/assets").status, 401);  // 30 × 25 min > 12 h
}

TEST_F(AuthApi, TotpEnrolmentAndLogin) {
  auto c = As("staff");
  auto enrol = c.Post("/api/v1/auth/totp/enroll", Json::object());
  ASSERT_EQ(enrol.status, 200);
  std::string secret = enrol.json["secret"];
  EXPECT_NE(enrol.json["otpauth_uri"].get<std::string>().find("otpauth://totp/mamori:staff"),
            std::string::npos);
  auto wrong = c.Post("/api/v1/auth/totp/confirm", Json{{"code", "000000"}});
  EXPECT_EQ(wrong.status, 400);
  int64_t now = clock_.Now() / 1000;
  ASSERT_EQ(
      c.Post("/api/v1/auth/totp/confirm", Json{{"code", *auth::TotpCode(secret, now)}}).status,
      200);
  EXPECT_EQ(c.Get("/api/v1/auth/me").json["totp_enabled"], true);

  ApiClient fresh = Anonymous();
  auto first = fresh.Login("staff", kPassword);
  EXPECT_EQ(first.status, 401);
  EXPECT_EQ(first.json["error"]["key"], "auth.totp_required");
  EXPECT_EQ(fresh.Login("staff", kPassword, "123456").status, 401);
  clock_.Advance(30 * 1000);  // the next step: the enrolment code cannot be replayed
  now = clock_.Now() / 1000;
  std::string code = *auth::TotpCode(secret, now);
  EXPECT_EQ(fresh.Login("staff", kPassword, code).status, 200);
  ApiClient replay = Anonymous();
  EXPECT_EQ(replay.Login("staff", kPassword, code).status, 401);
  // The secret never appears in any later response or in the audit trail.
  auto admin = As("admin");
  EXPECT_EQ(admin.Get("/api/v1/users").body.find(secret), std::string::npos);
  EXPECT_EQ(admin.Get("/api/v1/audit?limit=1000").body.find(secret), std::string::npos);
}

TEST_F(AuthApi, AdminCanRequireTotpAndTheUserMustEnrolFirst) {
  auto admin = As("admin");
  int64_t staff_id = 0;
  auto listed = admin.Get("/api/v1/users");
  for (const auto& u : listed.json["items"])
    if (u["username"] == "staff") staff_id = u["id"];
  auto patched =
      admin.Patch("/api/v1/users/" + std::to_string(staff_id), Json{{"totp_required", true}});
  ASSERT_EQ(patched.status, 200) << patched.body;
  auto staff = As("staff");
  EXPECT_EQ(staff.Get("/api/v1/auth/me").json["totp_setup_required"], true);
  auto blocked = staff.Get("/api/v1/assets");
  EXPECT_EQ(blocked.status, 403);
  EXPECT_EQ(blocked.json["error"]["key"], "auth.totp_setup_required");
  auto enrol = staff.Post("/api/v1/auth/totp/enroll", Json::object());
  ASSERT_EQ(enrol.status, 200);
  ASSERT_EQ(staff
                .Post("/api/v1/auth/totp/confirm",
                      Json{{"code", *auth::TotpCode(enrol.json["secret"].get<std::string>(),
                                                    clock_.Now() / 1000)}})
                .status,
            200);
  EXPECT_EQ(staff.Get("/api/v1/assets").status, 200);
}

TEST_F(AuthApi, ApiTokensWorkWithoutCsrfAndCanBeRevoked) {
  auto c = As("staff");
  auto created = c.Post("/api/v1/auth/tokens", Json{{"name", "夜間バッチ"}, {"days", 30}});
  ASSERT_EQ(created.status, 201);
  std::string token = created.json["token"];
  EXPECT_EQ(token.rfind("mamori_", 0), 0u);
  ApiClient script = Anonymous();
  script.bearer = token;
  EXPECT_EQ(script.Get("/api/v1/assets").status, 200);
  EXPECT_EQ(
      script.Post("/api/v1/assets", Json{{"category", "pc"}, {"name", "スクリプト登録"}}).status,
      201);
  auto list = c.Get("/api/v1/auth/tokens");
  ASSERT_EQ(list.json["items"].size(), 1u);
  EXPECT_EQ(list.body.find(token), std::string::npos);  // the secret is shown once only
  EXPECT_EQ(
      c.Delete("/api/v1/auth/tokens/" + std::to_string(list.json["items"][0]["id"].get<int64_t>()))
          .status,
      200);
  EXPECT_EQ(script.Get("/api/v1/assets").status, 401);
  script.bearer = "mamori_" + std::string(48, '0');
  EXPECT_EQ(script.Get("/api/v1/assets").status, 401);
}

TEST_F(AuthApi, PasswordChangeChecksTheCurrentPasswordAndThePolicy) {
  auto c = As("staff");
  auto wrong = c.Post("/api/v1/auth/password",
                      Json{{"current_password", "nope"}, {"new_password", "New-Pass-2027"}});
  EXPECT_EQ(wrong.status, 400);
  EXPECT_EQ(wrong.json["error"]["field"], "current_password");
  auto weak = c.Post("/api/v1/auth/password",
                     Json{{"current_password", kPassword}, {"new_password", "short"}});
  EXPECT_EQ(weak.status, 400);
  EXPECT_EQ(weak.json["error"]["key"], "auth.password_too_short");
  auto other = As("staff");  // a second session of the same user
  ASSERT_EQ(c.Post("/api/v1/auth/password",
                   Json{{"current_password", kPassword}, {"new_password", "New-Pass-2027"}})
                .status,
            200);
  EXPECT_EQ(c.Get("/api/v1/auth/me").status, 200);      // this session stays
  EXPECT_EQ(other.Get("/api/v1/auth/me").status, 401);  // others end
  EXPECT_EQ(Anonymous().Login("staff", kPassword).status, 401);
  EXPECT_EQ(Anonymous().Login("staff", "New-Pass-2027").status, 200);
}

TEST_F(AuthApi, DisabledUsersCannotLogInAndLoseTheirSessions) {
  auto staff = As("staff");
  auto admin = As("admin");
  int64_t staff_id = 0;
  auto listed = admin.Get("/api/v1/users");
  for (const auto& u : listed.json["items"])
    if (u["username"] == "staff") staff_id = u["id"];
  ASSERT_EQ(
      admin.Patch("/api/v1/users/" + std::to_string(staff_id), Json{{"disabled", true}}).status,
      200);
  EXPECT_EQ(staff.Get("/api/v1/auth/me").status, 401);
  EXPECT_EQ(Anonymous().Login("staff", kPassword).status, 401);
}

TEST_F(AuthApi, TheLastAdminCannotBeRemoved) {
  auto admin = As("admin");
  auto me = admin.Get("/api/v1/auth/me");
  auto r = admin.Patch("/api/v1/users/" + std::to_string(me.json["id"].get<int64_t>()),
                       Json{{"disabled", true}});
  EXPECT_EQ(r.status, 409);
  EXPECT_EQ(r.json["error"]["key"], "user.last_admin");
}

TEST_F(AuthApi, PasswordHashesNeverLeaveTheServer) {
  auto admin = As("admin");
  std::string all;
  for (const char* path : {"/api/v1/users", "/api/v1/auth/me", "/api/v1/audit?limit=1000",
                           "/api/v1/audit/export", "/api/v1/users/1"})
    all += admin.Get(path).body;
  all += admin
             .Post("/api/v1/users",
                   Json{{"username", "hashcheck"}, {"role", "staff"}, {"password", "Hash-Check-9"}})
             .body;
  EXPECT_EQ(all.find("$argon2"), std::string::npos);
  EXPECT_EQ(all.find("password_hash"), std::string::npos);
  EXPECT_EQ(all.find("Hash-Check-9"), std::string::npos);
  EXPECT_EQ(all.find(kPassword), std::string::npos);
}

TEST_F(AuthApi, EveryChangeIsAuditedAndTheTrailCannotBeEdited) {
  auto admin = As("admin");
  auto before = AuditActions(t1_.org_id).size();
  auto asset =
      admin.Post("/api/v1/assets",
                 Json{{"category", "server"}, {"name", "監査対象サーバ"}, {"ips", "10.1.1.1"}});
  ASSERT_EQ(asset.status, 201);
  std::string id = std::to_string(asset.json["id"].get<int64_t>());
  ASSERT_EQ(admin.Patch("/api/v1/assets/" + id, Json{{"location", "サーバ室"}}).status, 200);
  ASSERT_EQ(admin.Post("/api/v1/vendors", Json{{"name", "監査事業者"}}).status, 201);
  ASSERT_EQ(admin
                .Post("/api/v1/users",
                      Json{{"username", "auditme"}, {"role", "staff"}, {"password", "Audit-Me-77"}})
                .status,
            201);
  Json actions = AuditActions(t1_.org_id);
  std::vector<std::string> tail(actions.begin() + static_cast<long>(before), actions.end());
  EXPECT_EQ(tail, (std::vector<std::string>{"asset.create", "asset.update", "vendor.create",
                                            "user.create"}));
  // who, from where, before → after
  auto history = admin.Get("/api/v1/assets/" + id + "/history");
  ASSERT_EQ(history.json["items"].size(), 2u);
  const auto& update = history.json["items"][0];
  EXPECT_EQ(update["action"], "asset.update");
  EXPECT_EQ(update["username"], "admin");
  EXPECT_EQ(update["ip"], "127.0.0.1");
  EXPECT_EQ(update["before"]["location"], "");
  EXPECT_EQ(update["after"]["location"], "サーバ室");
  // No API edits or deletes audit records.
  EXPECT_EQ(admin.Delete("/api/v1/audit").status, 404);
  EXPECT_EQ(admin.Patch("/api/v1/audit", Json::object()).status, 404);
  EXPECT_EQ(admin.Get("/api/v1/audit/verify").json["ok"], true);
  auto csv = admin.Get("/api/v1/audit/export");
  EXPECT_EQ(csv.body.rfind("\xEF\xBB\xBF", 0), 0u);
  EXPECT_NE(csv.body.find("asset.update"), std::string::npos);
}

}  // namespace
}  // namespace mamori::testing
