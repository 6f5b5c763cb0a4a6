// The findings' CSV export read back by the importer's own CSV reader: a BOM (or CP932) that
// Excel opens directly, one header and one row per finding, cells with commas, quotes and line
// breaks intact, states and justifications in words; a character CP932 lacks names its finding.
#include "vuln/findings_export.hpp"

#include <gtest/gtest.h>

#include "formats/csv_reader.hpp"

namespace mamori::vuln {
namespace {

std::vector<Finding> Sample() {
  Finding a;
  a.id = 7;
  a.cve = "CVE-2023-36884";
  a.title_ja = "Microsoft Office および Windows における脆弱性";
  a.cvss = {"3.1", "CVSS:3.1/AV:N/AC:H/PR:N/UI:R/S:U/C:H/I:H/A:H", "HIGH", 7.5};
  a.kev = true;
  a.kev_due = "2023-08-29";
  a.asset_name = "外来受付PC, 2F";
  a.asset_category = "pc";
  a.component_name = "Microsoft Office";
  a.component_version = "2019";
  a.verdict = "affected";
  a.state = "accepted";
  a.state_note = "業者の\"修正版\"待ち\n来月の保守で適用";
  a.approver = "院長";
  a.review_date = "2027-03-31";
  a.due_date = "2023-08-29";
  a.overdue = true;
  Finding b;
  b.id = 8;
  b.cve = "CVE-2023-38408";
  b.verdict = "review";
  b.state = "not_affected";
  b.justification = "vulnerable_code_not_in_execute_path";
  b.asset_name = "PACS 画像サーバ";
  b.asset_category = "server";
  b.epss = 0.0425;
  return {a, b};
}

size_t Col(const std::vector<std::string>& header, const std::string& name) {
  for (size_t i = 0; i < header.size(); ++i)
    if (header[i] == name) return i;
  ADD_FAILURE() << "no column " << name;
  return 0;
}

TEST(FindingsCsv, ReadsBackAsWrittenInUtf8WithBomAndInCp932) {
  for (const char* encoding : {"utf-8-bom", "cp932"}) {
    SCOPED_TRACE(encoding);
    auto csv = FindingsCsv(Sample(), encoding, Lang::kJa);
    ASSERT_TRUE(csv.ok()) << csv.error().Message(Lang::kJa);
    EXPECT_EQ(csv->starts_with("\xEF\xBB\xBF"), std::string(encoding) == "utf-8-bom");
    auto t = formats::ReadCsv(*csv, "findings.csv");
    ASSERT_TRUE(t.ok()) << t.error().Message(Lang::kJa);
    EXPECT_EQ(t->encoding, std::string(encoding) == "cp932" ? formats::Encoding::kCp932
                                                            : formats::Encoding::kUtf8Bom);
    ASSERT_EQ(t->rows.size(), 3u);
    const auto& h = t->rows[0];
    const auto& a = t->rows[1];
    const auto& b = t->rows[2];
    EXPECT_EQ(a[Col(h, "検出ID")], "7");
    EXPECT_EQ(a[Col(h, "CVE")], "CVE-2023-36884");
    EXPECT_EQ(a[Col(h, "脆弱性の名称（JVN）")], "Microsoft Office および Windows における脆弱性");
    EXPECT_EQ(a[Col(h, "CVSS")], "7.5");
    EXPECT_EQ(a[Col(h, "深刻度")], "重要");
    EXPECT_EQ(a[Col(h, "KEV")], "KEV");
    EXPECT_EQ(a[Col(h, "機器")], "外来受付PC, 2F");
    EXPECT_EQ(a[Col(h, "区分")], "端末PC");
    EXPECT_EQ(a[Col(h, "判定")], "該当");
    EXPECT_EQ(a[Col(h, "状態")], "リスク受容");
    EXPECT_EQ(a[Col(h, "理由・メモ")], "業者の\"修正版\"待ち\n来月の保守で適用");
    EXPECT_EQ(a[Col(h, "承認者")], "院長");
    EXPECT_EQ(a[Col(h, "再評価日")], "2027-03-31");
    EXPECT_EQ(a[Col(h, "期限超過")], "超過");
    EXPECT_EQ(b[Col(h, "判定")], "要確認");
    EXPECT_EQ(b[Col(h, "状態")], "影響なし");
    EXPECT_EQ(b[Col(h, "影響なしの理由")], "脆弱なコードが実行されない");
    EXPECT_EQ(b[Col(h, "EPSS")], "0.0425");
    EXPECT_EQ(b[Col(h, "CVSS")], "");  // no score known
    EXPECT_EQ(b[Col(h, "区分")], "サーバ");
  }
}

TEST(FindingsCsv, HeadersAndWordsInEnglish) {
  auto csv = FindingsCsv(Sample(), "utf-8-bom", Lang::kEn);
  ASSERT_TRUE(csv.ok());
  auto t = formats::ReadCsv(*csv, "findings.csv");
  ASSERT_TRUE(t.ok());
  const auto& h = t->rows[0];
  EXPECT_EQ(t->rows[1][Col(h, "State")], "Risk accepted");
  EXPECT_EQ(t->rows[1][Col(h, "Severity")], "High");
  EXPECT_EQ(t->rows[2][Col(h, "Justification")], "Vulnerable code not in execute path");
}

TEST(FindingsCsv, ACharacterCp932LacksNamesItsFinding) {
  auto list = Sample();
  list[1].state_note = "🩺 確認済み";
  auto csv = FindingsCsv(list, "cp932", Lang::kJa);
  ASSERT_FALSE(csv.ok());
  EXPECT_EQ(csv.error().field, "finding 8");
  EXPECT_NE(csv.error().Message(Lang::kJa).find("🩺"), std::string::npos)
      << csv.error().Message(Lang::kJa);
  EXPECT_TRUE(FindingsCsv(list, "utf-8-bom", Lang::kJa).ok());
  auto bad = FindingsCsv(list, "latin1", Lang::kJa);
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().field, "encoding");
}

TEST(FindingsExport, TheFiltersInWords) {
  FindingQuery q;
  EXPECT_EQ(DescribeQuery(q, Lang::kJa), "");
  q.state = "open";
  q.category = "pc";
  q.kev = true;
  EXPECT_EQ(DescribeQuery(q, Lang::kJa),
            "状態: 未対応（未評価・影響あり）、区分: 端末PC、KEV 掲載のみ");
  EXPECT_EQ(DescribeQuery(q, Lang::kEn), "state: open, class: pc, KEV only");
}

}  // namespace
}  // namespace mamori::vuln
