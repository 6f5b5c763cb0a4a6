// NVD applicability on real records of ../shared/testdata/vuln/nvd/: version ranges, "running on"
// configurations, exact versions, and the cases that must come out as "review", not "affected".
#include "vuln/nvd.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

namespace mamori::vuln {
namespace {

NvdCve Load(const std::string& id) {
  const char* shared = std::getenv("MAMORI_SHARED_DIR");
  EXPECT_NE(shared, nullptr);
  std::string path =
      std::string(shared ? shared : ".") + "/testdata/vuln/nvd/osvdev-nvdcve-2.0/" + id + ".json";
  std::ifstream f(path);
  std::stringstream ss;
  ss << f.rdbuf();
  auto r = ReadNvdCves(ss.str(), id + ".json");
  EXPECT_TRUE(r.ok()) << (r.ok() ? "" : r.error().Message(Lang::kEn));
  EXPECT_EQ(r.ok() ? r->size() : 0u, 1u);
  return r.ok() && !r->empty() ? r->front() : NvdCve{};
}

Component C(const char* cpe, VersionScheme s = VersionScheme::kGeneric) {
  auto c = ParseCpe(cpe);
  EXPECT_TRUE(c.ok()) << cpe;
  return Component{c.ok() ? *c : Cpe{}, s};
}

TEST(Nvd, VersionRangesDecide) {
  NvdCve tf = Load("CVE-2022-29194");
  EXPECT_EQ(tf.id, "CVE-2022-29194");
  EXPECT_FALSE(tf.cvss_vectors.empty());
  auto a = Evaluate(tf, {C("cpe:2.3:a:google:tensorflow:2.6.3:*:*:*:*:*:*:*")});
  EXPECT_EQ(a.verdict, Verdict::kAffected);
  ASSERT_FALSE(a.evidence.empty());
  EXPECT_EQ(a.evidence[0].bound, "versionEndExcluding 2.6.4");
  EXPECT_EQ(Tr(Lang::kJa, a.evidence[0].key, a.evidence[0].args),
            "バージョン 2.6.3 が脆弱な範囲（versionEndExcluding 2.6.4）にあります");
  EXPECT_EQ(Evaluate(tf, {C("cpe:2.3:a:google:tensorflow:2.6.4:*:*:*:*:*:*:*")}).verdict,
            Verdict::kNotAffected);
  EXPECT_EQ(Evaluate(tf, {C("cpe:2.3:a:google:tensorflow:2.7.1:*:*:*:*:*:*:*")}).verdict,
            Verdict::kAffected);
  EXPECT_EQ(Evaluate(tf, {C("cpe:2.3:a:google:tensorflow:2.9.0:rc1:*:*:*:*:*:*")}).verdict,
            Verdict::kAffected);
  EXPECT_EQ(Evaluate(tf, {C("cpe:2.3:a:google:tensorflow:2.9.0:*:*:*:*:*:*:*")}).verdict,
            Verdict::kNotAffected);
  // Unknown version: review, with the reason.
  auto r = Evaluate(tf, {C("cpe:2.3:a:google:tensorflow:*:*:*:*:*:*:*:*")});
  EXPECT_EQ(r.verdict, Verdict::kReview);
  // Another product: not affected.
  EXPECT_EQ(Evaluate(tf, {C("cpe:2.3:a:google:chrome:100.0:*:*:*:*:*:*:*")}).verdict,
            Verdict::kNotAffected);
}

TEST(Nvd, RunningOnConfigurationsNeedThePlatform) {
  NvdCve esp = Load("CVE-2020-13595");
  auto idf = C("cpe:2.3:a:espressif:esp-idf:4.1:*:*:*:*:*:*:*");
  auto chip = C("cpe:2.3:h:espressif:esp32:-:*:*:*:*:*:*:*");
  auto a = Evaluate(esp, {idf, chip});
  EXPECT_EQ(a.verdict, Verdict::kAffected);
  EXPECT_EQ(a.evidence[0].bound, "versionStartIncluding 4.0.0, versionEndIncluding 4.2");
  EXPECT_EQ(Evaluate(esp, {idf}).verdict, Verdict::kNotAffected);  // not on an ESP32
  EXPECT_EQ(Evaluate(esp, {C("cpe:2.3:a:espressif:esp-idf:4.3:*:*:*:*:*:*:*"), chip}).verdict,
            Verdict::kNotAffected);
  EXPECT_EQ(Evaluate(esp, {C("cpe:2.3:a:espressif:esp-idf:4.2:*:*:*:*:*:*:*"), chip}).verdict,
            Verdict::kAffected);  // EndIncluding
  EXPECT_EQ(Evaluate(esp, {C("cpe:2.3:a:*:esp-idf:4.1:*:*:*:*:*:*:*"), chip}).verdict,
            Verdict::kReview);  // the vendor is not known
}

TEST(Nvd, ACriterionWithoutBoundsIsReviewNotAffected) {
  auto r = ReadNvdCves(R"({"cve":{"id":"CVE-2099-0001","configurations":[{"nodes":[{"operator":"OR",
    "cpeMatch":[{"vulnerable":true,"criteria":"cpe:2.3:a:acme:pacs_viewer:*:*:*:*:*:*:*:*"}]}]}]}})",
                       "one.json");
  ASSERT_TRUE(r.ok());
  auto a = Evaluate(r->front(), {C("cpe:2.3:a:acme:pacs_viewer:3.2:*:*:*:*:*:*:*")});
  EXPECT_EQ(a.verdict, Verdict::kReview);
  ASSERT_EQ(a.evidence.size(), 1u);
  EXPECT_EQ(a.evidence[0].key, "nvd.ev_unbounded");
}

// A criterion naming an attribute the component leaves open (Acrobat's "continuous" track, a
// target software): review only where the version could be vulnerable — open and out of range is
// not affected (Kleene: unknown and false is false), so a ledger's Acrobat without its track is
// not flagged for every Acrobat CVE ever. The same holds for a vendor left open.
// PlainKey, the matcher's first test of a criterion against a component: equal for values that
// differ only in the case of ASCII letters, different otherwise (no collision among these), and
// 0 exactly for an empty value, NA, or a value with a wildcard or an escape (CpeHasSpecial).
TEST(Nvd, PlainKeyFoldsAsciiCaseAndRefusesSpecials) {
  std::vector<std::string> values;
  const std::string letters = "OpenSSL_Fortinet-FortiOS.Windows10\xC3\x89\x80z@[`{";
  for (size_t n = 0; n <= 40; ++n)
    for (size_t from : {size_t{0}, size_t{3}, size_t{11}})
      values.push_back(letters.substr(from % letters.size(), n));
  for (const char* special : {"a*", "*", "?x", "c\\+\\+", "windows_10_*", "12345678?", "-"})
    values.emplace_back(special);
  auto fold = [](std::string v) {
    for (char& c : v)
      if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    return v;
  };
  std::map<uint64_t, std::string> seen;
  for (const auto& v : values) {
    uint64_t key = PlainKey(v);
    EXPECT_EQ(PlainKey(fold(v)), key) << v;
    EXPECT_EQ(key != 0, !v.empty() && v != "-" && !CpeHasSpecial(v)) << v;
    if (key == 0) continue;
    auto [it, fresh] = seen.try_emplace(key, fold(v));
    EXPECT_TRUE(fresh || it->second == fold(v)) << v << " and " << it->second;
  }
  // Bytes past ASCII are not letters: "\xC3\x89" (É) is not "\xE3\xA9".
  EXPECT_NE(PlainKey("\xC3\x89"), PlainKey("\xE3\xA9"));
}

TEST(Nvd, AnOpenAttributeIsReviewOnlyWithinTheBounds) {
  auto r = ReadNvdCves(R"({"cve":{"id":"CVE-2099-0002","configurations":[{"nodes":[{"operator":"OR",
    "cpeMatch":[{"vulnerable":true,"versionEndExcluding":"23.006.20320",
    "criteria":"cpe:2.3:a:adobe:acrobat_reader_dc:*:*:*:*:continuous:*:*:*"}]}]}]}})",
                       "one.json");
  ASSERT_TRUE(r.ok());
  auto verdict = [&](const char* cpe) {
    Component c = C(cpe);
    Verdict full = Evaluate(r->front(), {c}).verdict;
    ComponentKeys keys = KeysOf(c);
    EXPECT_EQ(EvaluateVerdict(r->front().configurations, {&c}, &keys), full) << cpe;
    return full;
  };
  auto in =
      Evaluate(r->front(), {C("cpe:2.3:a:adobe:acrobat_reader_dc:22.003.20282:*:*:*:*:*:*:*")});
  EXPECT_EQ(in.verdict, Verdict::kReview);
  ASSERT_EQ(in.evidence.size(), 1u);
  EXPECT_EQ(in.evidence[0].key, "cpe.review_unknown");
  EXPECT_EQ(in.evidence[0].args, (std::vector<std::string>{"sw_edition", "continuous"}));
  EXPECT_EQ(verdict("cpe:2.3:a:adobe:acrobat_reader_dc:22.003.20282:*:*:*:*:*:*:*"),
            Verdict::kReview);
  EXPECT_EQ(verdict("cpe:2.3:a:adobe:acrobat_reader_dc:24.001.20604:*:*:*:*:*:*:*"),
            Verdict::kNotAffected);
  EXPECT_EQ(verdict("cpe:2.3:a:adobe:acrobat_reader_dc:22.003.20282:*:*:*:continuous:*:*:*"),
            Verdict::kAffected);
  EXPECT_EQ(verdict("cpe:2.3:a:adobe:acrobat_reader_dc:22.003.20282:*:*:*:classic:*:*:*"),
            Verdict::kNotAffected);
  EXPECT_EQ(verdict("cpe:2.3:a:*:acrobat_reader_dc:22.003.20282:*:*:*:continuous:*:*:*"),
            Verdict::kReview);
  EXPECT_EQ(verdict("cpe:2.3:a:*:acrobat_reader_dc:24.001.20604:*:*:*:continuous:*:*:*"),
            Verdict::kNotAffected);
  EXPECT_EQ(verdict("cpe:2.3:a:adobe:acrobat_reader_dc:*:*:*:*:*:*:*:*"), Verdict::kReview);
}

TEST(Nvd, EveryRecordInTheSharedDataReads) {
  const char* shared = std::getenv("MAMORI_SHARED_DIR");
  ASSERT_NE(shared, nullptr);
  int records = 0;
  int configurations = 0;
  for (const auto& e : std::filesystem::directory_iterator(
           std::string(shared) + "/testdata/vuln/nvd/osvdev-nvdcve-2.0")) {
    std::ifstream f(e.path());
    std::stringstream ss;
    ss << f.rdbuf();
    auto r = ReadNvdCves(ss.str(), e.path().filename().string());
    ASSERT_TRUE(r.ok()) << e.path() << ": " << r.error().Message(Lang::kEn);
    for (const auto& c : *r) {
      ++records;
      configurations += static_cast<int>(c.configurations.size());
    }
  }
  EXPECT_EQ(records, 23);
  EXPECT_GT(configurations, 20);
}

TEST(Nvd, MalformedRecordsNameTheField) {
  auto r = ReadNvdCves(
      R"({"vulnerabilities":[{"cve":{"id":"CVE-1","configurations":[{"nodes":[{"cpeMatch":[{"criteria":"cpe:/a:x"}]}]}]}}]})",
      "page.json");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().Message(Lang::kEn),
            "page.json: vulnerabilities[0] CVE-1 configurations[0] nodes[0] cpeMatch[0]: cannot "
            "read \"criteria cpe:/a:x\"");
  EXPECT_FALSE(ReadNvdCves("not json", "x.json").ok());
  // Both forms of one bound, and a flag that is not a boolean, are named too.
  auto both = ReadNvdCves(
      R"({"cve":{"id":"CVE-2","configurations":[{"nodes":[{"cpeMatch":[{"criteria":"cpe:2.3:a:v:p:*:*:*:*:*:*:*:*","versionStartIncluding":"1","versionStartExcluding":"1"}]}]}]}})",
      "one.json");
  ASSERT_FALSE(both.ok());
  EXPECT_EQ(both.error().Message(Lang::kEn),
            "one.json: cve CVE-2 configurations[0] nodes[0] cpeMatch[0]: cannot read "
            "\"versionStartIncluding, versionStartExcluding\"");
  auto flag = ReadNvdCves(
      R"({"cve":{"id":"CVE-3","configurations":[{"nodes":[{"cpeMatch":[{"criteria":"cpe:2.3:a:v:p:*:*:*:*:*:*:*:*","vulnerable":"yes"}]}]}]}})",
      "one.json");
  ASSERT_FALSE(flag.ok());
  EXPECT_EQ(flag.error().Message(Lang::kEn),
            "one.json: cve CVE-3 configurations[0] nodes[0] cpeMatch[0]: cannot read "
            "\"vulnerable\"");
  // The configurations alone, as the matcher reads them back from the store.
  EXPECT_FALSE(ParseConfigurations("[{\"nodes\": 3}]", "CVE-4").ok());
}

}  // namespace
}  // namespace mamori::vuln
