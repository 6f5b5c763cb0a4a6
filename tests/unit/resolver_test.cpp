// Free-text names from hospital ledgers → CPE (the issue's examples), and what must stay
// unresolved.
#include "vuln/resolver.hpp"

#include <gtest/gtest.h>

namespace mamori::vuln {
namespace {

struct Case {
  const char* name;
  const char* version;
  const char* cpe;  // nullptr: unresolved
  double confidence;
  const char* eol_cycle;
};

TEST(Resolver, NormalisesWhatPeopleType) {
  EXPECT_EQ(NormaliseName("Windows10 Pro 22H2"), "windows 10 pro 22h2");
  EXPECT_EQ(NormaliseName("ｱｸﾛﾊﾞｯﾄ ﾘｰﾀﾞｰ　DC"), "アクロバット リーダー dc");
  EXPECT_EQ(NormaliseName("Ｏｆｆｉｃｅ２０１６"), "office 2016");
  EXPECT_EQ(NormaliseName("Java8 Update 202"), "java 8 update 202");
  EXPECT_EQ(NormaliseName("OpenSSH_8.0p1"), "openssh 8.0p1");
  EXPECT_EQ(NormaliseName("  RTX1210  Rev.14.01.38 "), "rtx 1210 rev.14.01.38");
}

TEST(Resolver, TheIssuesExamplesAndTheDemoLedger) {
  const Case cases[] = {
      {"Windows10 Pro 22H2", "", "cpe:2.3:o:microsoft:windows_10_22h2:*:*:*:*:*:*:*:*", 0.8,
       "10-22h2"},
      {"Windows 10 Pro", "22H2", "cpe:2.3:o:microsoft:windows_10_22h2:*:*:*:*:*:*:*:*", 0.8,
       "10-22h2"},
      {"Office2016", "", "cpe:2.3:a:microsoft:office:2016:*:*:*:*:*:*:*", 0.95, "2016"},
      {"Microsoft Office 2019", "16.0", "cpe:2.3:a:microsoft:office:2019:*:*:*:*:*:*:*", 0.95,
       "2019"},
      {"ｱｸﾛﾊﾞｯﾄ ﾘｰﾀﾞｰ DC", "", "cpe:2.3:a:adobe:acrobat_reader_dc:*:*:*:*:*:*:*:*", 0.8, ""},
      {"Adobe Acrobat Reader DC", "23.008",
       "cpe:2.3:a:adobe:acrobat_reader_dc:23.008:*:*:*:*:*:*:*", 0.95, ""},
      {"Java8 Update 202", "", "cpe:2.3:a:oracle:jre:1.8.0:update_202:*:*:*:*:*:*", 0.95, ""},
      {"FortiOS 7.0.12", "", "cpe:2.3:o:fortinet:fortios:7.0.12:*:*:*:*:*:*:*", 0.95, ""},
      {"RTX1210 Rev.14.01.38", "", "cpe:2.3:o:yamaha:rtx1210_firmware:14.01.38:*:*:*:*:*:*:*", 0.95,
       ""},
      {"SQL Server 2019", "15.0.4345.5",
       "cpe:2.3:a:microsoft:sql_server_2019:15.0.4345.5:*:*:*:*:*:*:*", 0.95, ""},
      {"Windows Server", "2012 R2 Standard",
       "cpe:2.3:o:microsoft:windows_server_2012_r2:*:*:*:*:*:*:*:*", 0.8, "2012-r2"},
      {"Windows 7 Embedded", "SP1",
       "cpe:2.3:o:microsoft:windows_embedded_standard_7:-:sp1:*:*:*:*:*:*", 0.95, "standard-7-sp1"},
      {"Windows 7 Professional SP1", "", "cpe:2.3:o:microsoft:windows_7:-:sp1:*:*:*:*:*:*", 0.95,
       "7"},
      {"Apache Tomcat", "9.0.65", "cpe:2.3:a:apache:tomcat:9.0.65:*:*:*:*:*:*:*", 0.95, ""},
      {"OpenSSH", "8.0p1", "cpe:2.3:a:openbsd:openssh:8.0p1:*:*:*:*:*:*:*", 0.95, ""},
      {"ウイルスバスター Corp. XG", "14.0", "cpe:2.3:a:trendmicro:officescan:xg:*:*:*:*:*:*:*",
       0.95, ""},
      {".NET Framework", "4.8", "cpe:2.3:a:microsoft:.net_framework:4.8:*:*:*:*:*:*:*", 0.95, ""},
      {"NEC Aterm WG2600HS", "1.7.1", "cpe:2.3:o:nec:aterm_wg2600hs_firmware:1.7.1:*:*:*:*:*:*:*",
       0.95, ""},
      {"Ａｔｅｒｍ　ＷＧ２６００ＨＳ２ Ver.1.3.1", "",
       "cpe:2.3:o:nec:aterm_wg2600hs2_firmware:1.3.1:*:*:*:*:*:*:*", 0.95, ""},
      {"Aterm WG 1200CR ファームウェア", "Ver1.2.0",
       "cpe:2.3:o:nec:aterm_wg1200cr_firmware:1.2.0:*:*:*:*:*:*:*", 0.95, ""},
      // What must not resolve: a wrong guess is worse than unresolved.
      {"Aterm", "1.0", nullptr, 0, ""},
      {"Aterm WG2600HSver", "", nullptr, 0, ""},
      {"院内掲示板ソフト", "3.2", nullptr, 0, ""},
      {"Windows", "", nullptr, 0, ""},
      {"Edgeware Tracker", "1.0", nullptr, 0, ""},
      {"Officeless", "2019", nullptr, 0, ""},
      {"Java", "", nullptr, 0, ""},
  };
  const NameResolver& r = NameResolver::Builtin();
  EXPECT_GT(r.size(), 20u);
  for (const auto& c : cases) {
    Resolution res = r.Resolve(c.name, c.version);
    if (c.cpe == nullptr) {
      EXPECT_FALSE(res.Resolved()) << c.name << " → " << res.candidates[0].cpe;
      continue;
    }
    ASSERT_TRUE(res.Resolved()) << c.name << " (" << res.normalised << ")";
    EXPECT_EQ(res.candidates[0].cpe, c.cpe) << c.name;
    EXPECT_DOUBLE_EQ(res.candidates[0].confidence, c.confidence) << c.name;
    EXPECT_EQ(res.candidates[0].eol_cycle, c.eol_cycle) << c.name;
  }
}

TEST(Resolver, ConfirmationsWinAndTheDictionaryOnlyProposes) {
  const NameResolver& r = NameResolver::Builtin();
  std::vector<DictionaryEntry> dict{{"3com", "3cdaemon", "スリーコム 3CDaemon"},
                                    {"example", "board_soft", "Example Board Soft"}};
  Resolution d = r.Resolve("3CDaemon", "2.0", {}, dict);
  EXPECT_FALSE(d.Resolved());
  ASSERT_EQ(d.candidates.size(), 1u);
  EXPECT_EQ(d.candidates[0].cpe, "cpe:2.3:a:3com:3cdaemon:2.0:*:*:*:*:*:*:*");
  EXPECT_EQ(d.candidates[0].source, "dictionary");
  EXPECT_LT(d.candidates[0].confidence, kResolveThreshold);
  Resolution title = r.Resolve("スリーコム 3CDaemon", "", {}, dict);
  ASSERT_FALSE(title.candidates.empty());
  EXPECT_EQ(title.candidates[0].title, "スリーコム 3CDaemon");

  std::map<std::string, std::string> confirmed{
      {"院内掲示板ソフト 3.2", "cpe:2.3:a:example:board_soft:3.2:*:*:*:*:*:*:*"}};
  Resolution c = r.Resolve("院内掲示板ソフト", "3.2", confirmed, dict);
  ASSERT_TRUE(c.Resolved());
  EXPECT_EQ(c.candidates[0].source, "confirmed");
  EXPECT_DOUBLE_EQ(c.candidates[0].confidence, 1.0);
}

TEST(Resolver, BadAliasFilesNameTheEntry) {
  auto r = NameResolver::FromYaml("aliases:\n  - id: x\n    pattern: '(unclosed'\n    cpe: 'a'\n",
                                  "a.yaml");
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().Message(Lang::kEn).find("aliases[0] x"), std::string::npos);
  EXPECT_FALSE(NameResolver::FromYaml("aliases: 3", "b.yaml").ok());
  EXPECT_FALSE(NameResolver::FromYaml("aliases:\n  - pattern: 'x'\n", "c.yaml").ok());
}

}  // namespace
}  // namespace mamori::vuln
