// VEX in and out. Every VEX example of the shared data reads (CycloneDX use cases and CISA use
// cases, the OASIS CSAF VEX examples, Chainguard and Canonical OpenVEX); the statements carry the
// status, justification (mapped onto the CSAF five), product and author their documents state;
// statements decide findings by component, by product (SBOM serial, subject, model, maker), the
// latest one winning, never over a person's triage; what mamori writes reads back.
#include "vuln/vex.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "core/i18n.hpp"
#include "vuln/vex_apply.hpp"
#include "vuln/vex_export.hpp"

namespace mamori::vuln {
namespace {

namespace fs = std::filesystem;

std::string Shared() {
  const char* s = std::getenv("MAMORI_SHARED_DIR");
  return std::string(s ? s : "../shared") + "/testdata/vuln/";
}

std::string ReadAll(const fs::path& p) {
  std::ifstream f(p, std::ios::binary);
  std::stringstream ss;
  ss << f.rdbuf();
  return ss.str();
}

VexDocument Read(const std::string& rel) {
  auto d = ReadVex(ReadAll(Shared() + rel), rel);
  EXPECT_TRUE(d.ok()) << rel << ": " << (d.ok() ? "" : d.error().Message(Lang::kEn));
  return d.ok() ? *d : VexDocument{};
}

TEST(Vex, EverySharedExampleReads) {
  int docs = 0;
  for (const char* dir :
       {"vex/cyclonedx", "vex/openvex-chainguard", "vex/ubuntu-openvex", "csaf/oasis/csaf_vex"})
    for (const auto& e : fs::recursive_directory_iterator(Shared() + dir)) {
      if (e.path().extension() != ".json") continue;
      std::string bytes = ReadAll(e.path());
      std::string kind = DetectVex(bytes);
      if (e.path().filename().string().starts_with("bom")) {
        EXPECT_EQ(kind, "") << e.path();  // an SBOM without analyses is not a VEX
        continue;
      }
      ASSERT_NE(kind, "") << e.path();
      auto d = ReadVex(bytes, e.path().string());
      ASSERT_TRUE(d.ok()) << e.path() << ": " << d.error().Message(Lang::kEn);
      EXPECT_EQ(d->format, kind);
      EXPECT_FALSE(d->statements.empty()) << e.path();
      for (const auto& s : d->statements) {
        EXPECT_FALSE(s.products.empty());
        for (const auto& p : s.products) EXPECT_TRUE(p.HasComponent() || p.HasProduct());
      }
      ++docs;
    }
  EXPECT_EQ(docs, 25 + 2 + 1 + 13);  // CycloneDX, Chainguard, Canonical, OASIS CSAF VEX
}

TEST(Vex, CycloneDxStatesAndBomLinks) {
  auto na = Read("vex/cyclonedx/CISA-Use-Cases/Case-1/vex-not_affected.json");
  ASSERT_EQ(na.statements.size(), 1u);
  const auto& s = na.statements[0];
  EXPECT_EQ(s.vulnerability, "CVE-2021-44228");
  EXPECT_EQ(s.status, "not_affected");
  EXPECT_EQ(s.original_justification, "code_not_present");
  EXPECT_EQ(s.justification, "vulnerable_code_not_present");
  EXPECT_EQ(s.products[0].product_name, "ABC");
  EXPECT_EQ(s.products[0].product_version, "4.2");
  EXPECT_EQ(Read("vex/cyclonedx/CISA-Use-Cases/Case-1/vex-fixed.json").statements[0].status,
            "fixed");
  EXPECT_EQ(Read("vex/cyclonedx/CISA-Use-Cases/Case-1/vex-affected.json").statements[0].status,
            "affected");
  EXPECT_EQ(
      Read("vex/cyclonedx/CISA-Use-Cases/Case-1/vex-under_investigation.json").statements[0].status,
      "under_investigation");
  auto links = Read("vex/cyclonedx/Use-Cases/Case-6/vex.json");
  ASSERT_EQ(links.statements[0].products.size(), 3u);
  EXPECT_EQ(links.statements[0].products[0].sbom_serial,
            "urn:uuid:2c385cf7-e1ee-46e9-a51c-13de1ecb380a");
  EXPECT_EQ(links.statements[0].products[0].bom_ref, "acme-product-1");
  auto purl = Read("vex/cyclonedx/vex.json");
  EXPECT_EQ(purl.statements[0].products[0].purl,
            "pkg:maven/com.fasterxml.jackson.core/jackson-databind@2.10.0?type=jar");
  EXPECT_EQ(purl.statements[0].justification, "vulnerable_code_not_in_execute_path");
  auto range = Read("vex/cyclonedx/Use-Cases/Case-4/vex.json");  // per-version status, a range
  ASSERT_EQ(range.statements.size(), 1u);
  EXPECT_EQ(range.statements[0].status, "not_affected");  // "unaffected" in that range
  EXPECT_EQ(range.statements[0].products[0].vers, "vers:semver/>=2.2.0|<=2.4.0");
  EXPECT_EQ(range.statements[0].products[0].product_name, "Acme Product");
  auto maker = Read("vex/cyclonedx/Use-Cases/Case-7/vex.json");  // no "affects": the maker's all
  EXPECT_EQ(maker.author, "Acme, Inc.");
  EXPECT_EQ(maker.statements[0].products[0].product_maker, "Acme, Inc.");
}

TEST(Vex, CsafProfileAndOpenVex) {
  auto csaf = Read("csaf/oasis/csaf_vex/2022-evd-uc-01-na-001.json");
  EXPECT_EQ(csaf.format, "csaf");
  EXPECT_EQ(csaf.author, "Example Company ProductCERT");
  EXPECT_EQ(csaf.id, "2022-EVD-UC-01-NA-001");
  ASSERT_EQ(csaf.statements.size(), 1u);
  EXPECT_EQ(csaf.statements[0].status, "not_affected");
  EXPECT_EQ(csaf.statements[0].products[0].product_name, "ABC");
  EXPECT_EQ(csaf.statements[0].products[0].product_version, "4.2");
  EXPECT_EQ(csaf.statements[0].detail, "Class with vulnerable code was removed before shipping.");
  auto chain = Read("vex/openvex-chainguard/urllib3.openvex.json");
  EXPECT_EQ(chain.author, "Chainguard Team");
  // The vendor's own id becomes an alias; findings carry the CVE.
  EXPECT_EQ(chain.statements[0].vulnerability, "CVE-2023-45803");
  EXPECT_NE(std::find(chain.statements[0].aliases.begin(), chain.statements[0].aliases.end(),
                      "CGA-7qjw-ggh3-pp9f"),
            chain.statements[0].aliases.end());
  EXPECT_EQ(chain.statements[0].status, "fixed");
  EXPECT_EQ(chain.statements[0].products[0].purl, "pkg:pypi/urllib3@1.26.16%2Bcgr.0");
  auto ubuntu = Read("vex/ubuntu-openvex/CVE-2023-38545.json");
  EXPECT_EQ(ubuntu.author, "Canonical Ltd.");
  EXPECT_EQ(ubuntu.statements[0].vulnerability, "CVE-2023-38545");
}

TEST(Vex, ErrorsNameFileAndPath) {
  auto bad_state = ReadVex(
      R"({"bomFormat":"CycloneDX","specVersion":"1.5","vulnerabilities":[{"id":"CVE-1","analysis":{"state":"maybe"},"affects":[{"ref":"x"}]}]})",
      "v.json");
  ASSERT_FALSE(bad_state.ok());
  EXPECT_NE(bad_state.error().Message(Lang::kEn).find("v.json: vulnerabilities[0]"),
            std::string::npos)
      << bad_state.error().Message(Lang::kEn);
  auto bad_ref = ReadVex(
      R"({"bomFormat":"CycloneDX","specVersion":"1.5","vulnerabilities":[{"id":"CVE-1","analysis":{"state":"not_affected"},"affects":[{"ref":"nowhere"}]}]})",
      "r.json");
  ASSERT_FALSE(bad_ref.ok());
  EXPECT_NE(bad_ref.error().Message(Lang::kJa).find("nowhere"), std::string::npos);
  // An advisory that states no product status has nothing to apply, and says so.
  auto advisory = ReadVex(
      R"({"document":{"category":"csaf_security_advisory","csaf_version":"2.0","tracking":{"id":"X-1"}}})",
      "a.json");
  ASSERT_FALSE(advisory.ok());
  EXPECT_NE(advisory.error().Message(Lang::kEn).find("a.json: this CSAF document "
                                                     "(csaf_security_advisory) states no product"),
            std::string::npos)
      << advisory.error().Message(Lang::kEn);
  auto vex_without = ReadVex(
      R"({"document":{"category":"csaf_vex","csaf_version":"2.0","tracking":{"id":"X-1"}}})",
      "v.json");
  ASSERT_FALSE(vex_without.ok());  // the VEX profile requires vulnerabilities
  EXPECT_NE(vex_without.error().Message(Lang::kEn).find("vulnerabilities"), std::string::npos);
  EXPECT_FALSE(ReadVex(R"({"bomFormat":"CycloneDX","components":[]})", "c.json").ok());
  EXPECT_FALSE(ReadVex("{", "b.json").ok());
}

Finding F(const char* cve, const char* key, const char* name, const char* version,
          const char* purl = "") {
  Finding f;
  f.cve = cve;
  f.component_key = key;
  f.component_name = name;
  f.component_version = version;
  f.component_purl = purl;
  f.asset_id = 1;
  return f;
}

StoredVex S(int64_t id, const char* status, VexProduct p, const char* when = "2024-01-01") {
  StoredVex v;
  v.id = id;
  v.source = "vex:test:maker:" + std::to_string(id);
  v.statement.vulnerability = "CVE-2021-44228";
  v.statement.status = status;
  v.statement.justification = "vulnerable_code_not_present";
  v.statement.timestamp = when;
  v.statement.products = {std::move(p)};
  return v;
}

TEST(VexApply, ComponentProductAndPrecedence) {
  Finding log4j = F("CVE-2021-44228", "pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1",
                    "log4j-core", "2.14.1", "pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1");
  VexTarget device;
  device.maker = "Example Company";
  device.model = "ABC";
  device.sboms.push_back({"urn:uuid:1", "ABC 4.2", {}});
  VexProduct by_purl;
  by_purl.purl = "pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1";
  VexProduct other_version;
  other_version.purl = "pkg:maven/org.apache.logging.log4j/log4j-core@2.17.1";
  VexProduct any_version;
  any_version.purl = "pkg:maven/org.apache.logging.log4j/log4j-core";
  VexProduct product;
  product.product_name = "ABC";
  product.product_version = "4.2";
  VexProduct wrong_product;
  wrong_product.product_name = "ABC";
  wrong_product.product_version = "4.1";
  VexProduct model_only;
  model_only.product_name = "Example Company ABC";
  VexProduct serial;
  serial.sbom_serial = "urn:uuid:1";
  VexProduct maker;
  maker.product_maker = "EXAMPLE COMPANY";
  // Stored and read back whole.
  for (const VexProduct* p : {&by_purl, &product, &serial, &maker})
    EXPECT_EQ(VexProduct::FromJson(p->ToJson()).ToJson(), p->ToJson());
  EXPECT_TRUE(VexHolds(by_purl, log4j, &device));
  EXPECT_FALSE(VexHolds(other_version, log4j, &device));
  EXPECT_TRUE(VexHolds(any_version, log4j, &device));
  EXPECT_TRUE(VexHolds(product, log4j, &device));
  EXPECT_FALSE(VexHolds(wrong_product, log4j, &device));
  EXPECT_TRUE(VexHolds(model_only, log4j, &device));
  EXPECT_TRUE(VexHolds(serial, log4j, &device));
  EXPECT_TRUE(VexHolds(maker, log4j, &device));
  EXPECT_FALSE(VexHolds(product, log4j, nullptr));  // a product statement needs a target
  VexProduct range;
  range.product_name = "ABC";
  range.vers = "vers:semver/>=4.0.0|<5.0.0";
  EXPECT_TRUE(VexHolds(range, log4j, &device));  // SBOM subject "ABC 4.2"
  range.vers = "vers:semver/>=4.3.0|<5.0.0";
  EXPECT_FALSE(VexHolds(range, log4j, &device));
  // A CPE that leaves the version open, beside a stated version (a CSAF product_version branch):
  // that version only.
  VexProduct cpe_open;
  cpe_open.cpe = "cpe:2.3:a:apache:log4j:*:*:*:*:*:*:*:*";
  cpe_open.version = "2.17.1";
  Finding log4j_cpe = log4j;
  log4j_cpe.component_key = "cpe:2.3:a:apache:log4j:2.14.1:*:*:*:*:*:*:*";
  EXPECT_FALSE(VexHolds(cpe_open, log4j_cpe, &device));
  cpe_open.version = "2.14.1";
  EXPECT_TRUE(VexHolds(cpe_open, log4j_cpe, &device));
  cpe_open.version.clear();
  EXPECT_TRUE(VexHolds(cpe_open, log4j_cpe, &device));  // no version anywhere: every version
  VexProduct component_range = any_version;
  component_range.vers = "vers:maven/>=2.0|<2.15.0";
  EXPECT_TRUE(VexHolds(component_range, log4j, &device));
  component_range.vers = "vers:maven/>=2.15.0";
  EXPECT_FALSE(VexHolds(component_range, log4j, &device));
  device.sboms.clear();
  EXPECT_FALSE(VexHolds(product, log4j, &device));  // a versioned product vs. a bare model

  // The latest statement decides; a later "affected" overrides an earlier "not_affected".
  std::vector<StoredVex> list{S(1, "not_affected", by_purl, "2024-01-01"),
                              S(2, "affected", any_version, "2024-06-01"),
                              S(3, "not_affected", other_version, "2025-01-01")};
  const StoredVex* d = DecidingVex(list, log4j, &device);
  ASSERT_NE(d, nullptr);
  EXPECT_EQ(d->id, 2);
  Finding f = log4j;
  EXPECT_TRUE(ApplyVex(f, list[0]));
  EXPECT_EQ(f.state, "not_affected");
  EXPECT_EQ(f.justification, "vulnerable_code_not_present");
  EXPECT_EQ(f.state_source, "vex:test:maker:1");
  EXPECT_FALSE(ApplyVex(f, list[0]));  // already so
  EXPECT_TRUE(ApplyVex(f, list[1]));   // a newer statement of a VEX
  EXPECT_EQ(f.state, "affected");
  EXPECT_EQ(f.justification, "");
  // A person's decision stays.
  Finding person = log4j;
  person.state = "accepted";
  person.state_source = "admin";
  EXPECT_FALSE(ApplyVex(person, list[0]));
  EXPECT_EQ(person.state, "accepted");
  // Another CVE: nothing.
  Finding other = log4j;
  other.cve = "CVE-2021-45046";
  EXPECT_EQ(DecidingVex(list, other, &device), nullptr);

  // A vendor's statement speaks for that vendor's devices only — even when it is the latest.
  std::vector<StoredVex> vendors{S(1, "affected", by_purl, "2024-01-01"),
                                 S(2, "not_affected", by_purl, "2024-06-01")};
  vendors[1].vendor_id = 7;
  device.vendor_id = 7;
  EXPECT_EQ(DecidingVex(vendors, log4j, &device)->id, 2);
  device.vendor_id = 8;
  EXPECT_EQ(DecidingVex(vendors, log4j, &device)->id, 1);
  device.vendor_id.reset();
  EXPECT_EQ(DecidingVex(vendors, log4j, &device)->id, 1);
  EXPECT_EQ(DecidingVex(vendors, log4j, nullptr)->id, 1);  // a bare SBOM: the hospital's only
}

// Makers' CSAF security advisories (BSI, Cisco, Red Hat — the OASIS examples and four recent
// RHSAs) read like the VEX profile: one statement per product of every product_status list, the
// category kept; an informational advisory is refused by name.
TEST(Vex, CsafSecurityAdvisoriesGiveTheirProductStatus) {
  for (const char* rel : {"csaf/oasis/bsi-2022-0001.json", "csaf/oasis/cisco-sa-20180328-smi2.json",
                          "csaf/oasis/rhsa-2021_5186.json", "csaf/oasis/rhsa-2022_0011.json",
                          "csaf/redhat/rhsa-2023_7025.json", "csaf/redhat/rhsa-2025_23414.json"}) {
    SCOPED_TRACE(rel);
    Json j = Json::parse(ReadAll(Shared() + rel));
    size_t listed = 0;
    for (const auto& v : j["vulnerabilities"])
      for (const auto& [key, ids] : v["product_status"].items()) listed += ids.size();
    VexDocument d = Read(rel);
    EXPECT_EQ(d.format, "csaf");
    EXPECT_EQ(d.category, j["document"]["category"].get<std::string>());
    EXPECT_EQ(d.id, j["document"]["tracking"]["id"].get<std::string>());
    EXPECT_EQ(d.statements.size(), listed);
    for (const auto& st : d.statements) {
      ASSERT_EQ(st.products.size(), 1U);
      EXPECT_TRUE(st.products[0].HasComponent() || st.products[0].HasProduct());
    }
  }
  // RHSA-2025:23414: bind's x86_64 package fixed as a component of RHEL 6 ELS — by package URL,
  // with the platform's CPE; the source package not affected; the remediation kept.
  VexDocument rh = Read("csaf/redhat/rhsa-2025_23414.json");
  EXPECT_EQ(rh.author, "Red Hat Product Security");
  const VexStatement* fixed = nullptr;
  const VexStatement* src = nullptr;
  for (const auto& st : rh.statements) {
    if (st.vulnerability != "CVE-2021-25220") continue;
    if (st.products[0].purl == "pkg:rpm/redhat/bind@9.8.2-0.68.rc1.el6_10.17?arch=x86_64&epoch=32")
      fixed = &st;
    if (st.products[0].purl == "pkg:rpm/redhat/bind@9.8.2-0.68.rc1.el6_10.17?arch=src&epoch=32")
      src = &st;
  }
  ASSERT_NE(fixed, nullptr);
  EXPECT_EQ(fixed->status, "fixed");
  EXPECT_EQ(fixed->products[0].product_cpe, "cpe:/o:redhat:rhel_els:6");
  EXPECT_NE(fixed->action.find("vendor_fix"), std::string::npos) << fixed->action;
  ASSERT_NE(src, nullptr);
  EXPECT_EQ(src->status, "not_affected");
  EXPECT_EQ(VexProduct::FromJson(fixed->products[0].ToJson()).ToJson(),
            fixed->products[0].ToJson());

  auto info = ReadVex(ReadAll(Shared() + "csaf/oasis/rhsa-2019_1862.json"), "rhsa-2019_1862.json");
  ASSERT_FALSE(info.ok());
  EXPECT_NE(info.error().Message(Lang::kJa).find("csaf_informational_advisory"), std::string::npos);
}

// An advisory's statement about a component of a platform holds where the target has that
// platform (its CPE, at the version or a release of it), and for that package version only.
TEST(VexApply, AdvisoryComponentOfAPlatform) {
  VexDocument rh = Read("csaf/redhat/rhsa-2025_23414.json");
  std::vector<StoredVex> list;
  for (const auto& st : rh.statements) {
    StoredVex v;
    v.id = static_cast<int64_t>(list.size()) + 1;
    v.source = VexSource(rh);
    v.statement = st;
    list.push_back(std::move(v));
  }
  const char* purl = "pkg:rpm/redhat/bind@9.8.2-0.68.rc1.el6_10.17?arch=x86_64&epoch=32";
  Finding bind = F("CVE-2021-25220", purl, "bind", "9.8.2-0.68.rc1.el6_10.17", purl);
  VexTarget els;
  els.cpes = {"cpe:2.3:o:redhat:rhel_els:6.10:*:*:*:*:*:*:*"};
  const StoredVex* d = DecidingVex(list, bind, &els);
  ASSERT_NE(d, nullptr);
  EXPECT_EQ(d->statement.status, "fixed");
  Finding f = bind;
  EXPECT_TRUE(ApplyVex(f, *d));
  EXPECT_EQ(f.state, "fixed");
  EXPECT_EQ(f.state_source, "vex:csaf:Red Hat Product Security:RHSA-2025:23414");
  VexTarget other;  // RHEL 7, or "6" read as the start of "60": not that platform
  other.cpes = {"cpe:2.3:o:redhat:rhel_els:7:*:*:*:*:*:*:*",
                "cpe:2.3:o:redhat:rhel_els:60:*:*:*:*:*:*:*"};
  EXPECT_EQ(DecidingVex(list, bind, &other), nullptr);
  EXPECT_EQ(DecidingVex(list, bind, nullptr), nullptr);  // no target, no platform
  Finding older =
      F("CVE-2021-25220", "pkg:rpm/redhat/bind@9.8.2-0.68.rc1.el6_10.16?arch=x86_64", "bind",
        "9.8.2-0.68.rc1.el6_10.16", "pkg:rpm/redhat/bind@9.8.2-0.68.rc1.el6_10.16?arch=x86_64");
  EXPECT_EQ(DecidingVex(list, older, &els), nullptr);  // the fix is in .17, not in .16
}

// product_version_range branches: a vers range holds for the versions in it; a range in words
// for none. Between statements issued together, the one about a stated version decides over the
// one about a range or every version, whatever order they were loaded in.
TEST(VexApply, CsafVersionRangesAndTheMostSpecificStatement) {
  const char* doc = R"({
    "document": {"category": "csaf_security_advisory", "csaf_version": "2.0",
                 "publisher": {"name": "Example Medical PSIRT"},
                 "tracking": {"id": "EM-2026-01", "current_release_date": "2026-01-10T00:00:00Z"}},
    "product_tree": {"branches": [{"category": "vendor", "name": "Example Medical",
      "branches": [{"category": "product_name", "name": "Viewer",
        "product": {"name": "Viewer", "product_id": "A",
                    "product_identification_helper": {"cpe": "cpe:2.3:a:example:viewer:*:*:*:*:*:*:*:*"}},
        "branches": [
        {"category": "product_version_range", "name": "vers:generic/>=1.0|<1.4",
         "product": {"name": "Viewer 1.0 - 1.3", "product_id": "R",
                     "product_identification_helper": {"cpe": "cpe:2.3:a:example:viewer:*:*:*:*:*:*:*:*"}}},
        {"category": "product_version_range", "name": "<= 0.9",
         "product": {"name": "Viewer up to 0.9", "product_id": "W",
                     "product_identification_helper": {"cpe": "cpe:2.3:a:example:viewer:*:*:*:*:*:*:*:*"}}},
        {"category": "product_version", "name": "1.4",
         "product": {"name": "Viewer 1.4", "product_id": "F",
                     "product_identification_helper": {"cpe": "cpe:2.3:a:example:viewer:1.4:*:*:*:*:*:*:*"}}}]}]}]},
    "vulnerabilities": [{"cve": "CVE-2026-0001",
      "product_status": {"fixed": ["F"], "known_affected": ["R", "W", "A"]}}]})";
  auto d = ReadVex(doc, "em.json");
  ASSERT_TRUE(d.ok()) << d.error().Message(Lang::kEn);
  ASSERT_EQ(d->statements.size(), 4U);
  auto finding = [](const char* version) {
    std::string key = std::string("cpe:2.3:a:example:viewer:") + version + ":*:*:*:*:*:*:*";
    return F("CVE-2026-0001", key.c_str(), "Viewer", version);
  };
  for (bool reversed : {false, true}) {
    SCOPED_TRACE(reversed ? "loaded in reverse" : "in document order");
    std::vector<StoredVex> list;
    for (const auto& st : d->statements) {
      StoredVex v;
      v.source = VexSource(*d);
      v.statement = st;
      list.push_back(std::move(v));
    }
    if (reversed) std::reverse(list.begin(), list.end());
    for (size_t i = 0; i < list.size(); ++i) list[i].id = static_cast<int64_t>(i) + 1;
    auto decided = [&](const char* version) {
      const StoredVex* v = DecidingVex(list, finding(version), nullptr);
      if (v == nullptr) return std::string("-");
      return v->statement.status + " " + v->statement.products[0].vers;
    };
    // 1.2: the range (more specific than "every version"); 1.4: the fixed release.
    EXPECT_EQ(decided("1.2"), "affected vers:generic/>=1.0|<1.4");
    EXPECT_EQ(decided("1.4"), "fixed ");
    // 0.8: only "every version" holds — the range in words holds for none.
    EXPECT_EQ(decided("0.8"), "affected ");
  }
}

TEST(VexExport, CycloneDxReadsBackWithTheSameStates) {
  VexExportInput in;
  in.publisher = "見本病院";
  in.publisher_category = "user";
  in.publisher_namespace = "urn:mamori:org:1";
  in.asset_id = 7;
  in.asset_name = "PACS";
  in.maker = "見本メディカル";
  in.model = "PX-1";
  in.now = "2026-12-01T10:00:00+09:00";
  in.tool_version = "0.1.0";
  const char* states[] = {"new", "affected", "not_affected", "fixed", "accepted"};
  for (int i = 0; i < 5; ++i) {
    Finding f = F(("CVE-2024-000" + std::to_string(i + 1)).c_str(),
                  "cpe:2.3:a:openssl:openssl:3.0.1:*:*:*:*:*:*:*", "OpenSSL", "3.0.1");
    f.state = states[i];
    if (f.state == "not_affected") f.justification = "inline_mitigations_already_exist";
    in.findings.push_back(f);
  }
  Json cdx = CycloneDxVex(in);
  EXPECT_EQ(cdx["components"].size(), 1u);
  auto back = ReadVex(cdx.dump(), "out.json");
  ASSERT_TRUE(back.ok()) << back.error().Message(Lang::kEn);
  ASSERT_EQ(back->statements.size(), 5u);
  const char* want[] = {"under_investigation", "affected", "not_affected", "fixed", "affected"};
  for (int i = 0; i < 5; ++i) EXPECT_EQ(back->statements[i].status, want[i]) << i;
  EXPECT_EQ(back->statements[2].justification, "inline_mitigations_already_exist");
  EXPECT_EQ(back->statements[0].products[0].cpe, "cpe:2.3:a:openssl:openssl:3.0.1:*:*:*:*:*:*:*");
  EXPECT_EQ(back->statements[0].products[0].product_name, "PX-1");
  Json csaf = CsafVex(in);
  auto csaf_back = ReadVex(csaf.dump(), "out.csaf.json");
  ASSERT_TRUE(csaf_back.ok()) << csaf_back.error().Message(Lang::kEn);
  EXPECT_EQ(csaf_back->statements.size(), 5u);
  EXPECT_EQ(csaf_back->author, "見本病院");
}

}  // namespace
}  // namespace mamori::vuln
