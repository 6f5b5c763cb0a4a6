// KEV and EPSS files. KEV: the real CISA catalog in ../shared/testdata/vuln/kev/. EPSS: there is
// no real daily file in the shared data (its README says why), so the test writes one in the
// format the README documents.
#include "vuln/feeds.hpp"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

namespace mamori::vuln {
namespace {

TEST(Feeds, TheRealKevCatalogReadsWholly) {
  const char* shared = std::getenv("MAMORI_SHARED_DIR");
  ASSERT_NE(shared, nullptr);
  std::ifstream f(std::string(shared) + "/testdata/vuln/kev/known_exploited_vulnerabilities.json");
  std::stringstream ss;
  ss << f.rdbuf();
  auto k = ReadKev(ss.str(), "known_exploited_vulnerabilities.json");
  ASSERT_TRUE(k.ok()) << k.error().Message(Lang::kEn);
  EXPECT_EQ(k->version, "2025.08.25");
  EXPECT_EQ(k->entries.size(), 1404u);  // the catalog's own "count"
  const KevEntry& first = k->entries.front();
  EXPECT_EQ(first.cve, "CVE-2025-48384");
  EXPECT_EQ(first.vendor_project, "Git");
  EXPECT_EQ(first.date_added, "2025-08-25");
  EXPECT_FALSE(first.due_date.empty());
  int ransomware = 0;
  for (const auto& e : k->entries) ransomware += e.ransomware;
  EXPECT_GT(ransomware, 100);
}

TEST(Feeds, KevErrorsNameTheEntryAndField) {
  auto k = ReadKev(
      R"({"vulnerabilities":[{"cveID":"CVE-2024-1234","dateAdded":"2024-01-02","dueDate":"2024-01-23"},
                       {"cveID":"CVE-2024-99","dateAdded":"2024-01-02","dueDate":"2024-01-23"}]})",
      "kev.json");
  ASSERT_FALSE(k.ok());
  EXPECT_EQ(k.error().Message(Lang::kJa),
            "kev.json: vulnerabilities[1] の「cveID」の値「CVE-2024-99」が正しくありません");
  auto d = ReadKev(
      R"({"vulnerabilities":[{"cveID":"CVE-2024-1234","dateAdded":"2024/01/02","dueDate":"2024-01-23"}]})",
      "kev.json");
  ASSERT_FALSE(d.ok());
  EXPECT_EQ(d.error().Message(Lang::kEn),
            "kev.json: vulnerabilities[0] CVE-2024-1234: \"2024/01/02\" is not a valid dateAdded");
  EXPECT_FALSE(ReadKev("[]", "kev.json").ok());
}

TEST(Feeds, EpssDailyFile) {
  std::string csv =
      "#model_version:v2025.03.14,score_date:2025-03-17T12:55:00Z\n"
      "cve,epss,percentile\n"
      "CVE-2021-44228,0.94358,0.99960\r\n"
      "CVE-2024-0001,0.00043,0.11590\n";
  auto e = ReadEpss(csv, "epss_scores-2025-03-17.csv");
  ASSERT_TRUE(e.ok()) << e.error().Message(Lang::kEn);
  EXPECT_EQ(e->model_version, "v2025.03.14");
  EXPECT_EQ(e->score_date, "2025-03-17T12:55:00Z");
  ASSERT_EQ(e->scores.size(), 2u);
  EXPECT_EQ(e->scores[0].cve, "CVE-2021-44228");
  EXPECT_DOUBLE_EQ(e->scores[0].epss, 0.94358);
  EXPECT_DOUBLE_EQ(e->scores[1].percentile, 0.11590);
  auto bad = ReadEpss("cve,epss,percentile\nCVE-2021-44228,1.5,0.9\n", "e.csv");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().Message(Lang::kJa),
            "e.csv: line 2 の「epss」の値「1.5」が正しくありません");
  EXPECT_EQ(ReadEpss("cve,score\n", "e.csv").error().key, "feed.bad_header");
  EXPECT_EQ(ReadEpss("cve,epss,percentile\nCVE-2021-44228,0.1\n", "e.csv").error().key,
            "feed.bad_field");
}

}  // namespace
}  // namespace mamori::vuln
