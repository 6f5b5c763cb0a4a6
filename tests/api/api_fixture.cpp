#include "api/api_fixture.hpp"

#include "core/crypto.hpp"
#include "store/tx.hpp"

namespace mamori::testing {

HttpResult ApiClient::Send(const std::string& method, const std::string& path,
                           const std::string& body, const std::string& content_type) {
  httplib::Headers headers;
  if (!cookie.empty()) headers.emplace("Cookie", cookie);
  if (!csrf.empty() && send_csrf && method != "GET") headers.emplace("X-CSRF-Token", csrf);
  if (!bearer.empty()) headers.emplace("Authorization", "Bearer " + bearer);
  if (!lang.empty()) headers.emplace("X-Mamori-Lang", lang);
  auto r = method == "GET"     ? http_.Get(path, headers)
           : method == "POST"  ? http_.Post(path, headers, body, content_type)
           : method == "PATCH" ? http_.Patch(path, headers, body, content_type)
           : method == "PUT"   ? http_.Put(path, headers, body, content_type)
                               : http_.Delete(path, headers, body, content_type);
  HttpResult out;
  if (!r) {
    ADD_FAILURE() << method << " " << path << ": no response (" << httplib::to_string(r.error())
                  << ")";
    return out;
  }
  out.status = r->status;
  out.body = r->body;
  out.set_cookie = r->get_header_value("Set-Cookie");
  out.content_type = r->get_header_value("Content-Type");
  if ((out.content_type.rfind("application/json", 0) == 0 ||
       out.content_type.rfind("application/fhir+json", 0) == 0) &&
      !r->body.empty())
    out.json = Json::parse(r->body, nullptr, false);
  return out;
}

HttpResult ApiClient::Login(const std::string& user, const std::string& password,
                            const std::string& totp) {
  Json body{{"username", user}, {"password", password}};
  if (!totp.empty()) body["totp"] = totp;
  auto r = Post("/api/v1/auth/login", body);
  if (r.status == 200) {
    auto semi = r.set_cookie.find(';');
    cookie = r.set_cookie.substr(0, semi);
    csrf = r.json.value("csrf_token", "");
  }
  return r;
}

namespace {
Tenant MakeTenant(store::Database& db, auth::AuthService& auth, const std::string& name,
                  const std::string& prefix, const char* password) {
  Tenant t;
  t.org_id = *auth.CreateOrg(store::Actor{0, std::nullopt, "test", ""}, name, "hospital", false);
  store::Actor actor{t.org_id, std::nullopt, "test", ""};
  ledger::LedgerService ledger(db);
  ledger::Scope scope{actor, std::nullopt};
  ledger::Vendor va, vb;
  va.name = prefix + "A社";
  vb.name = prefix + "B社";
  t.vendor_a = ledger.CreateVendor(scope, va)->id;
  t.vendor_b = ledger.CreateVendor(scope, vb)->id;
  ledger::System sa, sb;
  sa.name = prefix + "電子カルテ";
  sa.vendor_id = t.vendor_a;
  sb.name = prefix + "PACS";
  sb.vendor_id = t.vendor_b;
  t.system_a = ledger.CreateSystem(scope, sa)->id;
  t.system_b = ledger.CreateSystem(scope, sb)->id;
  ledger::Asset aa, ab;
  aa.category = "server";
  aa.name = prefix + "カルテサーバ";
  aa.vendor_id = t.vendor_a;
  aa.system_id = t.system_a;
  aa.ips = {"10.0.0.10"};
  ab.category = "medical";
  ab.name = prefix + "CT装置";
  ab.vendor_id = t.vendor_b;
  ab.system_id = t.system_b;
  t.asset_a = ledger.CreateAsset(scope, aa)->id;
  t.asset_b = ledger.CreateAsset(scope, ab)->id;
  for (auto role : {auth::Role::kAdmin, auth::Role::kStaff, auth::Role::kVendor,
                    auth::Role::kInspector, auth::Role::kAuditor}) {
    auth::NewUser u;
    u.username = prefix + auth::RoleName(role);
    u.role = role;
    u.password = password;
    if (role == auth::Role::kVendor) u.vendor_id = t.vendor_a;
    auto created = auth.CreateUser(actor, u);
    EXPECT_TRUE(created.ok()) << created.error().Message(Lang::kEn);
  }
  return t;
}
}  // namespace

void ApiTest::SetUp() {
  InitCrypto();
  auto db = store::Database::Open(dir_.File("api.db"), true);
  ASSERT_TRUE(db.ok());
  db_ = std::move(db).value();
  db_->SetClock(&clock_);
  ASSERT_TRUE(db_->Migrate().ok());
  policy_.hash_cost = auth::HashCost::kMinimal;
  policy_.max_failures = 3;
  auth::AuthService auth(*db_, policy_);
  t1_ = MakeTenant(*db_, auth, "第一病院", "", kPassword);
  t2_ = MakeTenant(*db_, auth, "第二病院", "t2-", kPassword);
  server::ServerOptions opts;
  opts.port = 0;
  opts.threads = 4;
  opts.max_body_bytes = 512 * 1024;  // small, so the limit test needs no huge body
  opts.log_dir = dir_.File("logs");
  opts.upload_dir = dir_.File("uploads");
  server_ = std::make_unique<server::Server>(*db_, opts, policy_);
  ASSERT_TRUE(server_->Bind().ok());
  thread_ = std::thread([this] { server_->Run(); });
}

void ApiTest::TearDown() {
  if (server_) server_->Stop();
  if (thread_.joinable()) thread_.join();
}

ApiClient ApiTest::As(const std::string& user) {
  ApiClient c(server_->port());
  auto r = c.Login(user, kPassword);
  EXPECT_EQ(r.status, 200) << user << ": " << r.body;
  return c;
}

Json ApiTest::AuditActions(int64_t org_id) {
  auto tx = store::Tx::BeginRead(*db_, store::Actor{org_id, std::nullopt, "test", ""});
  auto rows = tx->Query("SELECT action FROM audit_log WHERE org_id = ? ORDER BY id", {org_id});
  Json out = Json::array();
  for (const auto& r : *rows) out.push_back(r.Str(0));
  return out;
}

}  // namespace mamori::testing
