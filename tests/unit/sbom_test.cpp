// The SBOM reader against real documents from ../shared/testdata/vuln/sbom (see its PROVENANCE):
// an anonymised medical-device SBOM, CycloneDX examples in JSON and XML, SPDX 2.2/2.3 examples.
#include "formats/sbom.hpp"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

namespace mamori::formats {
namespace {

std::string Shared(const std::string& rel) {
  const char* dir = std::getenv("MAMORI_SHARED_DIR");
  std::ifstream in(std::string(dir ? dir : "../shared") + "/testdata/vuln/sbom/" + rel,
                   std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

TEST(Sbom, MedicalDeviceSbomKeepsTheMinimumElements) {
  for (auto [file, count] :
       {std::pair{"medical/narrow.sbom.json", 55}, std::pair{"medical/extended.sbom.json", 65}}) {
    std::string bytes = Shared(file);
    ASSERT_FALSE(bytes.empty()) << file;
    EXPECT_EQ(DetectSbomFormat(bytes), "cyclonedx");
    auto s = ReadSbom(bytes, file);
    ASSERT_TRUE(s.ok()) << s.error().Message(Lang::kEn);
    EXPECT_EQ(s->spec_version, "1.4");
    EXPECT_EQ(static_cast<int>(s->components.size()), count);
    auto m = s->MinimumElements();
    EXPECT_EQ(m.without_identifier, 0);  // every component has a CPE and a PURL
    EXPECT_TRUE(m.has_author);
    EXPECT_TRUE(m.has_timestamp);
    if (count != 55) continue;
    EXPECT_EQ(s->created, "2025-07-23T20:52:41.344402+00:00");
    const auto& first = s->components[0];
    EXPECT_EQ(first.name, "Qualcomm Atheros QCA9563");
    EXPECT_EQ(first.cpe, "cpe:2.3:h:qualcomm:atheros_qca9563:*:*:*:*:*:*:*:*");
    EXPECT_EQ(first.purl, "pkg:generic/qualcomm_atheros_qca9563");
    EXPECT_EQ(first.supplier, "Qualcomm");
    EXPECT_EQ(first.end_of_support, "Until hardware support ends");
  }
}

TEST(Sbom, CycloneDxJsonAndXmlOfOneProjectAgree) {
  auto j = ReadSbom(Shared("cyclonedx/laravel-7.12.0/bom.1.4.json"), "bom.1.4.json");
  auto x = ReadSbom(Shared("cyclonedx/laravel-7.12.0/bom.1.4.xml"), "bom.1.4.xml");
  ASSERT_TRUE(j.ok()) << j.error().Message(Lang::kEn);
  ASSERT_TRUE(x.ok()) << x.error().Message(Lang::kEn);
  EXPECT_EQ(j->encoding, "json");
  EXPECT_EQ(x->encoding, "xml");
  EXPECT_EQ(x->spec_version, "1.4");
  EXPECT_EQ(j->subject_name, x->subject_name);
  ASSERT_EQ(j->components.size(), x->components.size());
  ASSERT_EQ(j->components.size(), 62U);
  for (size_t i = 0; i < j->components.size(); ++i) {
    const auto& a = j->components[i];
    const auto& b = x->components[i];
    EXPECT_EQ(a.name, b.name) << i;
    EXPECT_EQ(a.version, b.version) << i;
    EXPECT_EQ(a.purl, b.purl) << i;
    EXPECT_EQ(a.hashes, b.hashes) << i;
    EXPECT_EQ(a.bom_ref, b.bom_ref) << i;
    EXPECT_EQ(a.depends_on, b.depends_on) << i;
    EXPECT_EQ(a.licenses, b.licenses) << i;
  }
  EXPECT_EQ(j->components[0].name, "asm89/stack-cors");
  EXPECT_EQ(j->components[0].depends_on,
            (std::vector<std::string>{"symfony/http-foundation-5.4.16.0",
                                      "symfony/http-kernel-5.4.16.0"}));
}

TEST(Sbom, Spdx23PackagesRelationshipsAndTheDescribedProduct) {
  auto s = ReadSbom(Shared("spdx/examplemaven-0.0.1-enriched.spdx.json"), "x.spdx.json");
  ASSERT_TRUE(s.ok()) << s.error().Message(Lang::kEn);
  EXPECT_EQ(s->format, "spdx");
  EXPECT_EQ(s->spec_version, "2.3");
  EXPECT_EQ(s->author, "Gary O'Neall");  // a person; tools only when nobody else is named
  EXPECT_EQ(s->created, "2024-11-18T10:22:12Z");
  for (const auto& c : s->components) EXPECT_NE(c.bom_ref, "SPDXRef-example");  // the product
  bool found = false;
  for (const auto& c : s->components)
    if (c.bom_ref == "SPDXRef-log4jslf4jbinding") found = true;
  EXPECT_TRUE(found);
  auto a = ReadSbom(Shared("spdx/appbomination.spdx.json"), "a.spdx.json");
  ASSERT_TRUE(a.ok());
  EXPECT_EQ(a->spec_version, "2.2");
}

TEST(Sbom, BadDocumentsAreNamed) {
  auto spdx3 = ReadSbom(Shared("spdx/appbomination.spdx3.json"), "x3.json");
  ASSERT_FALSE(spdx3.ok());
  EXPECT_EQ(spdx3.error().key, "sbom.unsupported_version");
  auto broken = ReadSbom(R"({"bomFormat": "CycloneDX", "specVersion": "1.5", )", "b.json");
  ASSERT_FALSE(broken.ok());
  EXPECT_EQ(broken.error().key, "sbom.bad_json");
  auto nameless = ReadSbom(
      R"({"bomFormat":"CycloneDX","specVersion":"1.6","components":[{"name":"a"},{"components":[{"version":"1"}],"name":"b"}]})",
      "n.json");
  ASSERT_FALSE(nameless.ok());
  EXPECT_NE(nameless.error().Message(Lang::kEn).find("components[1].components[0].name"),
            std::string::npos);
  auto v2 = ReadSbom(R"({"bomFormat":"CycloneDX","specVersion":"2.0"})", "v.json");
  EXPECT_EQ(v2.error().key, "sbom.unsupported_version");
  EXPECT_EQ(ReadSbom(R"({"hello":1})", "h.json").error().key, "sbom.not_sbom");
  EXPECT_EQ(ReadSbom("<bom xmlns='http://cyclonedx.org/schema/bom/1.5'><components>", "x.xml")
                .error()
                .key,
            "sbom.bad_xml");
  EXPECT_EQ(ReadSbom("[1,2]", "arr.json").error().key, "sbom.not_sbom");
  // CycloneDX 1.6 with 1.5-style tools and a manufacturer.
  auto v16 = ReadSbom(
      R"({"bomFormat":"CycloneDX","specVersion":"1.6","metadata":{"tools":{"components":[{"name":"syft"}]},"component":{"name":"DEMO-CT128","version":"3.2","manufacturer":{"name":"見本医用機器"}}},"components":[{"name":"openssl","version":"3.0.13","manufacturer":{"name":"OpenSSL"},"hashes":[{"alg":"SHA-256","content":"ab"}]}]})",
      "v16.json");
  ASSERT_TRUE(v16.ok()) << v16.error().Message(Lang::kEn);
  EXPECT_EQ(v16->author, "Tool: syft");
  EXPECT_EQ(v16->subject_supplier, "見本医用機器");
  EXPECT_EQ(v16->components[0].supplier, "OpenSSL");
  EXPECT_EQ(v16->components[0].hashes, std::vector<std::string>{"SHA-256:ab"});
}

}  // namespace
}  // namespace mamori::formats
