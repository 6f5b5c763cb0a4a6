// Vulnerabilities through the API: feeds are loaded by admins only (they are shared by every
// organisation), findings are matched per tenant, a vendor's user sees and triages only its own
// assets' findings, inspectors see none, the dashboard's counts follow the findings.
#include <gtest/gtest.h>
#include <zlib.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <vector>

#include "api/api_fixture.hpp"
#include "core/crypto.hpp"
#include "formats/csv_reader.hpp"
#include "vuln/bundle.hpp"
#include "vuln/vuln_service.hpp"

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
  // Pages: three, three and two of the eight, in the same order as the whole list and the same
  // to the field (the database pages them and only the page is enriched with scores, KEV, due
  // dates); a severity filter; bad paging parameters named.
  Json paged = Json::array();
  for (int offset : {0, 3, 6}) {
    auto page = admin.Get("/api/v1/vuln/findings?limit=3&offset=" + std::to_string(offset));
    ASSERT_EQ(page.status, 200) << page.body;
    EXPECT_EQ(page.json["total"], 8);
    EXPECT_EQ(page.json["items"].size(), offset == 6 ? 2u : 3u);
    for (const auto& f : page.json["items"]) paged.push_back(f);
  }
  EXPECT_EQ(paged, all.json["items"]);
  auto past_end = admin.Get("/api/v1/vuln/findings?limit=3&offset=100");
  EXPECT_EQ(past_end.json["total"], 8);
  EXPECT_TRUE(past_end.json["items"].empty());
  auto one_asset =
      admin.Get("/api/v1/vuln/findings?limit=2&asset_id=" + std::to_string(t1_.asset_b));
  ASSERT_EQ(one_asset.status, 200) << one_asset.body;
  EXPECT_EQ(one_asset.json["total"], 4);
  for (const auto& f : one_asset.json["items"]) EXPECT_EQ(f["asset_id"], t1_.asset_b);
  auto kev_page = admin.Get("/api/v1/vuln/findings?kev=1&limit=3");  // a computed view
  EXPECT_EQ(kev_page.json["total"], 4);
  EXPECT_EQ(kev_page.json["items"].size(), 3u);
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
  auto mine_page = vendor.Get("/api/v1/vuln/findings?limit=3&offset=3");
  EXPECT_EQ(mine_page.json["total"], 4);  // the vendor's own only, counted by the database
  ASSERT_EQ(mine_page.json["items"].size(), 1u);
  EXPECT_EQ(mine_page.json["items"][0], mine.json["items"][3]);
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

// Findings grouped by CVE count what the list holds; several findings are triaged in one request
// — all of them, or none when one is not the caller's — with one audit record each.
TEST_F(VulnApi, FindingsGroupByCveAndSeveralAreTriagedAtOnceAllOrNone) {
  ApiClient admin = As("admin");
  ApiClient staff = As("staff");
  for (const char* f :
       {"nvd/osvdev-nvdcve-2.0/CVE-2023-4863.json", "nvd/osvdev-nvdcve-2.0/CVE-2024-3094.json",
        "kev/known_exploited_vulnerabilities.json"}) {
    auto r = admin.Post("/api/v1/vuln/feeds", File(shared_ + f, f));
    ASSERT_EQ(r.status, 201) << r.body;
  }
  Attach(admin, t1_.asset_a);
  Attach(admin, t1_.asset_b);
  ASSERT_EQ(staff.Post("/api/v1/vuln/match", Json::object()).status, 200);
  auto all = staff.Get("/api/v1/vuln/findings");
  ASSERT_EQ(all.json["items"].size(), 8u);

  // By CVE: each group counts that CVE's findings and assets; KEV first.
  auto cves = staff.Get("/api/v1/vuln/cves");
  ASSERT_EQ(cves.status, 200) << cves.body;
  std::map<std::string, std::vector<Json>> by_cve;
  for (const auto& f : all.json["items"]) by_cve[f["cve"]].push_back(f);
  ASSERT_EQ(cves.json["total"], by_cve.size());
  bool kev_seen_last = true;
  for (const auto& g : cves.json["items"]) {
    const auto& list = by_cve[g["cve"]];
    EXPECT_EQ(g["findings"], list.size()) << g.dump();
    EXPECT_EQ(g["open"], list.size());
    std::set<int64_t> assets;
    for (const auto& f : list) assets.insert(f["asset_id"].get<int64_t>());
    EXPECT_EQ(g["assets"], assets.size());
    EXPECT_EQ(g["kev"], list[0]["kev"]);
    EXPECT_TRUE(kev_seen_last || !g["kev"].get<bool>()) << "KEV groups come first";
    kev_seen_last = g["kev"];
  }
  auto one_asset = staff.Get("/api/v1/vuln/cves?asset_id=" + std::to_string(t1_.asset_a));
  int64_t in_one = 0;
  for (const auto& g : one_asset.json["items"]) {
    EXPECT_EQ(g["assets"], 1);
    in_one += g["findings"].get<int64_t>();
  }
  EXPECT_EQ(in_one, 4);

  // One CVE on both assets, patched everywhere: one request.
  std::string cve = cves.json["items"][0]["cve"];
  Json ids = Json::array();
  for (const auto& f : by_cve[cve]) ids.push_back(f["id"]);
  ASSERT_GE(ids.size(), 2u);
  size_t audits = AuditActions(t1_.org_id).size();
  auto fixed = staff.Post("/api/v1/vuln/findings/triage",
                          Json{{"ids", ids}, {"state", "fixed"}, {"note", "10月の更新で適用"}});
  ASSERT_EQ(fixed.status, 200) << fixed.body;
  EXPECT_EQ(fixed.json["updated"], ids.size());
  ASSERT_EQ(fixed.json["items"].size(), ids.size());
  for (size_t i = 0; i < ids.size(); ++i) {
    EXPECT_EQ(fixed.json["items"][i]["id"], ids[i]);  // in the order asked
    EXPECT_EQ(fixed.json["items"][i]["state"], "fixed");
    EXPECT_EQ(fixed.json["items"][i]["note"], "10月の更新で適用");
    EXPECT_EQ(fixed.json["items"][i]["state_source"], "staff");
  }
  Json actions = AuditActions(t1_.org_id);
  ASSERT_EQ(actions.size(), audits + ids.size());
  for (size_t i = audits; i < actions.size(); ++i) EXPECT_EQ(actions[i], "vuln.triage");
  auto after = staff.Get("/api/v1/vuln/cves?state=fixed");
  ASSERT_EQ(after.json["items"].size(), 1u);
  EXPECT_EQ(after.json["items"][0]["cve"], cve);
  EXPECT_EQ(after.json["items"][0]["open"], 0);

  // A vendor's request naming another vendor's finding changes none of them.
  ApiClient vendor = As("vendor");
  int64_t own = 0, other = 0;
  for (const auto& f : all.json["items"]) {
    if (f["cve"] == cve) continue;
    (f["asset_id"] == t1_.asset_a ? own : other) = f["id"];
  }
  ASSERT_TRUE(own && other);
  auto mixed =
      vendor.Post("/api/v1/vuln/findings/triage", Json{{"ids", {own, other}}, {"state", "fixed"}});
  EXPECT_EQ(mixed.status, 404) << mixed.body;
  EXPECT_NE(mixed.body.find(std::to_string(other)), std::string::npos) << mixed.body;
  for (const auto& f : vendor.Get("/api/v1/vuln/findings").json["items"]) {
    if (f["id"] == own) {
      EXPECT_EQ(f["state"], "new");
    }
  }
  auto triages = [this] {
    Json all_actions = AuditActions(t1_.org_id);
    return std::count(all_actions.begin(), all_actions.end(), Json("vuln.triage"));
  };
  EXPECT_EQ(triages(), static_cast<std::ptrdiff_t>(ids.size()));  // only the first request's

  // Bad requests name their field; the rules of a state hold for every finding.
  auto none =
      staff.Post("/api/v1/vuln/findings/triage", Json{{"ids", Json::array()}, {"state", "fixed"}});
  EXPECT_EQ(none.status, 400);
  EXPECT_EQ(none.json["error"]["field"], "ids") << none.body;
  auto word =
      staff.Post("/api/v1/vuln/findings/triage", Json{{"ids", {own, "x"}}, {"state", "fixed"}});
  EXPECT_EQ(word.status, 400);
  EXPECT_EQ(word.json["error"]["field"], "ids[1]") << word.body;
  Json many = Json::array();
  for (int i = 1; i <= 1001; ++i) many.push_back(i);
  auto too_many =
      staff.Post("/api/v1/vuln/findings/triage", Json{{"ids", many}, {"state", "fixed"}});
  EXPECT_EQ(too_many.status, 400);
  EXPECT_EQ(too_many.json["error"]["key"], "json.too_many") << too_many.body;
  auto no_reason = staff.Post("/api/v1/vuln/findings/triage",
                              Json{{"ids", {own, other}}, {"state", "accepted"}});
  EXPECT_EQ(no_reason.status, 400);
  EXPECT_EQ(no_reason.json["error"]["field"], "note") << no_reason.body;
  // The list as a file, with the same filters: CSV in CP932 for older Excel, XLSX (read back by
  // exceljs in tests/peer); a format it does not write is refused by name.
  auto csv = staff.Get("/api/v1/vuln/findings/export?format=csv&encoding=cp932&state=fixed");
  ASSERT_EQ(csv.status, 200) << csv.body;
  EXPECT_EQ(csv.content_type, "text/csv; charset=Shift_JIS");
  auto table = formats::ReadCsv(csv.body, "export.csv");
  ASSERT_TRUE(table.ok());
  EXPECT_EQ(table->encoding, formats::Encoding::kCp932);
  EXPECT_EQ(table->rows.size(), ids.size() + 1);  // the header and the CVE's fixed findings
  EXPECT_EQ(table->rows[1][1], cve);
  auto xlsx = staff.Get("/api/v1/vuln/findings/export?format=xlsx");
  ASSERT_EQ(xlsx.status, 200);
  EXPECT_TRUE(xlsx.body.starts_with("PK"));
  auto pdf = staff.Get("/api/v1/vuln/findings/export?format=pdf");
  EXPECT_EQ(pdf.status, 400);
  EXPECT_EQ(pdf.json["error"]["field"], "format");
  EXPECT_EQ(As("inspector").Get("/api/v1/vuln/findings/export").status, 403);

  EXPECT_EQ(As("inspector")
                .Post("/api/v1/vuln/findings/triage", Json{{"ids", {own}}, {"state", "fixed"}})
                .status,
            403);
}

// A vendor's account loads its own VEX: the statement reaches the findings of the devices it
// maintains, not the same component on another vendor's device — also after a full re-match.
TEST_F(VulnApi, AVendorsVexSpeaksForItsOwnDevicesOnly) {
  ApiClient admin = As("admin");
  for (const char* f : {"nvd/osvdev-nvdcve-2.0/CVE-2023-4863.json"}) {
    auto r = admin.Post("/api/v1/vuln/feeds", File(shared_ + f, f));
    ASSERT_EQ(r.status, 201) << r.body;
  }
  Attach(admin, t1_.asset_a);
  Attach(admin, t1_.asset_b);
  ASSERT_EQ(admin.Post("/api/v1/vuln/match", Json::object()).status, 200);
  Json vex = Json::parse(R"({"bomFormat": "CycloneDX", "specVersion": "1.5", "version": 1,
    "metadata": {"timestamp": "2026-12-01T00:00:00Z", "manufacture": {"name": "Example PACS"}},
    "components": [{"bom-ref": "chrome", "type": "application", "name": "Google Chrome",
      "version": "116.0.5845.96", "cpe": "cpe:2.3:a:google:chrome:116.0.5845.96:*:*:*:*:*:*:*"}],
    "vulnerabilities": [{"id": "CVE-2023-4863", "affects": [{"ref": "chrome"}],
      "analysis": {"state": "not_affected", "justification": "code_not_reachable"}}]})");
  ApiClient vendor = As("vendor");
  auto loaded = vendor.Post("/api/v1/vuln/vex", Json{{"file_name", "pacs.vex.json"},
                                                     {"content_base64", Base64Encode(vex.dump())}});
  ASSERT_EQ(loaded.status, 201) << loaded.body;
  EXPECT_EQ(loaded.json["applied"], 1);
  auto chrome_state = [&](int64_t asset) {
    auto r = admin.Get("/api/v1/vuln/findings?all=1&cve=CVE-2023-4863&asset_id=" +
                       std::to_string(asset));
    for (const auto& f : r.json["items"])
      if (f["component"] == "Google Chrome") return f["state"].get<std::string>();
    return std::string("-");
  };
  EXPECT_EQ(chrome_state(t1_.asset_a), "not_affected");
  EXPECT_EQ(chrome_state(t1_.asset_b), "new");
  ASSERT_EQ(admin.Post("/api/v1/vuln/match?full=1", Json::object()).status, 200);
  EXPECT_EQ(chrome_state(t1_.asset_a), "not_affected");
  EXPECT_EQ(chrome_state(t1_.asset_b), "new");
  auto mine = vendor.Get("/api/v1/vuln/vex");
  ASSERT_EQ(mine.json["items"].size(), 1u);
  EXPECT_FALSE(mine.json["items"][0]["vendor"].is_null());
  auto all = admin.Get("/api/v1/vuln/vex");
  ASSERT_EQ(all.json["items"].size(), 1u);
  EXPECT_EQ(all.json["items"][0]["vendor"], mine.json["items"][0]["vendor"]);
}

// An asset's security requirements (CVSS CR/IR/AR) re-score its findings: a ward PC whose data
// matters little takes libwebp's 8.8 (HIGH) down to 6.9 (MEDIUM) — computed by hand from the
// CVSS 3.1 specification: MISS = 1 − (1 − 0.28 × 0.56)³ = 0.6268, impact 6.42 × MISS = 4.024,
// exploitability 8.22 × 0.85 × 0.77 × 0.85 × 0.62 = 2.835, Roundup(6.859) = 6.9 — while the same
// CVE on the other asset stays HIGH. The severity filter and the dashboard follow; only the
// hospital's staff set them; cleared, the base score is back.
TEST_F(VulnApi, AssetRequirementsRescoreItsFindings) {
  ApiClient admin = As("admin");
  for (const char* f :
       {"nvd/osvdev-nvdcve-2.0/CVE-2023-4863.json", "nvd/osvdev-nvdcve-2.0/CVE-2024-3094.json"}) {
    auto r = admin.Post("/api/v1/vuln/feeds", File(shared_ + f, f));
    ASSERT_EQ(r.status, 201) << r.body;
  }
  Attach(admin, t1_.asset_a);
  Attach(admin, t1_.asset_b);
  ASSERT_EQ(admin.Post("/api/v1/vuln/match", Json::object()).status, 200);
  auto libwebp = [&](int64_t asset) {
    auto r = admin.Get("/api/v1/vuln/findings?cve=CVE-2023-4863&asset_id=" + std::to_string(asset));
    EXPECT_EQ(r.status, 200) << r.body;
    return r.json["items"].empty() ? Json() : r.json["items"][0];
  };
  Json before = libwebp(t1_.asset_a);
  ASSERT_EQ(before["cvss"]["vector"], "CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:U/C:H/I:H/A:H");
  EXPECT_EQ(before["severity"], "HIGH");
  EXPECT_TRUE(before["cvss"]["environmental_score"].is_null());

  std::string path = "/api/v1/vuln/assets/" + std::to_string(t1_.asset_a) + "/requirements";
  ApiClient staff = As("staff");
  auto set = staff.Put(path, Json{{"cr", "L"}, {"ir", "l"}, {"ar", "L"}, {"note", "待合の端末"}});
  ASSERT_EQ(set.status, 200) << set.body;
  EXPECT_EQ(set.json["vector"], "CR:L/IR:L/AR:L");
  Json after = libwebp(t1_.asset_a);
  EXPECT_EQ(after["cvss"]["requirements"], "CR:L/IR:L/AR:L");
  EXPECT_EQ(after["cvss"]["environmental_score"], 6.9);
  EXPECT_EQ(after["cvss"]["environmental_severity"], "MEDIUM");
  EXPECT_EQ(after["severity"], "MEDIUM");
  EXPECT_EQ(after["cvss"]["score"], 8.8);  // the base stays as NVD gave it
  EXPECT_EQ(libwebp(t1_.asset_b)["severity"], "HIGH");
  // The CVE is in Chrome and in libwebp: both of asset A's findings, none of B's.
  auto medium = admin.Get("/api/v1/vuln/findings?severity=MEDIUM&cve=CVE-2023-4863");
  ASSERT_EQ(medium.json["items"].size(), 2u);
  for (const auto& f : medium.json["items"]) EXPECT_EQ(f["asset_id"], t1_.asset_a);
  EXPECT_EQ(admin.Get("/api/v1/vuln/findings?severity=HIGH&cve=CVE-2023-4863").json["total"], 2);

  // Only the hospital's staff; values named when wrong; another tenant's asset is not found.
  EXPECT_EQ(As("vendor").Put(path, Json{{"cr", "H"}}).status, 403);
  EXPECT_EQ(As("inspector").Put(path, Json{{"cr", "H"}}).status, 403);
  auto bad = staff.Put(path, Json{{"cr", "Q"}});
  EXPECT_EQ(bad.status, 400);
  EXPECT_NE(bad.body.find("cr"), std::string::npos) << bad.body;
  EXPECT_EQ(As("t2-admin").Put(path, Json{{"cr", "H"}}).status, 404);
  auto listed = As("vendor").Get("/api/v1/vuln/requirements");
  ASSERT_EQ(listed.status, 200);
  ASSERT_EQ(listed.json["items"].size(), 1u);  // its own asset's
  EXPECT_EQ(listed.json["items"][0]["note"], "待合の端末");
  EXPECT_EQ(As("t2-admin").Get("/api/v1/vuln/requirements").json["items"].size(), 0u);

  ASSERT_EQ(staff.Delete(path).status, 200);
  EXPECT_EQ(libwebp(t1_.asset_a)["severity"], "HIGH");
  EXPECT_EQ(staff.Delete(path).status, 400);
  auto actions = AuditActions(t1_.org_id).dump();
  EXPECT_NE(actions.find("vuln.requirements_set"), std::string::npos);
  EXPECT_NE(actions.find("vuln.requirements_clear"), std::string::npos);
}

}  // namespace
}  // namespace mamori::testing

namespace mamori::testing {
namespace {

// The offline bundle from a browser: begun by an administrator with its size, sent in pieces at
// known offsets (a piece out of place is refused with what was received, so the sender resumes),
// verified with the keys the installation trusts, loaded, listed. Only the user who began an
// upload can add to it; a changed byte or an untrusted key fails by the file's own name.
class BundleUpload : public VulnApi {
 protected:
  // A signed bundle of one real NVD record and KEV, built as `vuln bundle build` builds it.
  std::string Build(const vuln::SigningKey& key) {
    std::filesystem::create_directories(dir_.File("feeds"));
    std::filesystem::copy_file(shared_ + "nvd/osvdev-nvdcve-2.0/CVE-2024-3094.json",
                               dir_.File("feeds/CVE-2024-3094.json"),
                               std::filesystem::copy_options::overwrite_existing);
    vuln::BundleBuild b;
    b.inputs = {dir_.File("feeds")};
    b.out = dir_.File("feeds-2026-12.mamori");
    b.key = key;
    b.created = "2026-12-02T00:00:00Z";
    b.producer = "test ISAC";
    auto m = vuln::BuildBundle(b);
    EXPECT_TRUE(m.ok()) << m.error().Message(Lang::kEn);
    return Slurp(b.out);
  }

  // Sends bytes in pieces of `piece` bytes; returns the upload's id.
  std::string Upload(ApiClient& c, const std::string& name, const std::string& bytes,
                     size_t piece) {
    auto begin =
        c.Post("/api/v1/vuln/bundles/uploads", Json{{"file_name", name}, {"size", bytes.size()}});
    EXPECT_EQ(begin.status, 201) << begin.body;
    std::string id = begin.json.value("id", "");
    for (size_t at = 0; at < bytes.size(); at += piece) {
      auto r =
          c.Post("/api/v1/vuln/bundles/uploads/" + id,
                 Json{{"offset", at}, {"content_base64", Base64Encode(bytes.substr(at, piece))}});
      EXPECT_EQ(r.status, 200) << r.body;
      EXPECT_EQ(r.json.value("received", size_t{0}), std::min(bytes.size(), at + piece));
    }
    return id;
  }
};

TEST_F(BundleUpload, AnAdministratorSendsVerifiesAndLoadsABundleInPieces) {
  vuln::SigningKey key = vuln::GenerateSigningKey();
  std::string bundle = Build(key);
  ASSERT_GT(bundle.size(), 1000u);
  ApiClient admin = As("admin");

  // Not trusted yet: refused, naming the file as the user named it.
  std::string id = Upload(admin, "feeds-2026-12.mamori", bundle, bundle.size() / 3);
  auto untrusted = admin.Post("/api/v1/vuln/bundles/uploads/" + id + "/load", Json::object());
  EXPECT_EQ(untrusted.status, 403) << untrusted.body;
  EXPECT_EQ(untrusted.json["error"]["key"], "bundle.key_untrusted") << untrusted.body;
  EXPECT_NE(untrusted.body.find("feeds-2026-12.mamori:manifest.json.minisig"), std::string::npos)
      << untrusted.body;
  EXPECT_EQ(untrusted.body.find("uploads/"), std::string::npos) << untrusted.body;
  ledger::LedgerService ledger(*db_);
  vuln::VulnService vuln(*db_, ledger);
  store::Actor system{t1_.org_id, std::nullopt, "system", ""};
  ASSERT_TRUE(vuln.TrustBundleKey(system, key.pub, "test ISAC").ok());

  // Staff may not; another organisation's administrator cannot add to this upload.
  EXPECT_EQ(As("staff")
                .Post("/api/v1/vuln/bundles/uploads", Json{{"file_name", "x"}, {"size", 10}})
                .status,
            403);
  auto begin = admin.Post("/api/v1/vuln/bundles/uploads",
                          Json{{"file_name", "feeds-2026-12.mamori"}, {"size", bundle.size()}});
  ASSERT_EQ(begin.status, 201);
  std::string id2 = begin.json["id"];
  ApiClient other = As("t2-admin");
  EXPECT_EQ(other
                .Post("/api/v1/vuln/bundles/uploads/" + id2,
                      Json{{"offset", 0}, {"content_base64", Base64Encode("x")}})
                .status,
            404);
  // A piece out of place: refused with what was received; loading early: refused.
  auto half = bundle.substr(0, bundle.size() / 2);
  ASSERT_EQ(admin
                .Post("/api/v1/vuln/bundles/uploads/" + id2,
                      Json{{"offset", 0}, {"content_base64", Base64Encode(half)}})
                .status,
            200);
  auto skipped = admin.Post("/api/v1/vuln/bundles/uploads/" + id2,
                            Json{{"offset", half.size() + 10},
                                 {"content_base64", Base64Encode(bundle.substr(half.size()))}});
  EXPECT_EQ(skipped.status, 409) << skipped.body;
  EXPECT_NE(skipped.body.find(std::to_string(half.size())), std::string::npos) << skipped.body;
  auto early = admin.Post("/api/v1/vuln/bundles/uploads/" + id2 + "/load", Json::object());
  EXPECT_EQ(early.status, 400) << early.body;
  // Resumed where it stopped.
  auto rest = admin.Post(
      "/api/v1/vuln/bundles/uploads/" + id2,
      Json{{"offset", half.size()}, {"content_base64", Base64Encode(bundle.substr(half.size()))}});
  ASSERT_EQ(rest.status, 200) << rest.body;
  EXPECT_EQ(rest.json["received"], bundle.size());
  auto loaded = admin.Post("/api/v1/vuln/bundles/uploads/" + id2 + "/load", Json::object());
  ASSERT_EQ(loaded.status, 200) << loaded.body;
  EXPECT_EQ(loaded.json["file"], "feeds-2026-12.mamori");
  EXPECT_EQ(loaded.json["key_id"], key.pub.IdHex()) << loaded.body;
  ASSERT_EQ(loaded.json["files"].size(), 1u) << loaded.body;
  EXPECT_EQ(loaded.json["files"][0]["records"], 1) << loaded.body;
  auto listed = admin.Get("/api/v1/vuln/bundles");
  ASSERT_EQ(listed.status, 200);
  ASSERT_EQ(listed.json["items"].size(), 1u) << listed.body;
  EXPECT_EQ(listed.json["keys"].size(), 1u) << listed.body;
  // The upload is gone once taken; the pieces are not left on disk.
  EXPECT_EQ(admin.Post("/api/v1/vuln/bundles/uploads/" + id2 + "/load", Json::object()).status,
            404);
  EXPECT_TRUE(std::filesystem::is_empty(dir_.File("uploads")));

  // A changed byte: the signature (or a member's hash) fails, by the file's name.
  std::string bad = bundle;
  bad[bad.size() / 2] = static_cast<char>(bad[bad.size() / 2] ^ 0x55);
  std::string id3 = Upload(admin, "tampered.mamori", bad, bad.size());
  auto refused = admin.Post("/api/v1/vuln/bundles/uploads/" + id3 + "/load", Json::object());
  EXPECT_EQ(refused.status, 400) << refused.body;
  EXPECT_NE(refused.body.find("tampered.mamori"), std::string::npos) << refused.body;
  EXPECT_EQ(refused.body.find("uploads/"), std::string::npos) << refused.body;
  EXPECT_TRUE(std::filesystem::is_empty(dir_.File("uploads")));
}

}  // namespace
}  // namespace mamori::testing
