// The ledger over HTTP as the web front end uses it: the import wizard's preview with a mapping,
// the import itself, saved profiles, exports, reports, 台帳未登録 review, vendor scoping.
#include <fstream>
#include <sstream>

#include "api/api_fixture.hpp"
#include "core/crypto.hpp"

namespace mamori::testing {
namespace {

class LedgerApi : public ApiTest {};

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

TEST_F(LedgerApi, ImportWizardPreviewMappingThenImport) {
  auto admin = As("admin");
  std::string csv =
      "端末識別子,設置フロア,IPアドレス\r\nWARD-PC1,3F,10.0.0.1\r\nWARD-PC2,4F,10.0.0.300\r\n";
  Json req{{"file_name", "own.csv"},
           {"content_base64", Base64Encode(csv)},
           {"dry_run", true},
           {"preview", true}};
  // Without a mapping no header row is recognised: the error names the file.
  auto none = admin.Post("/api/v1/ledger/import", req);
  EXPECT_EQ(none.status, 400);
  EXPECT_EQ(none.json["error"]["key"], "import.no_header");
  req["mapping"] = {{"端末識別子", "computer_name"}, {"設置フロア", "location"}};
  auto preview = admin.Post("/api/v1/ledger/import", req);
  ASSERT_EQ(preview.status, 200) << preview.body;
  EXPECT_EQ(preview.json["created"], 1);
  EXPECT_EQ(preview.json["dry_run"], true);
  ASSERT_EQ(preview.json["preview"].size(), 1u);
  EXPECT_EQ(preview.json["preview"][0]["computer_name"], "WARD-PC1");
  ASSERT_EQ(preview.json["errors"].size(), 1u);
  EXPECT_EQ(preview.json["errors"][0]["row"], 3);
  EXPECT_EQ(preview.json["errors"][0]["column"], "IPアドレス");
  EXPECT_EQ(admin.Get("/api/v1/assets?q=WARD-PC1").json["total"], 0);  // nothing saved

  // Save the mapping as a profile, import with it.
  auto saved = admin.Post("/api/v1/ledger/profiles",
                          Json{{"name", "当院形式"}, {"mapping", req["mapping"]}});
  ASSERT_EQ(saved.status, 201) << saved.body;
  auto bad = admin.Post("/api/v1/ledger/profiles",
                        Json{{"name", "x"}, {"mapping", {{"端末識別子", "toaster"}}}});
  EXPECT_EQ(bad.status, 400);
  Json real{
      {"file_name", "own.csv"}, {"content_base64", Base64Encode(csv)}, {"profile", "当院形式"}};
  auto done = admin.Post("/api/v1/ledger/import", real);
  ASSERT_EQ(done.status, 200) << done.body;
  EXPECT_EQ(done.json["created"], 1);
  EXPECT_FALSE(done.json.contains("preview"));
  EXPECT_EQ(admin.Get("/api/v1/assets?q=WARD-PC1").json["total"], 1);
  // The audit trail names the file.
  auto audit = admin.Get("/api/v1/audit?action=asset.import_create");
  EXPECT_NE(audit.body.find("own.csv"), std::string::npos);
  // Not base64, not an object: named field errors.
  EXPECT_EQ(
      admin.Post("/api/v1/ledger/import", Json{{"file_name", "x.csv"}, {"content_base64", "@@@"}})
          .json["error"]["field"],
      "content_base64");
}

TEST_F(LedgerApi, WorkbookImportExportAndReportDownloads) {
  auto admin = As("admin");
  std::string xlsx = ReadFile(std::string(std::getenv("MAMORI_SOURCE_DIR")) +
                              "/tests/data/ledger/hospital_ledger.xlsx");
  ASSERT_FALSE(xlsx.empty());
  auto r = admin.Post("/api/v1/ledger/import", Json{{"file_name", "hospital_ledger.xlsx"},
                                                    {"content_base64", Base64Encode(xlsx)}});
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.json["format"], "xlsx");
  EXPECT_EQ(r.json["created"], 9);
  EXPECT_EQ(r.json["errors"].size(), 4u);

  auto x = admin.Get("/api/v1/ledger/export?format=xlsx");
  ASSERT_EQ(x.status, 200);
  EXPECT_EQ(x.body.rfind("PK", 0), 0u);
  EXPECT_NE(x.content_type.find("spreadsheetml"), std::string::npos);
  auto c = admin.Get("/api/v1/ledger/export?format=csv&encoding=cp932");
  ASSERT_EQ(c.status, 200);
  EXPECT_NE(c.content_type.find("Shift_JIS"), std::string::npos);
  EXPECT_EQ(admin.Get("/api/v1/ledger/export?format=pdf").status, 400);

  auto rep = admin.Post("/api/v1/ledger/reports", Json::object());
  ASSERT_EQ(rep.status, 201) << rep.body;
  auto pdf =
      admin.Get("/api/v1/ledger/reports/" + std::to_string(rep.json["id"].get<int64_t>()) + "/pdf");
  ASSERT_EQ(pdf.status, 200);
  EXPECT_EQ(pdf.body.rfind("%PDF", 0), 0u);
  EXPECT_EQ(Sha256Hex(pdf.body), rep.json["sha256"]);

  auto comp = admin.Get("/api/v1/ledger/completeness");
  ASSERT_EQ(comp.status, 200);
  EXPECT_GE(comp.json["overall"]["total"].get<int>(), 9);
}

TEST_F(LedgerApi, DiscoveredHostsReviewAndVendorScoping) {
  auto admin = As("admin");
  std::string nmap = ReadFile(std::string(std::getenv("MAMORI_SHARED_DIR")) +
                              "/testdata/net/nmap/libnmap_full_sudo6.xml");
  ASSERT_FALSE(nmap.empty());
  // A vendor cannot record scans.
  auto vendor = As("vendor");
  auto denied = vendor.Post("/api/v1/ledger/import", Json{{"file_name", "scan.xml"},
                                                          {"content_base64", Base64Encode(nmap)}});
  EXPECT_EQ(denied.status, 403);
  auto r = admin.Post("/api/v1/ledger/import",
                      Json{{"file_name", "scan.xml"}, {"content_base64", Base64Encode(nmap)}});
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.json["new_pending"], 4);
  auto list = admin.Get("/api/v1/ledger/discovered");
  ASSERT_EQ(list.json["items"].size(), 4u);
  EXPECT_EQ(vendor.Get("/api/v1/ledger/discovered").json["items"].size(), 0u);
  int64_t id0 = list.json["items"][0]["id"];
  int64_t id1 = list.json["items"][1]["id"];
  auto acc = admin.Post("/api/v1/ledger/discovered/" + std::to_string(id0) + "/accept",
                        Json{{"category", "network"}, {"name", "見つかったルータ"}});
  ASSERT_EQ(acc.status, 201) << acc.body;
  EXPECT_EQ(acc.json["name"], "見つかったルータ");
  EXPECT_EQ(admin
                .Post("/api/v1/ledger/discovered/" + std::to_string(id0) + "/accept",
                      Json{{"category", "network"}})
                .status,
            409);
  EXPECT_EQ(
      admin.Post("/api/v1/ledger/discovered/" + std::to_string(id1) + "/ignore", Json::object())
          .status,
      400);  // a reason is required
  EXPECT_EQ(admin
                .Post("/api/v1/ledger/discovered/" + std::to_string(id1) + "/ignore",
                      Json{{"note", "検証用の一時機器"}})
                .status,
            200);
  EXPECT_EQ(admin.Get("/api/v1/ledger/discovered").json["items"].size(), 2u);
  EXPECT_EQ(admin.Get("/api/v1/ledger/discovered?status=all").json["items"].size(), 4u);
}

}  // namespace
}  // namespace mamori::testing
