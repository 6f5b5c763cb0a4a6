// Role × endpoint × tenant: who may read and write what, and that no row of another vendor or
// another organisation is ever visible.
#include <regex>

#include "api/api_fixture.hpp"
#include "server/api.hpp"

namespace mamori::testing {
namespace {

const std::vector<std::string> kRoles = {"admin", "staff", "vendor", "inspector", "auditor"};

struct Case {
  std::string method;
  std::string path;
  Json body;
  std::vector<int> expect;  // per role, in kRoles order
};

class AuthzMatrix : public ApiTest {};

TEST_F(AuthzMatrix, RoleByEndpoint) {
  auto id = [](int64_t v) { return std::to_string(v); };
  std::vector<Case> cases = {
      {"GET", "/api/v1/users", nullptr, {200, 403, 403, 403, 200}},
      {"GET", "/api/v1/audit", nullptr, {200, 403, 403, 403, 200}},
      {"GET", "/api/v1/audit/verify", nullptr, {200, 403, 403, 403, 200}},
      {"GET", "/api/v1/assets", nullptr, {200, 200, 200, 403, 200}},
      {"GET", "/api/v1/vendors", nullptr, {200, 200, 200, 403, 200}},
      {"GET", "/api/v1/systems", nullptr, {200, 200, 200, 403, 200}},
      {"GET", "/api/v1/assets/" + id(t1_.asset_a), nullptr, {200, 200, 200, 403, 200}},
      // Another vendor's asset and system: not found for the vendor, as if absent.
      {"GET", "/api/v1/assets/" + id(t1_.asset_b), nullptr, {200, 200, 404, 403, 200}},
      {"GET", "/api/v1/systems/" + id(t1_.system_b), nullptr, {200, 200, 404, 403, 200}},
      {"GET", "/api/v1/assets/" + id(t1_.asset_b) + "/history", nullptr, {200, 200, 404, 403, 200}},
      // Another organisation's rows: not found for everyone.
      {"GET", "/api/v1/assets/" + id(t2_.asset_a), nullptr, {404, 404, 404, 403, 404}},
      {"GET", "/api/v1/systems/" + id(t2_.system_a), nullptr, {404, 404, 404, 403, 404}},
      {"PATCH",
       "/api/v1/assets/" + id(t1_.asset_a),
       Json{{"location", "本館B1 サーバ室"}},
       {200, 200, 200, 403, 403}},
      {"PATCH",
       "/api/v1/assets/" + id(t1_.asset_b),
       Json{{"location", "x"}},
       {200, 200, 404, 403, 403}},
      {"PATCH",
       "/api/v1/assets/" + id(t2_.asset_a),
       Json{{"location", "x"}},
       {404, 404, 404, 403, 403}},
      {"PATCH",
       "/api/v1/systems/" + id(t1_.system_a),
       Json{{"notes", "更新"}},
       {200, 200, 200, 403, 403}},
      {"POST", "/api/v1/vendors", Json{{"name", "新規事業者"}}, {201, 201, 403, 403, 403}},
      {"POST",
       "/api/v1/assets",
       Json{{"category", "pc"}, {"name", "新しい端末"}},
       {201, 201, 201, 403, 403}},
      // A vendor cannot place an asset under another vendor.
      {"POST",
       "/api/v1/assets",
       Json{{"category", "pc"}, {"name", "他社の端末"}, {"vendor_id", t1_.vendor_b}},
       {201, 201, 403, 403, 403}},
      {"POST",
       "/api/v1/users",
       Json{{"username", "newnurse"}, {"role", "staff"}, {"password", "Nurse-Pass-1"}},
       {201, 403, 403, 403, 403}},
      // The ledger's evidence, exports and reports.
      {"GET", "/api/v1/ledger/completeness", nullptr, {200, 200, 200, 403, 200}},
      {"GET", "/api/v1/ledger/export?format=csv", nullptr, {200, 200, 200, 403, 200}},
      {"GET", "/api/v1/ledger/reports", nullptr, {200, 200, 403, 403, 200}},
      {"POST", "/api/v1/ledger/reports", Json::object(), {201, 201, 403, 403, 403}},
      {"GET", "/api/v1/ledger/discovered", nullptr, {200, 200, 200, 403, 200}},
      {"GET", "/api/v1/ledger/documents", nullptr, {200, 200, 200, 403, 200}},
      {"POST",
       "/api/v1/ledger/documents",
       Json{{"system_id", t1_.system_b},
            {"kind", "mds"},
            {"file_name", "mds.txt"},
            {"content_base64", "TURT"}},
       {201, 201, 404, 403, 403}},
  };
  for (const auto& c : cases) {
    for (size_t i = 0; i < kRoles.size(); ++i) {
      auto client = As(kRoles[i]);
      Json body = c.body;
      // Unique names per role, so a 201 for one role is no 409 for the next.
      if (body.is_object() && body.contains("name") && c.method == "POST")
        body["name"] = body["name"].get<std::string>() + "-" + kRoles[i];
      if (body.is_object() && body.contains("username")) body["username"] = "newnurse-" + kRoles[i];
      auto r = client.Send(c.method, c.path, body.is_null() ? "" : body.dump());
      EXPECT_EQ(r.status, c.expect[i])
          << kRoles[i] << " " << c.method << " " << c.path << " → " << r.body;
    }
  }
}

TEST_F(AuthzMatrix, VendorListsOnlyItsOwnRows) {
  auto vendor = As("vendor");
  auto assets = vendor.Get("/api/v1/assets");
  ASSERT_EQ(assets.status, 200);
  EXPECT_EQ(assets.json["total"], 1);
  EXPECT_EQ(assets.json["items"][0]["id"], t1_.asset_a);
  auto systems = vendor.Get("/api/v1/systems");
  ASSERT_EQ(systems.json["items"].size(), 1u);
  EXPECT_EQ(systems.json["items"][0]["id"], t1_.system_a);
  auto vendors = vendor.Get("/api/v1/vendors");
  ASSERT_EQ(vendors.json["items"].size(), 1u);
  EXPECT_EQ(vendors.json["items"][0]["id"], t1_.vendor_a);
  // A vendor's own new asset belongs to its vendor even when it names none.
  auto created = vendor.Post("/api/v1/assets", Json{{"category", "pc"}, {"name", "保守用PC"}});
  ASSERT_EQ(created.status, 201);
  EXPECT_EQ(created.json["vendor_id"], t1_.vendor_a);
}

TEST_F(AuthzMatrix, OtherTenantSeesNothingOfThisOne) {
  auto admin2 = As("t2-admin");
  auto assets = admin2.Get("/api/v1/assets");
  ASSERT_EQ(assets.status, 200);
  EXPECT_EQ(assets.json["total"], 2);
  for (const auto& a : assets.json["items"])
    EXPECT_EQ(a["name"].get<std::string>().rfind("t2-", 0), 0u);
  auto users = admin2.Get("/api/v1/users");
  for (const auto& u : users.json["items"])
    EXPECT_EQ(u["username"].get<std::string>().rfind("t2-", 0), 0u);
  auto audit = admin2.Get("/api/v1/audit?limit=1000");
  for (const auto& e : audit.json["items"]) EXPECT_NE(e["username"], "admin");
  EXPECT_EQ(admin2.Get("/api/v1/users/1").status, 404);
}

// An endpoint's path with its placeholders filled: {id} with id, {upload} with an upload id's
// shape (the check comes before the upload is looked up).
std::string Concrete(const char* path, const std::string& id) {
  std::string p = std::regex_replace(std::string(path), std::regex("\\{id\\}"), id);
  return std::regex_replace(p, std::regex("\\{upload\\}"), std::string(32, 'a'));
}

TEST_F(AuthzMatrix, EveryProtectedEndpointRejectsAnonymousCalls) {
  auto anon = Anonymous();
  int checked = 0;
  for (const auto& e : server::Endpoints()) {
    std::string path = Concrete(e.path, "1");
    auto r = anon.Send(e.method, path, std::string(e.method) == "GET" ? "" : "{}");
    if (e.authenticated) {
      EXPECT_EQ(r.status, 401) << e.method << " " << path;
      EXPECT_EQ(r.json["error"]["key"], "auth.unauthenticated");
      ++checked;
    }
  }
  EXPECT_GT(checked, 20);
}

TEST_F(AuthzMatrix, ReadOnlyRolesCannotChangeAnything) {
  for (const char* role : {"inspector", "auditor"}) {
    auto c = As(role);
    for (const auto& e : server::Endpoints()) {
      if (e.access != auth::Access::kWrite) continue;
      std::string path = Concrete(e.path, std::to_string(t1_.asset_a));
      auto r = c.Send(e.method, path, "{}");
      EXPECT_EQ(r.status, 403) << role << " " << e.method << " " << path;
    }
  }
}

}  // namespace
}  // namespace mamori::testing
