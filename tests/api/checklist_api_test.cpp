// Checklist scenarios through the API: a small hospital (the fixture's tenant: two vendors, two
// systems, two devices) is taken through states that each change one thing, and the suggested
// answers and reasons are checked exactly. Then answers, vendor isolation, inspectors, exports.
#include <gtest/gtest.h>

#include "api/api_fixture.hpp"
#include "checklist/definitions.hpp"
#include "core/crypto.hpp"
#include "ledger/completeness.hpp"

namespace mamori::testing {
namespace {

class ChecklistApi : public ApiTest {
 protected:
  std::string today_ = FormatDateJst(SystemClock().Now());

  // The suggestion for one item and row of the hospital's current-year form.
  Json Row(ApiClient& c, const std::string& item, const std::string& row = "general",
           const std::string& query = "") {
    auto r = c.Get("/api/v1/checklist/assessment" + (query.empty() ? "" : "?" + query));
    EXPECT_EQ(r.status, 200) << r.body;
    for (const auto& it : r.json["items"])
      if (it["id"] == item && it["row"] == row) return it;
    ADD_FAILURE() << "no item " << item << " row " << row;
    return Json();
  }

  // A complete ledger: every expected field, remote maintenance confirmed, MDS for both systems,
  // a management report; the organisation's records for 1-(1), 3-(1) and 3-(3).
  void BuildCompleteHospital(ApiClient& admin, bool mds_for_b, bool police) {
    std::string confirmed = ledger::DaysBefore(today_, 30);
    auto a = admin.Patch("/api/v1/assets/" + std::to_string(t1_.asset_a),
                         Json{{"category", "network"},
                              {"maker", "ヤマハ"},
                              {"model", "RTX1210"},
                              {"location", "サーバ室"},
                              {"remote_maintenance", "yes"},
                              {"remote_method", "閉域網VPN"},
                              {"remote_source_restricted", "yes"},
                              {"remote_confirmed_on", confirmed}});
    ASSERT_EQ(a.status, 200) << a.body;
    auto b = admin.Patch("/api/v1/assets/" + std::to_string(t1_.asset_b),
                         Json{{"maker", "架空メディカル"},
                              {"model", "CT-1"},
                              {"location", "放射線科"},
                              {"user", "放射線科"},
                              {"remote_maintenance", "no"},
                              {"remote_confirmed_on", confirmed}});
    ASSERT_EQ(b.status, 200) << b.body;
    for (int64_t sys : {t1_.system_a, t1_.system_b}) {
      if (sys == t1_.system_b && !mds_for_b) continue;
      auto d = admin.Post("/api/v1/ledger/documents",
                          Json{{"system_id", sys},
                               {"kind", "mds"},
                               {"file_name", "mds.pdf"},
                               {"content_base64", Base64Encode("%PDF-1.4 mds")},
                               {"received_on", confirmed}});
      ASSERT_EQ(d.status, 201) << d.body;
    }
    ASSERT_EQ(admin.Post("/api/v1/ledger/reports", Json::object()).status, 201);

    auto minutes =
        admin.Post("/api/v1/files", Json{{"file_name", "経営会議議事録.pdf"},
                                         {"content_type", "application/pdf"},
                                         {"content_base64", Base64Encode("%PDF minutes")}});
    ASSERT_EQ(minutes.status, 201) << minutes.body;
    auto role = admin.Post("/api/v1/org/roles", Json{{"role", "security_officer"},
                                                     {"person", "山田 太郎"},
                                                     {"title", "副院長"},
                                                     {"appointed_on", "令和8年4月1日"},
                                                     {"approval", "経営会議"},
                                                     {"approval_file_id", minutes.json["id"]}});
    ASSERT_EQ(role.status, 201) << role.body;
    EXPECT_EQ(role.json["appointed_on"], "2026-04-01");
    struct C {
      const char* category;
      const char* org;
      int64_t vendor;
    };
    std::vector<C> contacts = {{"internal", "第一病院 情報システム室", 0},
                               {"mhlw", "厚生労働省 医政局", 0},
                               {"mhlw_desk", "厚生労働省 初動対応支援窓口", 0},
                               {"prefecture", "県 医療政策課", 0},
                               {"vendor", "A社 保守窓口", t1_.vendor_a},
                               {"vendor", "B社 サービスセンター", t1_.vendor_b}};
    if (police) contacts.push_back({"police", "県警 サイバー犯罪相談窓口", 0});
    int order = 1;
    for (const auto& c : contacts) {
      Json body{{"category", c.category},
                {"organisation", c.org},
                {"phone", "03-0000-0000"},
                {"call_order", order++}};
      if (c.vendor) body["vendor_id"] = c.vendor;
      auto r = admin.Post("/api/v1/org/contacts", body);
      ASSERT_EQ(r.status, 201) << r.body;
    }
    ASSERT_EQ(admin
                  .Post("/api/v1/org/bcp", Json{{"title", "サイバー攻撃対応BCP"},
                                                {"version", "第2版"},
                                                {"approved_on", ledger::DaysBefore(today_, 100)}})
                  .status,
              201);
    ASSERT_EQ(admin
                  .Post("/api/v1/org/drills", Json{{"held_on", ledger::DaysBefore(today_, 20)},
                                                   {"scenario", "電子カルテ停止"}})
                  .status,
              201);
  }
};

std::vector<std::string> Reasons(const Json& row) {
  return row["reasons"].get<std::vector<std::string>>();
}

TEST_F(ChecklistApi, EmptyHospitalGetsNoAndNoDataNeverYes) {
  auto admin = As("admin");
  auto r = admin.Get("/api/v1/checklist/assessment");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.json["year"], checklist::FiscalYearOf(today_));
  auto officer = Row(admin, "1-1");
  EXPECT_EQ(officer["suggested"], "no");
  EXPECT_EQ(Reasons(officer),
            std::vector<std::string>{"医療情報システム安全管理責任者が登録されていません"});
  auto ledger = Row(admin, "2-1");
  EXPECT_EQ(ledger["suggested"], "no");
  EXPECT_EQ(Reasons(ledger),
            (std::vector<std::string>{"2台中2台に記入漏れがあります（設置場所 2、メーカー 2、機種 "
                                      "2、リモート保守の有無 2、利用者 2、"
                                      "ホスト名 1、OS 1、OSバージョン 1、ソフトウェア 1）",
                                      "経営層への管理状況の報告書がまだ作成されていません"}));
  auto accounts = Row(admin, "2-4", "server");
  EXPECT_EQ(accounts["suggested"], "no_data");
  EXPECT_EQ(Reasons(accounts),
            std::vector<std::string>{"根拠データ未接続（アカウント管理の機能で判定予定）"});
  EXPECT_EQ(r.json["summary"]["suggested_yes"], 1);  // only the gate: systems are in use
  EXPECT_EQ(Row(admin, "0")["suggested"], "yes");
}

TEST_F(ChecklistApi, ScenariosChangeExactlyTheSuggestionsTheyShould) {
  auto admin = As("admin");
  BuildCompleteHospital(admin, /*mds_for_b=*/false, /*police=*/false);

  // One vendor has not sent its MDS/SDS; the contact list has no police.
  auto mds = Row(admin, "2-3");
  EXPECT_EQ(mds["suggested"], "no");
  EXPECT_EQ(Reasons(mds),
            std::vector<std::string>{"事業者のシステム2件中1件に MDS/SDS がありません（PACS）"});
  auto contacts = Row(admin, "3-1");
  EXPECT_EQ(contacts["suggested"], "no");
  EXPECT_EQ(Reasons(contacts), std::vector<std::string>{"連絡先に「警察」がありません"});

  // Both mended: everything the built-in evaluators judge is yes.
  ASSERT_EQ(
      admin
          .Post("/api/v1/ledger/documents", Json{{"system_id", t1_.system_b},
                                                 {"kind", "sds"},
                                                 {"file_name", "sds.pdf"},
                                                 {"content_base64", Base64Encode("%PDF sds")}})
          .status,
      201);
  ASSERT_EQ(admin
                .Post("/api/v1/org/contacts",
                      Json{{"category", "police"}, {"organisation", "県警"}, {"phone", "110"}})
                .status,
            201);
  for (const char* item : {"0", "1-1", "2-1", "2-2", "2-3", "3-1", "3-3"})
    EXPECT_EQ(Row(admin, item)["suggested"], "yes") << item << ": " << Row(admin, item).dump();
  EXPECT_EQ(Reasons(Row(admin, "1-1")),
            std::vector<std::string>{
                "医療情報システム安全管理責任者: 山田 太郎（2026-04-01任命、承認: 経営会議）"});
  EXPECT_EQ(Reasons(Row(admin, "2-2")),
            std::vector<std::string>{
                "事業者の機器2台すべてでリモート保守の有無を確認済みです（うち利用あり1台）"});
  auto evidence = Row(admin, "1-1")["evidence"];
  ASSERT_EQ(evidence.size(), 2u);
  EXPECT_EQ(evidence[1]["label"], "任命の承認記録");
  auto file = admin.Get(evidence[1]["link"].get<std::string>());
  EXPECT_EQ(file.status, 200);
  EXPECT_EQ(file.body, "%PDF minutes");

  // A shorter drill interval in the settings makes the 20-day-old drill too old.
  auto settings = admin.Patch("/api/v1/checklist/settings", Json{{"drill_interval_days", 10}});
  ASSERT_EQ(settings.status, 200) << settings.body;
  EXPECT_EQ(settings.json["drill_interval_days"], 10);
  EXPECT_EQ(settings.json["report_interval_days"], 365);
  EXPECT_EQ(Reasons(Row(admin, "3-3")),
            std::vector<std::string>{"最後の訓練（" + ledger::DaysBefore(today_, 20) +
                                     "）から10日以上経っています"});
  EXPECT_EQ(admin.Patch("/api/v1/checklist/settings", Json{{"bcp_review_days", 0}}).status, 400);
  EXPECT_EQ(As("vendor").Patch("/api/v1/checklist/settings", Json{{"bcp_review_days", 5}}).status,
            403);

  // A missing IP address makes 2-(1) no, naming the field.
  ASSERT_EQ(
      admin.Patch("/api/v1/assets/" + std::to_string(t1_.asset_a), Json{{"ips", Json::array()}})
          .status,
      200);
  EXPECT_EQ(Reasons(Row(admin, "2-1")),
            std::vector<std::string>{"2台中1台に記入漏れがあります（IPアドレス 1）"});
  // Remote maintenance unknown again makes 2-(2) no.
  ASSERT_EQ(admin
                .Patch("/api/v1/assets/" + std::to_string(t1_.asset_b),
                       Json{{"remote_maintenance", "unknown"}})
                .status,
            200);
  EXPECT_EQ(Reasons(Row(admin, "2-2")),
            std::vector<std::string>{"事業者の機器1台でリモート保守の有無が「不明」です"});
  // English on request.
  admin.lang = "en";
  EXPECT_EQ(Reasons(Row(admin, "2-2")),
            std::vector<std::string>{"Remote maintenance is unknown for 1 vendor devices"});
}

TEST_F(ChecklistApi, AnswersNeedDatesTargetsWithinTheYearAndAreAudited) {
  auto admin = As("admin");
  std::string year = checklist::FiscalYearOf(today_);
  int fy = 2018 + std::stoi(year.substr(1));
  Json a{{"item_id", "2-1"}, {"answer", "no"}, {"checked_on", today_}};
  auto no_target = admin.Post("/api/v1/checklist/answers", a);
  EXPECT_EQ(no_target.status, 400);
  EXPECT_EQ(no_target.json["error"]["key"], "checklist.need_target");
  EXPECT_EQ(no_target.json["error"]["field"], "target_on");
  a["target_on"] = std::to_string(fy + 1) + "-04-01";
  auto outside = admin.Post("/api/v1/checklist/answers", a);
  EXPECT_EQ(outside.json["error"]["key"], "checklist.target_outside_year") << outside.body;
  a["target_on"] = std::to_string(fy + 1) + "-03-31";
  auto ok = admin.Post("/api/v1/checklist/answers", a);
  ASSERT_EQ(ok.status, 200) << ok.body;
  EXPECT_EQ(ok.json["suggested"], "no");
  auto bad_row = admin.Post(
      "/api/v1/checklist/answers",
      Json{{"item_id", "2-1"}, {"row", "server"}, {"answer", "yes"}, {"checked_on", today_}});
  EXPECT_EQ(bad_row.json["error"]["key"], "checklist.bad_row");
  auto second_first =
      admin.Post("/api/v1/checklist/answers",
                 Json{{"item_id", "1-1"}, {"round", 2}, {"answer", "yes"}, {"checked_on", today_}});
  EXPECT_EQ(second_first.json["error"]["key"], "checklist.second_before_first");
  auto second = admin.Post("/api/v1/checklist/answers", Json{{"item_id", "2-1"},
                                                             {"round", 2},
                                                             {"answer", "yes"},
                                                             {"checked_on", today_},
                                                             {"note", "IP補完済み"}});
  ASSERT_EQ(second.status, 200) << second.body;
  auto row = Row(admin, "2-1");
  EXPECT_EQ(row["answer"], "yes");  // the second check counts
  EXPECT_EQ(row["first"]["answer"], "no");
  EXPECT_EQ(row["suggested"], "no");  // the suggestion is shown beside it, never overwrites it
  auto summary = admin.Get("/api/v1/checklist/assessment").json["summary"];
  EXPECT_EQ(summary["answered"], 1);
  EXPECT_EQ(summary["differs"], 1);
  auto hist = admin.Get("/api/v1/checklist/history?item_id=2-1");
  ASSERT_EQ(hist.json["items"].size(), 2u);
  EXPECT_EQ(hist.json["items"][0]["after"]["answer"], "no");
  EXPECT_EQ(hist.json["items"][0]["username"], "admin");
  auto actions = AuditActions(t1_.org_id);
  EXPECT_EQ(std::count(actions.begin(), actions.end(), "checklist.answer"), 2);
}

TEST_F(ChecklistApi, VendorsAnswerOnlyTheirOwnFormAndDisagreementsShow) {
  auto vendor = As("vendor");
  auto hospital_form = vendor.Get("/api/v1/checklist/assessment?form=hospital");
  EXPECT_EQ(hospital_form.status, 403);
  auto other = vendor.Get("/api/v1/checklist/assessment?form=vendor&vendor_id=" +
                          std::to_string(t1_.vendor_b));
  EXPECT_EQ(other.status, 403);
  auto own = vendor.Get("/api/v1/checklist/assessment?form=vendor");
  ASSERT_EQ(own.status, 200) << own.body;
  EXPECT_EQ(own.json["vendor_id"], t1_.vendor_a);
  EXPECT_EQ(own.json["vendor_name"], "A社");
  // The vendor's 2-(3) looks only at its own system.
  auto mds = Row(vendor, "2-3", "general", "form=vendor");
  EXPECT_EQ(Reasons(mds), std::vector<std::string>{
                              "事業者のシステム1件中1件に MDS/SDS がありません（電子カルテ）"});
  ASSERT_EQ(vendor
                .Post("/api/v1/checklist/answers", Json{{"form", "vendor"},
                                                        {"item_id", "2-3"},
                                                        {"answer", "yes"},
                                                        {"checked_on", today_}})
                .status,
            200);
  EXPECT_EQ(vendor
                .Post("/api/v1/checklist/answers", Json{{"form", "hospital"},
                                                        {"item_id", "2-3"},
                                                        {"answer", "yes"},
                                                        {"checked_on", today_}})
                .status,
            403);
  // The hospital says no: the disagreement is listed on the hospital's form.
  auto admin = As("admin");
  std::string fy_end =
      std::to_string(2019 + std::stoi(checklist::FiscalYearOf(today_).substr(1))) + "-03-31";
  ASSERT_EQ(admin
                .Post("/api/v1/checklist/answers", Json{{"item_id", "2-3"},
                                                        {"answer", "no"},
                                                        {"checked_on", today_},
                                                        {"target_on", fy_end}})
                .status,
            200);
  auto dis = admin.Get("/api/v1/checklist/assessment").json["disagreements"];
  ASSERT_EQ(dis.size(), 1u) << dis.dump();
  EXPECT_EQ(dis[0]["item_id"], "2-3");
  EXPECT_EQ(dis[0]["vendor_name"], "A社");
  EXPECT_EQ(dis[0]["hospital_answer"], "no");
  EXPECT_EQ(dis[0]["vendor_answer"], "yes");
  // The vendor's contact entry is forced to its own vendor; it does not see the hospital's.
  auto c = vendor.Post(
      "/api/v1/org/contacts",
      Json{{"category", "police"}, {"organisation", "A社窓口"}, {"phone", "03-1111-1111"}});
  ASSERT_EQ(c.status, 201) << c.body;
  EXPECT_EQ(c.json["category"], "vendor");
  EXPECT_EQ(c.json["vendor_id"], t1_.vendor_a);
  ASSERT_EQ(admin
                .Post("/api/v1/org/contacts",
                      Json{{"category", "police"}, {"organisation", "県警"}, {"phone", "110"}})
                .status,
            201);
  EXPECT_EQ(vendor.Get("/api/v1/org/contacts").json["items"].size(), 1u);
  EXPECT_EQ(admin.Get("/api/v1/org/contacts").json["items"].size(), 2u);
  EXPECT_EQ(vendor.Post("/api/v1/org/bcp", Json{{"title", "x"}}).status, 403);
  // Another tenant sees none of it.
  auto t2 = As("t2-admin");
  EXPECT_EQ(t2.Get("/api/v1/org/contacts").json["items"].size(), 0u);
  EXPECT_EQ(t2.Get("/api/v1/checklist/assessment").json["summary"]["answered"], 0);
}

TEST_F(ChecklistApi, InspectorsReadFormsAndExportsButChangeNothing) {
  auto admin = As("admin");
  BuildCompleteHospital(admin, true, true);
  auto inspector = As("inspector");
  EXPECT_EQ(inspector.Get("/api/v1/checklist/assessment").status, 200);
  EXPECT_EQ(inspector.Get("/api/v1/assets").status, 403);
  EXPECT_EQ(inspector
                .Post("/api/v1/checklist/answers",
                      Json{{"item_id", "1-1"}, {"answer", "yes"}, {"checked_on", today_}})
                .status,
            403);
  auto xlsx = inspector.Get("/api/v1/checklist/export?format=xlsx");
  ASSERT_EQ(xlsx.status, 200);
  EXPECT_EQ(xlsx.body.substr(0, 2), "PK");
  auto pdf = inspector.Get("/api/v1/checklist/export?format=pdf");
  ASSERT_EQ(pdf.status, 200);
  EXPECT_EQ(pdf.body.substr(0, 5), "%PDF-");
  auto json = inspector.Get("/api/v1/checklist/export?format=json");
  ASSERT_EQ(json.status, 200);
  auto forms = Json::parse(json.body);
  ASSERT_EQ(forms.size(), 3u);  // the hospital's and one per vendor
  EXPECT_EQ(forms[1]["form"], "vendor");
  auto chart = admin.Get("/api/v1/org/contacts/chart.pdf");
  ASSERT_EQ(chart.status, 200);
  EXPECT_EQ(chart.body.substr(0, 5), "%PDF-");
}

}  // namespace
}  // namespace mamori::testing

namespace mamori::testing {
namespace {

TEST_F(ChecklistApi, ShareLinksGiveInspectorsReadOnlyAccessUntilTheyExpire) {
  auto admin = As("admin");
  EXPECT_EQ(admin.Post("/api/v1/checklist/share", Json{{"days", 31}}).json["error"]["key"],
            "checklist.bad_share_days");
  auto link = admin.Post("/api/v1/checklist/share", Json{{"days", 7}, {"note", "保健所 立入検査"}});
  ASSERT_EQ(link.status, 201) << link.body;
  std::string token = link.json["token"];
  EXPECT_EQ(link.json["path"], "/#/share/" + token);
  // The token is shown once: the list and the audit trail do not hold it.
  auto list = admin.Get("/api/v1/checklist/share");
  ASSERT_EQ(list.json["items"].size(), 1u);
  EXPECT_FALSE(list.json["items"][0].contains("token"));
  EXPECT_EQ(admin.Get("/api/v1/audit?action=checklist.share_create").body.find(token),
            std::string::npos);

  auto anon = Anonymous();
  auto view = anon.Get("/api/v1/share/" + token + "/assessment");
  ASSERT_EQ(view.status, 200) << view.body;
  EXPECT_EQ(view.json["org_name"], "第一病院");
  EXPECT_EQ(view.json["form"], "hospital");
  EXPECT_EQ(view.json["vendors"].size(), 2u);
  auto vendor_form = anon.Get("/api/v1/share/" + token +
                              "/assessment?form=vendor&vendor_id=" + std::to_string(t1_.vendor_b));
  EXPECT_EQ(vendor_form.status, 200);
  EXPECT_EQ(vendor_form.json["vendor_name"], "B社");
  auto pdf = anon.Get("/api/v1/share/" + token + "/export?format=pdf");
  ASSERT_EQ(pdf.status, 200);
  EXPECT_EQ(pdf.body.substr(0, 5), "%PDF-");
  // Evidence files the year's forms point to open through the link; other files do not.
  auto attached = admin.Post("/api/v1/files", Json{{"file_name", "bcp.pdf"},
                                                   {"content_base64", Base64Encode("%PDF bcp")}});
  auto unrelated = admin.Post("/api/v1/files", Json{{"file_name", "private.txt"},
                                                    {"content_base64", Base64Encode("private")}});
  ASSERT_EQ(admin
                .Post("/api/v1/checklist/evidence", Json{{"item_id", "3-3"},
                                                         {"kind", "file"},
                                                         {"file_id", attached.json["id"]},
                                                         {"label", "BCP"}})
                .status,
            201);
  auto ok_file = anon.Get("/api/v1/share/" + token + "/files/" +
                          std::to_string(attached.json["id"].get<int64_t>()));
  EXPECT_EQ(ok_file.status, 200);
  EXPECT_EQ(ok_file.body, "%PDF bcp");
  EXPECT_EQ(anon.Get("/api/v1/share/" + token + "/files/" +
                     std::to_string(unrelated.json["id"].get<int64_t>()))
                .status,
            404);
  // Nothing else opens with it, and a wrong token says only "invalid".
  EXPECT_EQ(anon.Get("/api/v1/checklist/assessment").status, 401);
  std::string wrong = token;
  wrong[0] = wrong[0] == 'a' ? 'b' : 'a';
  auto bad = anon.Get("/api/v1/share/" + wrong + "/assessment");
  EXPECT_EQ(bad.status, 401);
  EXPECT_EQ(bad.json["error"]["key"], "checklist.share_invalid");
  // Another tenant's link shows only that tenant.
  auto t2 = As("t2-admin");
  std::string t2_token = t2.Post("/api/v1/checklist/share", Json{{"days", 1}}).json["token"];
  EXPECT_EQ(anon.Get("/api/v1/share/" + t2_token + "/assessment").json["org_name"], "第二病院");
  // Vendors cannot make links; links expire and can be revoked.
  EXPECT_EQ(As("vendor").Post("/api/v1/checklist/share", Json::object()).status, 403);
  clock_.Advance(int64_t{2} * 86'400'000);
  EXPECT_EQ(anon.Get("/api/v1/share/" + t2_token + "/assessment").status, 401);
  EXPECT_EQ(anon.Get("/api/v1/share/" + token + "/assessment").status, 200);
  int64_t id = list.json["items"][0]["id"];
  auto again = As("admin");  // the first session timed out with the clock
  ASSERT_EQ(again.Delete("/api/v1/checklist/share/" + std::to_string(id)).status, 200);
  EXPECT_EQ(anon.Get("/api/v1/share/" + token + "/assessment").status, 401);
}

TEST_F(ChecklistApi, OfficialFormImportIsRefusedForVendorsAndNamesBadFiles) {
  auto vendor = As("vendor");
  auto r = vendor.Post("/api/v1/checklist/forms/import",
                       Json{{"file_name", "R8.xlsx"}, {"content_base64", Base64Encode("PK")}});
  EXPECT_EQ(r.status, 403);
  auto admin = As("admin");
  auto bad = admin.Post("/api/v1/checklist/forms/import",
                        Json{{"file_name", "R8.xlsx"},
                             {"content_base64", Base64Encode("not a zip")},
                             {"dry_run", true}});
  EXPECT_EQ(bad.status, 400);
  EXPECT_NE(bad.json["error"]["message"].get<std::string>().find("R8.xlsx"), std::string::npos)
      << bad.body;
}

}  // namespace
}  // namespace mamori::testing
