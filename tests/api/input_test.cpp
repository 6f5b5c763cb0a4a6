// Bad input through the API: malformed JSON, wrong types, unknown fields, oversized bodies,
// bad ids — each a 4xx with a JSON error naming the field, and no partial writes.
#include "api/api_fixture.hpp"
#include "server/api.hpp"

namespace mamori::testing {
namespace {

class InputApi : public ApiTest {};

TEST_F(InputApi, MalformedJsonNamesThePosition) {
  auto c = As("staff");
  auto r = c.Send("POST", "/api/v1/assets", R"({"category": "pc", "name": )");
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(r.json["error"]["key"], "json.invalid");
  EXPECT_NE(r.json["error"]["message"].get<std::string>().find("バイト目"), std::string::npos);
}

TEST_F(InputApi, WrongTypesAndUnknownFieldsNameTheField) {
  auto c = As("staff");
  auto type = c.Post("/api/v1/assets", Json{{"category", "pc"}, {"name", 42}});
  EXPECT_EQ(type.status, 400);
  EXPECT_EQ(type.json["error"]["field"], "name");
  auto unknown = c.Post("/api/v1/assets", Json{{"category", "pc"}, {"name", "x"}, {"owner", "me"}});
  EXPECT_EQ(unknown.status, 400);
  EXPECT_EQ(unknown.json["error"]["key"], "json.unknown_field");
  EXPECT_EQ(unknown.json["error"]["field"], "owner");
  auto missing = c.Post("/api/v1/assets", Json{{"category", "pc"}});
  EXPECT_EQ(missing.json["error"]["field"], "name");
  auto cat = c.Post("/api/v1/assets", Json{{"category", "toaster"}, {"name", "x"}});
  EXPECT_EQ(cat.json["error"]["field"], "category");
  c.lang = "en";
  auto ip =
      c.Post("/api/v1/assets", Json{{"category", "pc"}, {"name", "x"}, {"ips", "10.0.0.300"}});
  EXPECT_EQ(ip.status, 400);
  EXPECT_EQ(ip.json["error"]["field"], "ips");
  EXPECT_EQ(ip.json["error"]["message"], "\"10.0.0.300\" is not a valid IP address");
  EXPECT_EQ(c.Get("/api/v1/assets?q=x").json["total"], 0);
}

TEST_F(InputApi, AFailedUpdateChangesNothing) {
  auto c = As("staff");
  std::string path = "/api/v1/assets/" + std::to_string(t1_.asset_a);
  auto before = c.Get(path);
  auto bad = c.Patch(path, Json{{"location", "新しい場所"}, {"macs", "zz:zz"}});
  EXPECT_EQ(bad.status, 400);
  EXPECT_EQ(bad.json["error"]["field"], "macs");
  auto after = c.Get(path);
  EXPECT_EQ(before.json, after.json);
  auto good = c.Patch(path, Json{{"macs", Json::array({"00-1A-2B-3C-4D-5E"})}});
  EXPECT_EQ(good.status, 200);
  EXPECT_EQ(good.json["macs"][0], "00:1a:2b:3c:4d:5e");
}

TEST_F(InputApi, OversizedBodiesGetAJsonError) {
  auto c = As("staff");
  std::string huge = R"({"category":"pc","name":")" + std::string(600 * 1024, 'x') + "\"}";
  auto r = c.Send("POST", "/api/v1/assets", huge);
  EXPECT_EQ(r.status, 413);
  EXPECT_EQ(r.json["error"]["key"], "common.too_large");
}

TEST_F(InputApi, BadIdsAndUnknownRoutes) {
  auto c = As("staff");
  EXPECT_EQ(c.Get("/api/v1/assets/0").status, 400);
  EXPECT_EQ(c.Get("/api/v1/assets/99999999999999999999999").status, 400);
  auto none = c.Get("/api/v1/nothing");
  EXPECT_EQ(none.status, 404);
  EXPECT_EQ(none.json["error"]["key"], "common.no_route");
  EXPECT_EQ(c.Get("/api/v1/assets?limit=abc").json["error"]["field"], "limit");
}

TEST_F(InputApi, PagingIsBounded) {
  auto c = As("staff");
  auto r = c.Get("/api/v1/assets?limit=100000&offset=-5");
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.json["items"].size(), 2u);
}

TEST_F(InputApi, OpenApiDescribesEveryEndpoint) {
  auto r = Anonymous().Get("/api/v1/openapi.json");
  ASSERT_EQ(r.status, 200);
  EXPECT_EQ(r.json["openapi"], "3.0.3");
  for (const auto& e : server::Endpoints()) {
    std::string m = e.method;
    for (auto& ch : m) ch = static_cast<char>(std::tolower(ch));
    EXPECT_TRUE(r.json["paths"][e.path].contains(m)) << e.method << " " << e.path;
  }
}

TEST_F(InputApi, HealthAndMetrics) {
  auto anon = Anonymous();
  EXPECT_EQ(anon.Get("/healthz").json["status"], "ok");
  (void)As("staff").Get("/api/v1/assets");
  auto m = anon.Get("/metrics");
  EXPECT_EQ(m.status, 200);
  EXPECT_NE(
      m.body.find(
          "mamori_http_requests_total{method=\"GET\",route=\"/api/v1/assets\",status=\"200\"} 1"),
      std::string::npos)
      << m.body;
  EXPECT_NE(m.body.find("mamori_store_statements_total"), std::string::npos);
}

TEST_F(InputApi, SecurityHeaders) {
  auto r = Anonymous().Get("/healthz");
  httplib::Client raw("127.0.0.1", server_->port());
  auto res = raw.Get("/api/v1/openapi.json");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->get_header_value("X-Content-Type-Options"), "nosniff");
  EXPECT_EQ(res->get_header_value("X-Frame-Options"), "DENY");
  EXPECT_NE(res->get_header_value("Content-Security-Policy").find("default-src 'self'"),
            std::string::npos);
}

}  // namespace
}  // namespace mamori::testing
