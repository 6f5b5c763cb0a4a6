// Vulnerabilities through the API: feeds are loaded by admins only (they are shared by every
// organisation), findings are matched per tenant, a vendor's user sees and triages only its own
// assets' findings, inspectors see none, the dashboard's counts follow the findings.
#include <gtest/gtest.h>
#include <zlib.h>

#include <fstream>
#include <sstream>

#include "api/api_fixture.hpp"
#include "core/crypto.hpp"

namespace mamori::testing {
namespace {

std::string Slurp(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  std::stringstream ss;
  ss << f.rdbuf();
  return ss.str();
}

// gzip, as a feed file is usually carried (and the test server's body limit is small).
std::string Gzip(const std::string& in) {
  z_stream zs{};
  EXPECT_EQ(deflateInit2(&zs, 9, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY), Z_OK);
  std::string out(deflateBound(&zs, in.size()) + 32, '\0');
  zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(in.data()));
  zs.avail_in = static_cast<uInt>(in.size());
  zs.next_out = reinterpret_cast<Bytef*>(out.data());
  zs.avail_out = static_cast<uInt>(out.size());
  EXPECT_EQ(deflate(&zs, Z_FINISH), Z_STREAM_END);
  out.resize(zs.total_out);
  deflateEnd(&zs);
  return out;
}

class VulnApi : public ApiTest {
 protected:
  std::string shared_ = std::string(std::getenv("MAMORI_SHARED_DIR")) + "/testdata/vuln/";
  std::string data_ = std::string(std::getenv("MAMORI_SOURCE_DIR")) + "/tests/data/vuln/";

  Json File(const std::string& path, const std::string& name) {
    return Json{{"file_name", name}, {"content_base64", Base64Encode(Gzip(Slurp(path)))}};
  }

  void Attach(ApiClient& admin, int64_t asset) {
    Json req{{"file_name", "ward-pc.cdx.json"},
             {"content_base64", Base64Encode(Slurp(data_ + "ward-pc.cdx.json"))},
             {"asset", std::to_string(asset)}};
    auto r = admin.Post("/api/v1/ledger/import", req);
    ASSERT_EQ(r.status, 200) << r.body;
  }
};

TEST_F(VulnApi, TenantsVendorsAndRolesSeeOnlyWhatIsTheirs) {
  ApiClient admin = As("admin");
  ApiClient staff = As("staff");
  auto denied = staff.Post("/api/v1/vuln/feeds",
                           File(shared_ + "kev/known_exploited_vulnerabilities.json", "kev.json"));
  EXPECT_EQ(denied.status, 403) << denied.body;
  for (const char* f :
       {"nvd/osvdev-nvdcve-2.0/CVE-2023-4863.json", "nvd/osvdev-nvdcve-2.0/CVE-2024-3094.json",
        "kev/known_exploited_vulnerabilities.json"}) {
    auto r = admin.Post("/api/v1/vuln/feeds", File(shared_ + f, f));
    ASSERT_EQ(r.status, 201) << r.body;
  }
  auto bad = admin.Post("/api/v1/vuln/feeds", Json{{"file_name", "x.json"},
                                                   {"content_base64", Base64Encode("{\"a\":1}")}});
  EXPECT_EQ(bad.status, 400);
  EXPECT_NE(bad.body.find("x.json"), std::string::npos) << bad.body;

  Attach(admin, t1_.asset_a);
  Attach(admin, t1_.asset_b);
  auto m = staff.Post("/api/v1/vuln/match", Json::object());
  ASSERT_EQ(m.status, 200) << m.body;
  EXPECT_EQ(m.json["added"], 8);

  auto all = admin.Get("/api/v1/vuln/findings");
  ASSERT_EQ(all.status, 200);
  EXPECT_EQ(all.json["items"].size(), 8u);
  auto kev = admin.Get("/api/v1/vuln/findings?kev=1");
  EXPECT_EQ(kev.json["items"].size(), 4u);  // Chrome and libwebp on both assets
  // Pages: three, three and two of the eight, in the same order as the whole list; a severity
  // filter; bad paging parameters named.
  std::vector<int64_t> paged;
  for (int offset : {0, 3, 6}) {
    auto page = admin.Get("/api/v1/vuln/findings?limit=3&offset=" + std::to_string(offset));
    ASSERT_EQ(page.status, 200) << page.body;
    EXPECT_EQ(page.json["total"], 8);
    EXPECT_EQ(page.json["items"].size(), offset == 6 ? 2u : 3u);
    for (const auto& f : page.json["items"]) paged.push_back(f["id"]);
  }
  std::vector<int64_t> whole;
  for (const auto& f : all.json["items"]) whole.push_back(f["id"]);
  EXPECT_EQ(paged, whole);
  auto critical = admin.Get("/api/v1/vuln/findings?severity=CRITICAL&limit=100");
  ASSERT_EQ(critical.status, 200);
  for (const auto& f : critical.json["items"]) EXPECT_EQ(f["cvss"]["severity"], "CRITICAL");
  EXPECT_EQ(critical.json["total"], critical.json["items"].size());
  auto bad_limit = admin.Get("/api/v1/vuln/findings?limit=0");
  EXPECT_EQ(bad_limit.status, 400);
  EXPECT_NE(bad_limit.body.find("limit"), std::string::npos);

  ApiClient vendor = As("vendor");
  auto mine = vendor.Get("/api/v1/vuln/findings");
  ASSERT_EQ(mine.status, 200) << mine.body;
  ASSERT_EQ(mine.json["items"].size(), 4u);
  for (const auto& f : mine.json["items"]) EXPECT_EQ(f["asset_id"], t1_.asset_a);
  int64_t other = 0;
  for (const auto& f : all.json["items"])
    if (f["asset_id"] == t1_.asset_b) other = f["id"];
  auto foreign = vendor.Post("/api/v1/vuln/findings/" + std::to_string(other) + "/triage",
                             Json{{"state", "fixed"}});
  EXPECT_EQ(foreign.status, 404) << foreign.body;
  int64_t own = mine.json["items"][0]["id"];
  auto vex = vendor.Post(
      "/api/v1/vuln/findings/" + std::to_string(own) + "/triage",
      Json{{"state", "not_affected"}, {"justification", "vulnerable_code_not_in_execute_path"}});
  ASSERT_EQ(vex.status, 200) << vex.body;
  EXPECT_EQ(vex.json["state_source"], "vendor");
  auto nojust = vendor.Post("/api/v1/vuln/findings/" + std::to_string(own) + "/triage",
                            Json{{"state", "not_affected"}});
  EXPECT_EQ(nojust.status, 400);

  EXPECT_EQ(As("inspector").Get("/api/v1/vuln/findings").status, 403);
  EXPECT_EQ(As("t2-admin").Get("/api/v1/vuln/findings").json["items"].size(), 0u);

  auto summary = admin.Get("/api/v1/vuln/summary");
  ASSERT_EQ(summary.status, 200) << summary.body;
  EXPECT_EQ(summary.json["open"], 7);  // one is now not_affected
  EXPECT_EQ(summary.json["kev"], 3);
  EXPECT_EQ(summary.json["assets"], 2);
  EXPECT_FALSE(summary.json["last_match"].is_null());
  auto actions = AuditActions(t1_.org_id);
  EXPECT_NE(actions.dump().find("vuln.triage"), std::string::npos);
  EXPECT_NE(actions.dump().find("vuln.match"), std::string::npos);

  auto policy = staff.Patch("/api/v1/vuln/policy", Json{{"critical_days", 7}});
  EXPECT_EQ(policy.status, 403);
  auto set = admin.Patch("/api/v1/vuln/policy", Json{{"critical_days", 7}, {"unknown", 1}});
  EXPECT_EQ(set.status, 400);
  EXPECT_EQ(admin.Patch("/api/v1/vuln/policy", Json{{"critical_days", 7}}).json["critical_days"],
            7);

  auto res = staff.Get("/api/v1/vuln/resolve?text=FortiOS%207.0.12");
  EXPECT_EQ(res.json["cpe"], "cpe:2.3:o:fortinet:fortios:7.0.12:*:*:*:*:*:*:*");
}

}  // namespace
}  // namespace mamori::testing
