// The feed readers on the real files of ../shared/testdata/vuln/ (NVD pages and records, JVN
// iPedia, endoflife.date), CPE 2.2 → 2.3, gzip, and the matcher's platform rule.
#include <gtest/gtest.h>

#include <cctype>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <tuple>

#include "core/gzip.hpp"
#include "core/json_body.hpp"
#include "vuln/cpe.hpp"
#include "vuln/eol.hpp"
#include "vuln/jvn.hpp"
#include "vuln/matcher.hpp"
#include "vuln/nvd_feed.hpp"

namespace mamori::vuln {
namespace {

std::string Shared(const std::string& rel) {
  const char* shared = std::getenv("MAMORI_SHARED_DIR");
  EXPECT_NE(shared, nullptr);
  return std::string(shared ? shared : ".") + "/testdata/vuln/" + rel;
}

std::string Slurp(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  std::stringstream ss;
  ss << f.rdbuf();
  return ss.str();
}

std::string Message(const Error& e) {
  return e.Message(Lang::kEn);
}

TEST(NvdFeed, ReadsAGzippedApiPageWhole) {
  std::string path = Shared("nvd/nvd-go-api-responses/cves-2023.json.gz");
  auto bytes = MaybeGunzip(Slurp(path), path);
  ASSERT_TRUE(bytes.ok()) << Message(bytes.error());
  auto r = ReadNvdFeed(*bytes, path);
  ASSERT_TRUE(r.ok()) << Message(r.error());
  EXPECT_EQ(r->records.size(), 200u);
  for (const auto& c : r->records) {
    EXPECT_EQ(c.id.rfind("CVE-", 0), 0u);
    EXPECT_FALSE(c.last_modified.empty()) << c.id;
    EXPECT_EQ(c.configurations.front(), '[') << c.id;
  }
}

TEST(NvdFeed, PicksTheNewestPrimaryScoreAndIndexesVulnerableProductsOnly) {
  std::string path = Shared("nvd/osvdev-nvdcve-2.0/CVE-2023-4863.json");
  auto r = ReadNvdFeed(Slurp(path), path);
  ASSERT_TRUE(r.ok()) << Message(r.error());
  ASSERT_EQ(r->records.size(), 1u);
  const CveRecord& c = r->records.front();
  EXPECT_EQ(c.id, "CVE-2023-4863");
  EXPECT_EQ(c.cvss_version, "3.1");
  EXPECT_EQ(c.cvss_vector, "CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:U/C:H/I:H/A:H");
  EXPECT_DOUBLE_EQ(c.cvss_score, 8.8);
  EXPECT_EQ(c.severity, "HIGH");
  auto has = [&](const char* v, const char* p) {
    return std::find(c.products.begin(), c.products.end(), ProductName(v, p)) != c.products.end();
  };
  EXPECT_TRUE(has("google", "chrome"));
  EXPECT_TRUE(has("webmproject", "libwebp"));
  // The stored configurations parse back to what the record says.
  auto cfgs = ParseConfigurations(c.configurations, std::string(c.id));
  ASSERT_TRUE(cfgs.ok()) << Message(cfgs.error());
  EXPECT_FALSE(cfgs->empty());
}

// Everything the matcher reads of a configuration, one line per criterion.
std::string Describe(const std::vector<Configuration>& cfgs) {
  std::string out;
  for (const auto& c : cfgs) {
    out += std::string("cfg ") + (c.and_op ? "AND" : "OR") + (c.negate ? " not" : "") + "\n";
    for (const auto& n : c.nodes) {
      out += std::string(" node ") + (n.and_op ? "AND" : "OR") + (n.negate ? " not" : "") + "\n";
      for (const auto& k : n.matches)
        out += "  " + k.cpe.ToString() + (k.vulnerable ? " vulnerable" : "") + " [" + k.start +
               (k.start_including ? "] [" : ") [") + k.end + (k.end_including ? "]" : ")") + "\n";
      for (const auto& key : n.by_key)
        out += "  key " + std::to_string(key.product) + " " + std::to_string(key.version) + " " +
               std::to_string(key.index) + "\n";
    }
  }
  return out;
}

// The reader stores each record's configurations in a compact form written by the walk that
// checks them (no matchCriteriaId): read back, it must give exactly what the record's own JSON
// gives — on every real NVD record of the shared data, and on names with escapes.
TEST(NvdFeed, StoredConfigurationsReadBackAsTheRecordSaysOnEveryRealRecord) {
  size_t records = 0, criteria = 0;
  for (const auto& e : std::filesystem::recursive_directory_iterator(Shared("nvd"))) {
    if (!e.is_regular_file()) continue;
    std::string name = e.path().filename().string();
    if (name.find("schema") != std::string::npos) continue;
    auto bytes = MaybeGunzip(Slurp(e.path().string()), name);
    if (!bytes.ok()) continue;
    Json page = Json::parse(*bytes, nullptr, false);
    if (!page.is_object() || !(page.contains("vulnerabilities") || page.contains("cve"))) continue;
    auto read = ReadNvdFeed(*bytes, name);
    if (!read.ok()) continue;  // files of other shapes (the error cases are tested elsewhere)
    std::map<std::string, Json> original;
    if (page.contains("cve")) original[page["cve"]["id"]] = page["cve"];
    for (const auto& v : page.value("vulnerabilities", Json::array()))
      original[v["cve"]["id"]] = v["cve"];
    for (const auto& r : read->records) {
      const std::string id(r.id);
      ASSERT_TRUE(original.contains(id)) << name << " " << id;
      const Json& cve = original[id];
      if (!cve.contains("configurations")) {
        EXPECT_EQ(r.configurations, "[]") << r.id;
        continue;
      }
      EXPECT_EQ(r.configurations.find("matchCriteriaId"), std::string::npos) << r.id;
      auto stored = ParseConfigurations(r.configurations, id);
      auto direct = ParseConfigurations(cve["configurations"].dump(), id);
      ASSERT_TRUE(stored.ok()) << r.id << ": " << Message(stored.error());
      ASSERT_TRUE(direct.ok()) << r.id << ": " << Message(direct.error());
      EXPECT_EQ(Describe(*stored), Describe(*direct)) << name << " " << r.id;
      ++records;
      for (const auto& c : *direct)
        for (const auto& n : c.nodes) criteria += n.matches.size();
    }
  }
  EXPECT_GT(records, 400u);
  EXPECT_GT(criteria, 1500u);

  // Escapes in a name and a bound, a configuration-level AND with negation, a non-vulnerable
  // platform, fields in an unusual order.
  const char* json = R"({"cve":{"id":"CVE-2099-0001","configurations":[{"negate":true,
    "operator":"AND","nodes":[{"cpeMatch":[{"versionEndExcluding":"1.0\"beta\\2",
    "criteria":"cpe:2.3:a:gnu:c\\+\\+_lib:*:*:*:*:*:*:*:*","vulnerable":true,
    "matchCriteriaId":"X"}],"operator":"OR","negate":false},
    {"operator":"OR","cpeMatch":[{"vulnerable":false,
    "criteria":"cpe:2.3:o:microsoft:windows:-:*:*:*:*:*:*:*"}]}]}]}})";
  auto one = ReadNvdFeed(json, "escaped.json");
  ASSERT_TRUE(one.ok()) << Message(one.error());
  auto stored = ParseConfigurations(one->records.front().configurations, "stored");
  auto direct = ParseConfigurations(Json::parse(json)["cve"]["configurations"].dump(), "direct");
  ASSERT_TRUE(stored.ok()) << Message(stored.error());
  ASSERT_TRUE(direct.ok());
  EXPECT_EQ(Describe(*stored), Describe(*direct));
  EXPECT_EQ(stored->front().nodes.front().matches.front().end, "1.0\"beta\\2");
  EXPECT_TRUE(stored->front().negate);
  EXPECT_TRUE(stored->front().nodes.front().matches.front().vulnerable);
  // A repeated key: the first one counts, as a lookup by name reads it.
  auto repeated = ReadNvdFeed(R"({"cve":{"id":"CVE-2099-0002","configurations":[{"nodes":[
    {"cpeMatch":[{"vulnerable":false,"criteria":"cpe:2.3:a:x:y:1.0:*:*:*:*:*:*:*",
    "vulnerable":true}]}]}]}})",
                              "repeated.json");
  ASSERT_TRUE(repeated.ok()) << Message(repeated.error());
  EXPECT_TRUE(repeated->records.front().products.empty());
  auto back = ParseConfigurations(repeated->records.front().configurations, "stored");
  ASSERT_TRUE(back.ok());
  EXPECT_FALSE(back->front().nodes.front().matches.front().vulnerable);
}

// The reader takes the values it needs where they lie (simdjson On-Demand): the metric kept does
// not depend on the order NVD lists versions in, keys are compared as written and, when one has an
// escape, as JSON means it.
TEST(NvdFeed, MetricsInAnyOrderAndEscapedKeys) {
  auto metric = [](const char* type, const char* version, const char* vector, double score) {
    return std::string(R"({"source":"x","type":")") + type + R"(","cvssData":{"version":")" +
           version + R"(","vectorString":")" + vector + R"(","baseScore":)" +
           std::to_string(score) + R"(,"baseSeverity":"HIGH"}})";
  };
  const std::string v2 = metric("Primary", "2.0", "AV:N/AC:L/Au:N/C:P/I:P/A:P", 7.5);
  const std::string v31s =
      metric("Secondary", "3.1", "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:N", 9.1);
  const std::string v31p =
      metric("Primary", "3.1", "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", 9.8);
  auto join = [](std::initializer_list<std::string_view> parts) {
    std::string out;
    for (std::string_view p : parts) out += p;
    return out;
  };
  const std::string v30 =
      metric("Primary", "3.0", "CVSS:3.0/AV:L/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", 8.4);
  for (const std::string& metrics :
       {join({R"("cvssMetricV2":[)", v2, R"(],"cvssMetricV31":[)", v31s, ",", v31p, "]"}),
        join({R"("cvssMetricV31":[)", v31s, ",", v31p, R"(],"cvssMetricV2":[)", v2, "]"}),
        join({R"("cvssMetricV31":[)", v31p, ",", v31s, R"(],"cvssMetricV30":[)", v30, "]"})}) {
    std::string json = R"({"cve":{"id":"CVE-2099-0005","metrics":{)" + metrics + "}}}";
    auto r = ReadNvdFeed(json, "metrics.json");
    ASSERT_TRUE(r.ok()) << Message(r.error()) << json;
    EXPECT_EQ(r->records.front().cvss_version, "3.1") << json;
    EXPECT_DOUBLE_EQ(r->records.front().cvss_score, 9.8) << json;
  }
  // v2 keeps its severity beside cvssData.
  auto old =
      ReadNvdFeed(R"({"cve":{"id":"CVE-2099-0006","metrics":{"cvssMetricV2":[{"type":"Primary",
    "cvssData":{"version":"2.0","vectorString":"AV:N/AC:L/Au:N/C:N/I:N/A:P","baseScore":5.0},
    "baseSeverity":"MEDIUM"}]}}})",
                  "v2.json");
  ASSERT_TRUE(old.ok()) << Message(old.error());
  EXPECT_EQ(old->records.front().severity, "MEDIUM");

  // (keys are checked for an escape sixteen bytes at a time, or eight: the one in
  // "configur\u0061tions" is in the second eight, the one in "versionEndExcludin\u0067" in the
  // second sixteen)
  auto escaped = ReadNvdFeed(R"({"cve":{"i\u0064":"CVE-2099-0003","configur\u0061tions":[{"nodes":[
    {"cpeMatch":[{"vulnerable":true,"crit\u0065ria":"cpe:2.3:a:x:y:*:*:*:*:*:*:*:*",
    "versionEndExcludin\u0067":"2.0"}]}]}]}})",
                             "escaped-keys.json");
  ASSERT_TRUE(escaped.ok()) << Message(escaped.error());
  EXPECT_EQ(escaped->records.front().id, "CVE-2099-0003");
  EXPECT_NE(escaped->records.front().configurations.find(R"("versionEndExcluding":"2.0")"),
            std::string::npos)
      << escaped->records.front().configurations;
  ASSERT_EQ(escaped->records.front().products.size(), 1u);
  EXPECT_EQ(escaped->records.front().products.front().second, "y");
}

// Strings are taken as they stand in the text where they have no escape, unescaped where they
// have one; the compact configurations are written through a pointer for a criterion whose
// strings stood plain, by the escaping writer for the others. Both ways on one page (the fuzz
// seed): the same values as JSON means them.
TEST(NvdFeed, StringsWithAndWithoutEscapesReadAlike) {
  const char* source = std::getenv("MAMORI_SOURCE_DIR");
  ASSERT_NE(source, nullptr);
  std::string path = std::string(source) + "/fuzz/corpus/nvd_feed/escapes.json";
  auto r = ReadNvdFeed(Slurp(path), path);
  ASSERT_TRUE(r.ok()) << Message(r.error());
  ASSERT_EQ(r->records.size(), 2u);
  const CveRecord& c = r->records.front();
  EXPECT_EQ(c.id, "CVE-2099-0003");
  EXPECT_EQ(c.description_en, "A \"quoted\" name\\path \u00e9\n");
  // NVD's own score (Primary) over the CNA's, whose vector had escaped slashes.
  EXPECT_EQ(c.cvss_vector, "CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:U/C:H/I:H/A:H");
  EXPECT_EQ(c.severity, "HIGH");
  // "Ex\u0061mple:Widget" and "example:widget" are one product, lower case.
  std::vector<ProductName> products(c.products.begin(), c.products.end());
  EXPECT_EQ(products, (std::vector<ProductName>{{"example", "widget"}, {"gnu", "c\\+\\+_lib"}}));
  auto stored = ParseConfigurations(c.configurations, "stored");
  ASSERT_TRUE(stored.ok()) << Message(stored.error()) << c.configurations;
  auto direct = ReadNvdCves(Slurp(path), path);
  ASSERT_TRUE(direct.ok()) << Message(direct.error());
  EXPECT_EQ(Describe(*stored), Describe(direct->front().configurations));
  const CpeCriterion& first = stored->front().nodes.front().matches.front();
  EXPECT_EQ(first.end, "1.0\"beta\\2");
  EXPECT_EQ(stored->front().nodes.front().matches[1].cpe.Vendor(), "Example");
  EXPECT_EQ(stored->back().nodes.front().matches.front().start, "5.10");
  EXPECT_EQ(r->records.back().description_en, "plain");
  EXPECT_EQ(r->records.back().configurations, "[]");
}

TEST(NvdFeed, ErrorsNameTheFileAndTheRecord) {
  std::string page = Slurp(Shared("nvd/vunnel/full-page.json"));
  // Break one criterion deep inside the page.
  size_t at = page.find("\"criteria\": \"cpe:2.3:");
  ASSERT_NE(at, std::string::npos);
  page.replace(at, 21, "\"criteria\": \"cpe:2.9:");
  auto r = ReadNvdFeed(page, "full-page.json");
  ASSERT_FALSE(r.ok());
  std::string m = Message(r.error());
  EXPECT_NE(m.find("full-page.json"), std::string::npos) << m;
  EXPECT_NE(m.find("vulnerabilities["), std::string::npos) << m;
  EXPECT_NE(m.find("cpeMatch["), std::string::npos) << m;
  EXPECT_NE(m.find("CVE-"), std::string::npos) << m;

  // What the matcher would refuse to read back is refused here already (found by
  // nvd_feed_fuzz: a criterion with both forms of its upper bound was accepted, then could not
  // be matched); the operator and negate flags are checked too.
  auto record = [](const std::string& match, const std::string& node_extra) {
    return R"({"vulnerabilities":[{"cve":{"id":"CVE-9","configurations":[{"nodes":[{)" +
           node_extra + R"("cpeMatch":[{"criteria":"cpe:2.3:a:v:p:*:*:*:*:*:*:*:*",)" + match +
           "}]}]}]}}]}";
  };
  for (const auto& [json, what] : std::vector<std::pair<std::string, std::string>>{
           {record(R"("versionEndIncluding":"2.6.4","versionEndExcluding":"2.7.2")", ""),
            "versionEndIncluding, versionEndExcluding"},
           {record(R"("versionStartIncluding":3)", ""), "versionStartIncluding"},
           {record(R"("vulnerable":true)", R"("negate":"no",)"), "negate"},
           {record(R"("vulnerable":true)", R"("operator":1,)"), "operator"},
           // Fields read in one pass: a wrong type still named, the first checked first.
           {record(R"("vulnerable":"yes")", ""), "vulnerable"},
           {record(R"("versionEndExcluding":[],"vulnerable":0)", ""), "vulnerable"},
           {R"({"vulnerabilities":[{"cve":{"id":"CVE-9","configurations":[{"nodes":[{)"
            R"("cpeMatch":[{"criteria":5,"vulnerable":true}]}]}]}}]})",
            "criteria"}}) {
    auto refused = ReadNvdFeed(json, "bounds.json");
    ASSERT_FALSE(refused.ok()) << json;
    EXPECT_NE(Message(refused.error()).find(what), std::string::npos) << Message(refused.error());
    EXPECT_NE(Message(refused.error()).find("vulnerabilities[0] CVE-9 configurations[0] nodes[0]"),
              std::string::npos)
        << Message(refused.error());
  }

  auto bad = ReadNvdFeed("{\"vulnerabilities\": [", "cut.json");
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(Message(bad.error()).find("cut.json"), std::string::npos);
  // A page cut short inside a record names the file and the record it broke in.
  std::string full = Slurp(Shared("nvd/vunnel/full-page.json"));
  auto cut = ReadNvdFeed(std::string_view(full).substr(0, full.size() * 2 / 3), "full-page.json");
  ASSERT_FALSE(cut.ok());
  EXPECT_NE(Message(cut.error()).find("full-page.json"), std::string::npos) << Message(cut.error());
  // Text after the document is not an NVD file.
  auto trailing = ReadNvdFeed(R"({"vulnerabilities":[]} {"vulnerabilities":[]})", "two.json");
  ASSERT_FALSE(trailing.ok());
  EXPECT_NE(Message(trailing.error()).find("two.json"), std::string::npos);
  EXPECT_TRUE(ReadNvdFeed("{\"vulnerabilities\":[]}  \n", "empty-page.json").ok());
  auto none = ReadNvdFeed("{\"format\": \"NVD_CVE\"}", "empty.json");
  ASSERT_FALSE(none.ok());
  EXPECT_NE(Message(none.error()).find("vulnerabilities"), std::string::npos);
}

TEST(Gzip, TruncatedAndForeignBytesAreErrorsNamingTheFile) {
  std::string path = Shared("nvd/nvd-go-api-responses/cves-1999.json.gz");
  std::string gz = Slurp(path);
  ASSERT_TRUE(IsGzip(gz));
  auto cut = Gunzip(std::string_view(gz).substr(0, gz.size() / 2), "cut.gz");
  ASSERT_FALSE(cut.ok());
  EXPECT_NE(Message(cut.error()).find("cut.gz"), std::string::npos);
  auto small = Gunzip(gz, "big.gz", 1000);
  ASSERT_FALSE(small.ok());
  EXPECT_NE(Message(small.error()).find("big.gz"), std::string::npos);
  auto plain = MaybeGunzip("{}", "plain.json");
  ASSERT_TRUE(plain.ok());
  EXPECT_EQ(*plain, "{}");
}

TEST(Cpe22, UrisFromJvnBindTo23) {
  struct Case {
    const char* uri;
    const char* formatted;
  } cases[] = {
      {"cpe:/a:jacic:electronic_bidding_core_system",
       "cpe:2.3:a:jacic:electronic_bidding_core_system:*:*:*:*:*:*:*:*"},
      {"cpe:/o:microsoft:windows_10:1607", "cpe:2.3:o:microsoft:windows_10:1607:*:*:*:*:*:*:*"},
      {"cpe:/a:sunshinephotocart:sunshine_photo_cart",
       "cpe:2.3:a:sunshinephotocart:sunshine_photo_cart:*:*:*:*:*:*:*:*"},
      {"cpe:/a:foo%21bar:baz:1.0%2b", "cpe:2.3:a:foo\\!bar:baz:1.0\\+:*:*:*:*:*:*:*"},
      {"cpe:/a:vendor:product:2.0::~~pro~win~x64~",
       "cpe:2.3:a:vendor:product:2.0:*:*:*:pro:win:x64:*"},
      {"cpe:/h:yamaha:rtx1210:-", "cpe:2.3:h:yamaha:rtx1210:-:*:*:*:*:*:*:*"},
  };
  for (const auto& c : cases) {
    auto r = ParseCpe22(c.uri);
    ASSERT_TRUE(r.ok()) << c.uri << ": " << Message(r.error());
    EXPECT_EQ(r->ToString(), c.formatted) << c.uri;
    EXPECT_TRUE(ParseCpe(r->ToString()).ok()) << r->ToString();
  }
  for (const char* bad : {"cpe:2.3:a:x:y", "cpe:/x:vendor", "cpe:/a:v:p:%zz",
                          "cpe:/a:v:p:1:2:3:4:5", "cpe:/a:v:p:1::~a~b"}) {
    auto r = ParseCpe22(bad);
    EXPECT_FALSE(r.ok()) << bad;
  }
}

TEST(Jvn, DetailDocumentsGiveTheJapaneseTitleAliasesAndCpes) {
  std::string path = Shared("jvn/hnd/getVulnDetailInfo_hnd_JVNDB-2022-000097.xml");
  auto r = ReadJvn(Slurp(path), path);
  ASSERT_TRUE(r.ok()) << Message(r.error());
  ASSERT_EQ(r->size(), 1u);
  const JvnEntry& e = r->front();
  EXPECT_EQ(e.id, "JVNDB-2022-000097");
  EXPECT_EQ(e.title, "電子入札コアシステムにおける複数の脆弱性");
  EXPECT_EQ(e.cves,
            (std::vector<std::string>{"CVE-2022-41993", "CVE-2022-46287", "CVE-2022-46288"}));
  EXPECT_EQ(e.aliases, std::vector<std::string>{"JVN#96321933"});
  EXPECT_EQ(e.cpes, std::vector<std::string>{
                        "cpe:2.3:a:jacic:electronic_bidding_core_system:*:*:*:*:*:*:*:*"});
  EXPECT_EQ(e.cvss_vector, "CVSS:3.0/AV:N/AC:L/PR:N/UI:R/S:C/C:L/I:L/A:N");
  EXPECT_EQ(e.published, "2022-12-15T12:04:51+09:00");
  EXPECT_EQ(e.overview.find('<'), std::string::npos);  // the HTML list became text
}

TEST(Jvn, OverviewListAndTheDetailFeed) {
  auto list = ReadJvn(Slurp(Shared("jvn/hnd/getVulnOverviewList_hnd.xml")), "overview.xml");
  ASSERT_TRUE(list.ok()) << Message(list.error());
  ASSERT_EQ(list->size(), 2u);
  EXPECT_EQ((*list)[0].id, "JVNDB-2025-002953");
  EXPECT_EQ((*list)[0].cves, std::vector<std::string>{"CVE-2025-31084"});
  EXPECT_EQ(
      (*list)[0].cpes,
      std::vector<std::string>{"cpe:2.3:a:sunshinephotocart:sunshine_photo_cart:*:*:*:*:*:*:*:*"});
  auto feed = ReadJvn(Slurp(Shared("jvn/hnd/dataFeed_jvndb_detail_hnd.xml")), "detail.xml");
  ASSERT_TRUE(feed.ok()) << Message(feed.error());
  EXPECT_EQ(feed->size(), 7u);
}

// MyJVN OKA (JSON, API 4.0) gives the same entry as HND (XML, API 3.2) for each record both
// samples hold, from getVulnDetailInfo as jvncsaf and as jvnstix alike.
TEST(Jvn, OkaJsonGivesWhatHndXmlGives) {
  for (const char* id :
       {"JVNDB-2017-009608", "JVNDB-2018-009328", "JVNDB-2021-002774", "JVNDB-2022-000097"}) {
    SCOPED_TRACE(id);
    std::string hnd_path = Shared(std::string("jvn/hnd/getVulnDetailInfo_hnd_") + id + ".xml");
    std::string oka_path = Shared(std::string("jvn/oka/getVulnDetailInfo_oka_") + id + ".json");
    auto hnd = ReadJvn(Slurp(hnd_path), hnd_path);
    auto oka = ReadJvn(Slurp(oka_path), oka_path);
    ASSERT_TRUE(hnd.ok()) << Message(hnd.error());
    ASSERT_TRUE(oka.ok()) << Message(oka.error());
    ASSERT_EQ(oka->size(), 1u);
    const JvnEntry &h = hnd->front(), &o = oka->front();
    EXPECT_EQ(o.id, h.id);
    EXPECT_EQ(o.title, h.title);
    EXPECT_EQ(o.cves, h.cves);
    EXPECT_EQ(o.aliases, h.aliases);
    EXPECT_EQ(o.cpes, h.cpes);
    EXPECT_EQ(o.published, h.published);
    EXPECT_EQ(o.last_modified, h.last_modified);
    EXPECT_EQ(o.url, h.url);
    EXPECT_FALSE(o.overview.empty());
  }
  std::string stix = Shared("jvn/oka/getVulnDetailInfo_oka_JVNDB-2017-009608_jvnstix.json");
  auto in_bundle = ReadJvn(Slurp(stix), stix);
  ASSERT_TRUE(in_bundle.ok()) << Message(in_bundle.error());
  ASSERT_EQ(in_bundle->size(), 1u);
  EXPECT_EQ(in_bundle->front().id, "JVNDB-2017-009608");
}

TEST(Jvn, OkaOverviewListAndWhatIsNotAVulnerability) {
  auto list = ReadJvn(Slurp(Shared("jvn/oka/getVulnOverviewList_oka.json")), "overview.json");
  ASSERT_TRUE(list.ok()) << Message(list.error());
  ASSERT_EQ(list->size(), 3u);
  const JvnEntry& e = list->front();
  EXPECT_EQ(e.id, "JVNDB-2025-000000");
  EXPECT_EQ(e.title, "MyJVN API セキュリティ情報");
  EXPECT_EQ(e.url, "https://jvndb.jvn.jp/ja/contents/2025/JVNDB-2025-000000.html");
  EXPECT_EQ(e.cvss_vector, "CVSS:4.0/AV:N/AC:H/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:H/SI:L/SA:L");
  EXPECT_EQ(e.cpes,
            (std::vector<std::string>{"cpe:2.3:a:dendai.ac.jp:myjvn_api:*:*:*:*:*:*:*:*",
                                      "cpe:2.3:a:dendai.ac.jp:myjvn_api:4.0.0:*:*:*:*:*:*:*"}));
  // A product list is refused by name; the real detail data feed sample carries an empty value
  // ("retMax": ,) and is refused naming its line.
  auto products = ReadJvn(Slurp(Shared("jvn/oka/getProductList_oka.json")), "products.json");
  ASSERT_FALSE(products.ok());
  EXPECT_NE(Message(products.error()).find("getProductList"), std::string::npos);
  // A number no double holds (found by jvn_fuzz) is a refused file, not a crash.
  auto huge = ReadJvn("{\"feed\": 5e572}", "huge.json");
  ASSERT_FALSE(huge.ok());
  EXPECT_NE(Message(huge.error()).find("huge.json"), std::string::npos);
  auto feed = ReadJvn(Slurp(Shared("jvn/oka/dataFeed_jvndb_detail_oka.json")), "detail.json");
  ASSERT_FALSE(feed.ok());
  EXPECT_NE(Message(feed.error()).find("detail.json: malformed JSON at line 1377"),
            std::string::npos)
      << Message(feed.error());
}

// A version statement as the table in tests/data/vuln/jvn-versions.tsv writes what it is read as.
std::string Described(const JvnRange& r) {
  if (!r.understood) return "?";
  std::string out;
  if (!r.exact.empty()) out = "=" + r.exact;
  if (!r.start.empty()) out += (r.start_including ? ">=" : ">") + r.start;
  if (!r.end.empty())
    out += std::string(out.empty() ? "" : " ") + (r.end_including ? "<=" : "<") + r.end;
  if (!r.cves.empty()) {
    out += " |";
    for (const auto& c : r.cves) out += " " + c;
  }
  return out;
}

TEST(Jvn, VersionStatementsAreReadStrictly) {
  const char* source = std::getenv("MAMORI_SOURCE_DIR");
  ASSERT_NE(source, nullptr);
  std::ifstream table(std::string(source) + "/tests/data/vuln/jvn-versions.tsv");
  ASSERT_TRUE(table.good());
  std::string line;
  int rows = 0, unread = 0;
  while (std::getline(table, line)) {
    if (line.empty() || line[0] == '#') continue;
    size_t tab = line.find('\t');
    ASSERT_NE(tab, std::string::npos) << line;
    std::string words = line.substr(0, tab), expected = line.substr(tab + 1);
    EXPECT_EQ(Described(ReadJvnVersion({words, "", "", "", ""})), expected) << words;
    ++rows;
    unread += expected == "?" ? 1 : 0;
  }
  EXPECT_EQ(rows, 38);
  EXPECT_EQ(unread, 15);
}

// OKA's structured fields (CVE JSON 5 style) are read before the words beside them.
TEST(Jvn, OkaVersionFieldsAndTheProductsTheyAreAbout) {
  std::string path = Shared("jvn/oka/getVulnDetailInfo_oka_jvncsaf.json");
  auto r = ReadJvn(Slurp(path), path);
  ASSERT_TRUE(r.ok()) << Message(r.error());
  ASSERT_EQ(r->size(), 1u);
  const JvnEntry& e = r->front();
  EXPECT_TRUE(e.has_affected);
  ASSERT_EQ(e.affected.size(), 1u);
  EXPECT_EQ(e.affected[0].cpe, "cpe:2.3:a:dendai.ac.jp:myjvn_api:*:*:*:*:*:*:*:*");
  std::vector<std::string> read;
  for (const auto& v : e.affected[0].versions) read.push_back(Described(ReadJvnVersion(v)));
  EXPECT_EQ(read,
            (std::vector<std::string>{"=8.1.2", "<1.0.6", ">=2.1.0 <=2.1.3", ">=3.1.1a <3.1.1d"}));
  // The fields decide where they and the words disagree; a status other than affected and a
  // series are not read.
  EXPECT_EQ(Described(ReadJvnVersion({"バージョン 9 未満", "0", "1.0.6", "", ""})), "<1.0.6");
  EXPECT_EQ(Described(ReadJvnVersion({"", "2.0", "*", "", ""})), ">=2.0");
  EXPECT_EQ(Described(ReadJvnVersion({"", "2.0", "", "", "unknown"})), "?");
  EXPECT_EQ(Described(ReadJvnVersion({"", "2.x", "3.0", "", ""})), "?");
  EXPECT_EQ(Described(ReadJvnVersion({"(CVE-2025-0001)", "1.0", "", "", ""})),
            "=1.0 | CVE-2025-0001");

  // The same entries from HND and OKA give the same statements, and the detail feed gives each
  // product its own (the NEC Aterm entry: eleven products, each restricted to some CVEs).
  for (const char* id : {"JVNDB-2018-009328", "JVNDB-2021-002774"}) {
    SCOPED_TRACE(id);
    auto hnd = ReadJvn(Slurp(Shared(std::string("jvn/hnd/getVulnDetailInfo_hnd_") + id + ".xml")),
                       "hnd.xml");
    auto oka = ReadJvn(Slurp(Shared(std::string("jvn/oka/getVulnDetailInfo_oka_") + id + ".json")),
                       "oka.json");
    ASSERT_TRUE(hnd.ok() && oka.ok());
    const auto &h = hnd->front().affected, &o = oka->front().affected;
    ASSERT_EQ(h.size(), o.size());
    for (size_t k = 0; k < h.size(); ++k) {
      EXPECT_EQ(h[k].cpe, o[k].cpe);
      // (OKA joins ServerProtect's four statements in one description: "?" once, not four times.)
      std::set<std::string> hs, os;
      for (const auto& v : h[k].versions) hs.insert(Described(ReadJvnVersion(v)));
      for (const auto& v : o[k].versions) os.insert(Described(ReadJvnVersion(v)));
      EXPECT_EQ(hs, os) << h[k].cpe;
    }
  }
  auto feed = ReadJvn(Slurp(Shared("jvn/hnd/dataFeed_jvndb_detail_hnd.xml")), "detail.xml");
  ASSERT_TRUE(feed.ok());
  const JvnEntry* aterm = nullptr;
  for (const auto& x : *feed)
    if (x.id == "JVNDB-2025-000002") aterm = &x;
  ASSERT_NE(aterm, nullptr);
  ASSERT_EQ(aterm->affected.size(), 11u);
  EXPECT_EQ(aterm->affected[2].cpe, "cpe:2.3:o:nec:aterm_wg1200cr_firmware:*:*:*:*:*:*:*:*");
  ASSERT_EQ(aterm->affected[2].versions.size(), 1u);
  EXPECT_EQ(Described(ReadJvnVersion(aterm->affected[2].versions[0])), "<1.5.0 | CVE-2025-0355");
  // An overview list has no place for versions.
  auto list = ReadJvn(Slurp(Shared("jvn/hnd/getVulnOverviewList_hnd.xml")), "overview.xml");
  ASSERT_TRUE(list.ok());
  EXPECT_FALSE(list->front().has_affected);
}

TEST(Jvn, MalformedXmlNamesTheLine) {
  // This real MyJVN data-feed sample carries an unquoted attribute (retCd= 0) at line 116.
  std::string path = Shared("jvn/hnd/dataFeed_jvndb_rss_hnd.xml");
  auto r = ReadJvn(Slurp(path), "rss.xml");
  ASSERT_FALSE(r.ok());
  EXPECT_NE(Message(r.error()).find("rss.xml: malformed XML at line 116"), std::string::npos)
      << Message(r.error());
  auto other = ReadJvn("<foo/>", "foo.xml");
  ASSERT_FALSE(other.ok());
}

EolProduct LoadEol(const std::string& name) {
  std::string path = Shared("eol/" + name + ".md");
  auto r = ReadEolProduct(Slurp(path), path);
  EXPECT_TRUE(r.ok()) << (r.ok() ? "" : Message(r.error()));
  return r.ok() ? *r : EolProduct{};
}

TEST(Eol, EveryProductFileReads) {
  int n = 0;
  for (const auto& e : std::filesystem::directory_iterator(Shared("eol"))) {
    auto r = ReadEolProduct(Slurp(e.path()), e.path().string());
    ASSERT_TRUE(r.ok()) << Message(r.error());
    EXPECT_FALSE(r->releases.empty()) << e.path();
    EXPECT_EQ(r->id, e.path().stem().string());
    ++n;
  }
  EXPECT_EQ(n, 37);
}

TEST(Eol, CyclesFromVersions) {
  EolProduct fortios = LoadEol("fortios");
  EXPECT_EQ(fortios.cpes, std::vector<std::string>{"fortinet:fortios"});
  auto m = FindEolCycle(fortios, "7.0.12");
  ASSERT_NE(m.release, nullptr);
  EXPECT_EQ(m.release->cycle, "7.0");
  EXPECT_EQ(m.how, "cycle");
  EXPECT_EQ(FindEolCycle(fortios, "7.01").release, nullptr);  // "7.0" is not a prefix of 7.01

  EolProduct windows = LoadEol("windows");
  auto w = FindEolCycle(windows, "10.0.19045.3803");
  ASSERT_NE(w.release, nullptr);
  EXPECT_EQ(w.release->cycle, "10-22h2");
  EXPECT_EQ(w.release->eol, "2025-10-14");
  EXPECT_TRUE(w.release->Ended("2026-11-22"));
  // 19044 is 21H2 and its LTSC editions, which end years apart: a person decides.
  auto amb = FindEolCycle(windows, "10.0.19044.1288");
  EXPECT_EQ(amb.release, nullptr);
  EXPECT_GE(amb.candidates.size(), 2u);

  EolProduct sql = LoadEol("mssqlserver");
  auto s = FindEolCycle(sql, "15.0.4345.5");
  ASSERT_NE(s.release, nullptr);
  EXPECT_EQ(s.release->cycle, "15.0");
  EXPECT_EQ(s.release->label, "2019 '__CODENAME__'");

  // Only the latest build is known for Windows' cycles: matched by the longest shared prefix.
  EXPECT_EQ(w.how, "latest");
}

TEST(Eol, BadFilesNameTheRelease) {
  auto r = ReadEolProduct("---\ntitle: X\nreleases:\n  - releaseCycle: \"1\"\n    eol: soon\n---\n",
                          "x.md");
  ASSERT_FALSE(r.ok());
  std::string m = Message(r.error());
  EXPECT_NE(m.find("x.md"), std::string::npos) << m;
  EXPECT_NE(m.find("releases[0] 1"), std::string::npos) << m;
  EXPECT_FALSE(ReadEolProduct("no front matter", "y.md").ok());
  EXPECT_FALSE(ReadEolProduct("---\nreleases: [\n---\n", "z.md").ok());
}

MatchComponent Mc(const char* key, const char* cpe) {
  MatchComponent m;
  m.name = key;
  m.component.cpe = *ParseCpe(cpe);
  return m;
}

TEST(Matcher, OtherComponentsServeAsPlatformsButNeverCarryTheFinding) {
  std::string path = Shared("nvd/osvdev-nvdcve-2.0/CVE-2024-3094.json");
  auto r = ReadNvdFeed(Slurp(path), path);
  ASSERT_TRUE(r.ok());
  std::vector<std::unique_ptr<CandidateCve>> cves;
  auto c = std::make_unique<CandidateCve>();
  c->id = r->records.front().id;
  c->configurations = *ParseConfigurations(r->records.front().configurations, c->id);
  c->products.assign(r->records.front().products.begin(), r->records.front().products.end());
  cves.push_back(std::move(c));
  CandidateIndex index = BuildIndex(cves);
  MatchTarget t;
  t.target = "asset:1";
  t.components = {Mc("new", "cpe:2.3:a:tukaani:xz:5.6.1:*:*:*:*:*:*:*"),
                  Mc("old", "cpe:2.3:a:tukaani:xz:5.4.6:*:*:*:*:*:*:*"),
                  Mc("unknown-vendor", "cpe:2.3:a:*:xz:5.6.0:*:*:*:*:*:*:*"),
                  Mc("other", "cpe:2.3:a:*:firefox:117.0:*:*:*:*:*:*:*")};
  std::vector<MatchTarget> targets{t};
  auto matches = MatchTargets(targets, index).Written();
  ASSERT_EQ(matches.size(), 2u);
  EXPECT_EQ(matches[0].component->name, "new");
  EXPECT_EQ(matches[0].component->Key(), "cpe:2.3:a:tukaani:xz:5.6.1:*:*:*:*:*:*:*");
  EXPECT_EQ(matches[0].verdict, Verdict::kAffected);
  EXPECT_EQ(matches[1].component->name, "unknown-vendor");
  EXPECT_EQ(matches[1].verdict, Verdict::kReview);
}

}  // namespace
}  // namespace mamori::vuln

namespace mamori::vuln {
namespace {

// Microsoft's records name products without versions ("windows_10_22h2:-", every build): a
// known build must neither hide the CVE (NA ≠ a value) nor prove it (no bound): review.
TEST(Matcher, VersionlessMicrosoftCriteriaAreReviewForAnyBuild) {
  const char* source = std::getenv("MAMORI_SOURCE_DIR");
  ASSERT_NE(source, nullptr);
  std::string path = std::string(source) + "/src/demo/feeds/nvd-demo.json";
  auto r = ReadNvdFeed(Slurp(path), path);
  ASSERT_TRUE(r.ok()) << Message(r.error());
  const CveRecord* office = nullptr;
  for (const auto& c : r->records)
    if (c.id == "CVE-2023-36884") office = &c;
  ASSERT_NE(office, nullptr);
  auto cfgs = ParseConfigurations(office->configurations, std::string(office->id));
  ASSERT_TRUE(cfgs.ok());
  for (const char* cpe : {"cpe:2.3:o:microsoft:windows_10_22h2:10.0.19045.3803:*:*:*:*:*:x64:*",
                          "cpe:2.3:o:microsoft:windows_10_22h2:*:*:*:*:*:*:*:*",
                          "cpe:2.3:a:microsoft:office:2019:*:*:*:*:*:*:*"}) {
    Component c{*ParseCpe(cpe), VersionScheme::kGeneric};
    EXPECT_EQ(Evaluate(*cfgs, {c}).verdict, Verdict::kReview) << cpe;
  }
  Component other{*ParseCpe("cpe:2.3:o:microsoft:windows_7:-:sp1:*:*:*:*:*:*"),
                  VersionScheme::kGeneric};
  EXPECT_EQ(Evaluate(*cfgs, {other}).verdict, Verdict::kNotAffected);
}

}  // namespace
}  // namespace mamori::vuln

namespace mamori::vuln {
namespace {

// The matcher's shortcuts (criteria passed over by product, version and vendor keys, the
// verdict before the evidence, product groups shared out over threads, platforms found through
// a bitmap) must change nothing: on every real NVD record of the shared data, against
// components on both sides of every bound, with platforms and unknown vendors, the engine gives
// exactly what evaluating each (component, CVE) pair on its own gives — same pairs, same order,
// same verdicts and evidence.
TEST(Matcher, EqualsEvaluatingEveryPairOnItsOwn) {
  std::vector<std::unique_ptr<CandidateCve>> cves;
  auto add = [&](const std::string& path, const std::string& text) {
    auto r = ReadNvdFeed(text, path);
    ASSERT_TRUE(r.ok()) << Message(r.error());
    for (const auto& rec : r->records) {
      auto c = std::make_unique<CandidateCve>();
      c->id = rec.id;
      c->configurations = *ParseConfigurations(rec.configurations, c->id);
      c->products.assign(rec.products.begin(), rec.products.end());
      cves.push_back(std::move(c));
    }
  };
  for (const char* gz : {"nvd/nvd-go-api-responses/cves-2023.json.gz",
                         "nvd/nvd-go-api-responses/cves-1999.json.gz"}) {
    std::string path = Shared(gz);
    add(path, *MaybeGunzip(Slurp(path), path));
  }
  for (const auto& e : std::filesystem::directory_iterator(Shared("nvd/osvdev-nvdcve-2.0")))
    add(e.path().string(), Slurp(e.path().string()));
  ASSERT_GT(cves.size(), 400u);
  CandidateIndex index = BuildIndex(cves);

  // A target per CVE: a component per criterion at each of its bounds and its exact version,
  // one below, one far above, one without a version; every third with an unknown vendor, every
  // fifth with the criterion's update and every fifth with NA as its update.
  std::vector<MatchTarget> targets;
  int n = 0;
  for (const auto& c : cves) {
    MatchTarget t;
    t.target = "asset:" + c->id;
    for (const auto& cfg : c->configurations)
      for (const auto& node : cfg.nodes)
        for (const auto& k : node.matches) {
          std::vector<std::string> versions = {"0.1", "99999", "*"};
          for (std::string_view v :
               {std::string_view(k.start), std::string_view(k.end), k.cpe.Version()})
            if (!v.empty() && v != "*" && v != "-") versions.emplace_back(v);
          for (const auto& v : versions) {
            std::string vendor = ++n % 3 == 0 ? "*" : std::string(k.cpe.Vendor());
            std::string cpe = "cpe:2.3:" + std::string(k.cpe.Part()) + ":";
            cpe += vendor + ":";
            cpe += std::string(k.cpe.Product()) + ":";
            // The update left open, as the criterion states it, or NA.
            std::string update = n % 5 == 1 ? std::string(k.cpe.Attr(4)) : n % 5 == 2 ? "-" : "*";
            cpe += v;
            cpe += ":" + update;
            cpe += ":*:*:*:*:*:*";
            auto parsed = ParseCpe(cpe);
            if (!parsed.ok() || t.components.size() >= 60) continue;
            MatchComponent mc;
            mc.name = std::string(k.cpe.Product());
            mc.version = v;
            mc.component.cpe = *parsed;
            t.components.push_back(std::move(mc));
          }
        }
    if (!t.components.empty()) targets.push_back(std::move(t));
  }

  // Every pair on its own, as the engine's contract reads.
  std::vector<Match> expected;
  size_t pairs = 0;
  for (const auto& t : targets)
    for (const auto& mc : t.components) {
      auto product = ProductOf(mc.component);
      if (product.second.empty() || product.second == "*") continue;
      std::vector<const CandidateCve*> candidates;
      for (const auto& [key, list] : index.by_product)
        if (key.second == product.second && (product.first == "*" || key.first == product.first))
          candidates.insert(candidates.end(), list.begin(), list.end());
      for (const CandidateCve* cve : candidates) {
        std::vector<const Component*> scratch = {&mc.component};
        for (const auto& p : cve->platform_products)
          for (const auto& other : t.components)
            if (&other != &mc && ProductOf(other.component).second == p)
              scratch.push_back(&other.component);
        for (const auto& other : t.components) {
          std::string op = ProductOf(other.component).second;
          if (&other != &mc && !op.empty() && (op.find('*') != std::string::npos) &&
              !std::binary_search(cve->vulnerable_products.begin(), cve->vulnerable_products.end(),
                                  op))
            scratch.push_back(&other.component);
        }
        ++pairs;
        std::vector<ComponentKeys> keys;
        keys.reserve(scratch.size());
        for (const Component* x : scratch) keys.push_back(KeysOf(*x));
        // The reference: the general path alone, every criterion of every node, each with its
        // eleven attributes compared (empty keys — no plain product, version or vendor, not
        // "simple" — keep the shortcuts by key and for plain names out of it).
        std::vector<ComponentKeys> general(keys.size());
        Applicability a = Evaluate(cve->configurations, scratch, general.data());
        // The verdict alone agrees with the full evaluation on every pair, not only on those
        // the engine reports.
        EXPECT_EQ(EvaluateVerdict(cve->configurations, scratch, keys.data()), a.verdict)
            << cve->id << " " << mc.Key();
        if (a.verdict != Verdict::kNotAffected)
          expected.push_back(Match{&t, &mc, cve->id, a.verdict, std::move(a.evidence)});
      }
    }
  ASSERT_GT(pairs, 10000u);
  ASSERT_GT(expected.size(), 1000u);

  std::vector<Match> got = MatchTargets(targets, index).Written();
  {  // Enough products (the matcher's work items) that on several cores each finds its own
     // findings' criteria, and their lists are read back across them.
    std::set<std::pair<std::string, std::string>> products;
    for (const auto& t : targets)
      for (const auto& mc : t.components) products.insert(ProductOf(mc.component));
    EXPECT_GE(products.size(), 64u);
  }
  {  // the first pairs one side has and the other not, to read when it fails
    std::set<std::tuple<const void*, std::string>> have;
    for (const auto& m : got) have.insert({m.component, m.cve});
    int shown = 0;
    for (const auto& m : expected)
      if (!have.count({m.component, m.cve}) && shown++ < 5)
        ADD_FAILURE() << "missing " << m.component->Key() << " " << m.cve << " in "
                      << m.target->target;
  }
  ASSERT_EQ(got.size(), expected.size());
  size_t affected = 0, with_platform = 0;
  std::map<std::string, int> kinds;  // evidence keys
  for (size_t i = 0; i < got.size(); ++i) {
    SCOPED_TRACE(expected[i].component->Key() + " " + expected[i].cve);
    EXPECT_EQ(got[i].target, expected[i].target);
    EXPECT_EQ(got[i].component, expected[i].component);
    EXPECT_EQ(got[i].cve, expected[i].cve);
    EXPECT_EQ(got[i].verdict, expected[i].verdict);
    ASSERT_EQ(got[i].evidence.size(), expected[i].evidence.size());
    for (size_t e = 0; e < got[i].evidence.size(); ++e) {
      EXPECT_EQ(got[i].evidence[e].criterion, expected[i].evidence[e].criterion);
      EXPECT_EQ(got[i].evidence[e].component, expected[i].evidence[e].component);
      EXPECT_EQ(got[i].evidence[e].bound, expected[i].evidence[e].bound);
      EXPECT_EQ(got[i].evidence[e].key, expected[i].evidence[e].key);
      EXPECT_EQ(got[i].evidence[e].args, expected[i].evidence[e].args);
      if (got[i].evidence[e].component != got[i].component->component.cpe.ToString())
        ++with_platform;
      ++kinds[got[i].evidence[e].key];
      EXPECT_FALSE(got[i].evidence[e].key.empty());  // written out, it says why
    }
    affected += got[i].verdict == Verdict::kAffected;
  }
  // Both verdicts and "running on" platforms occur, so the comparison covers them; and every
  // kind of evidence the matcher writes without the general path (Explain's simple criteria).
  EXPECT_GT(affected, 100u);
  EXPECT_LT(affected, got.size());
  EXPECT_GT(with_platform, 0u);
  for (const char* kind : {"nvd.ev_in_range", "nvd.ev_exact", "nvd.ev_unbounded",
                           "nvd.ev_no_version", "cpe.review_unknown"})
    EXPECT_GT(kinds[kind], 0) << kind;
}

// The index's hash tables answer what its sorted map says: every vendor:product in any case,
// the first vendor of a product name, nothing for names it does not hold — over enough products
// (several vendors sharing product names) that probes run past occupied slots.
TEST(Matcher, IndexLookupsAgreeWithTheMap) {
  std::vector<std::unique_ptr<CandidateCve>> cves;
  for (int i = 0; i < 3000; ++i) {
    auto c = std::make_unique<CandidateCve>();
    c->id = "CVE-2026-" + std::to_string(10000 + i);
    c->products = {{"vendor" + std::to_string(i % 7), "product" + std::to_string(i % 1100)},
                   {"acme", "tool" + std::to_string(i)}};
    cves.push_back(std::move(c));
  }
  CandidateIndex index = BuildIndex(cves);
  auto upper = [](std::string s) {
    for (char& ch : s) ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
    return s;
  };
  std::set<std::string> seen_products;
  for (const auto& [key, list] : index.by_product) {
    for (const std::string& vendor : {key.first, upper(key.first)}) {
      const auto* e = index.Find(vendor, upper(key.second));
      ASSERT_NE(e, nullptr) << key.first << ":" << key.second;
      EXPECT_EQ(*e->key, key);
      EXPECT_EQ(e->cves, &list);
    }
    if (seen_products.insert(key.second).second) {  // by_product's first vendor of the name
      const auto* e = index.FindAnyVendor(upper(key.second));
      ASSERT_NE(e, nullptr) << key.second;
      EXPECT_EQ(*e->key, key);
    }
  }
  EXPECT_EQ(index.Find("vendor3", "product0"), nullptr);  // i = 0, 1100, 2200: vendors 0, 1, 2
  EXPECT_EQ(index.Find("acme", "product1"), nullptr);
  EXPECT_EQ(index.Find("", ""), nullptr);
  EXPECT_EQ(index.FindAnyVendor("tool3000"), nullptr);
  EXPECT_EQ(index.FindAnyVendor("product"), nullptr);
  EXPECT_EQ(index.AnyVendor("product3").size(), 3u);  // i = 3, 1103, 2203
  EXPECT_EQ(BuildIndex({}).Find("a", "b"), nullptr);
}

}  // namespace
}  // namespace mamori::vuln
