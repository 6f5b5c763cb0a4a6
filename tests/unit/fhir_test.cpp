// FHIR AuditEvent from the real examples in ../shared/testdata/logs/fhir-auditevent: the HL7
// source XML and its JSON twin map to the same event; the old DSTU2 example shape; a Bundle;
// a resource that is not an AuditEvent and a bad time named.
#include "logs/fhir.hpp"

#include <gtest/gtest.h>

#include <fstream>

namespace mamori::logs {
namespace {

std::string Read(const std::string& rel) {
  const char* s = std::getenv("MAMORI_SHARED_DIR");
  std::ifstream in(
      std::string(s != nullptr ? s : "../shared") + "/testdata/logs/fhir-auditevent/" + rel,
      std::ios::binary);
  return {(std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>()};
}

SyslogContext Ctx() {
  SyslogContext c;
  c.received = *ParseTime("2026-12-01T12:00:00+09:00");
  c.source = "fhir";
  return c;
}

TEST(Fhir, XmlAndItsJsonTwinGiveTheSameEvent) {
  for (const char* name : {"auditevent-example-search", "auditevent-example-disclosure",
                           "auditevent-example-breakglass-start"}) {
    auto x = ParseFhirAuditEvents(Read(std::string("hl7-fhir-source-xml/") + name + ".xml"), Ctx(),
                                  name);
    auto j = ParseFhirAuditEvents(Read(std::string("json/") + name + ".derived.json"), Ctx(), name);
    ASSERT_TRUE(x.ok()) << name << ": " << x.error().Message(Lang::kJa);
    ASSERT_TRUE(j.ok()) << name << ": " << j.error().Message(Lang::kJa);
    ASSERT_EQ(x->size(), 1u);
    const auto& a = x->front();
    const auto& b = j->front();
    EXPECT_EQ(a.time, b.time) << name;
    EXPECT_EQ(a.action, b.action) << name;
    EXPECT_EQ(a.user, b.user) << name;
    EXPECT_EQ(a.object, b.object) << name;
    EXPECT_EQ(a.outcome, b.outcome) << name;
    EXPECT_EQ(a.src_ip, b.src_ip) << name;
    EXPECT_EQ(a.format, "fhir");
  }
  auto d =
      ParseFhirAuditEvents(Read("json/auditevent-example-disclosure.derived.json"), Ctx(), "d");
  ASSERT_TRUE(d.ok());
  EXPECT_EQ(d->front().user, "SomeIdiot@nowhere");
  EXPECT_EQ(d->front().object, "example");  // Patient/example
  EXPECT_EQ(d->front().outcome, Outcome::kSuccess);
  EXPECT_EQ(FormatJst(d->front().time), "2013-09-22T09:08:00+09:00");
}

TEST(Fhir, ShiftJisTextIsConvertedNotAborted) {
  // audit_fuzz found it: bytes that are not UTF-8 in an XML value reached the JSON writer. A
  // Japanese system's Shift_JIS (CP932) name is converted; the event is stored and printed.
  std::string xml = Read("hl7-fhir-source-xml/auditevent-example-disclosure.xml");
  auto at = xml.find("SomeIdiot@nowhere");
  ASSERT_NE(at, std::string::npos);
  xml.replace(at, 17, "\x8E\x52\x93\x63");  // 山田 in CP932
  auto r = ParseFhirAuditEvents(xml, Ctx(), "sjis.xml");
  ASSERT_TRUE(r.ok()) << r.error().Message(Lang::kJa);
  EXPECT_EQ(r->front().user, "山田");
  EXPECT_FALSE(r->front().Serialise().empty());
}

TEST(Fhir, TheOldDstu2ExampleShape) {
  auto r =
      ParseFhirAuditEvents(Read("json/auditevent-example.hl7-fhir-github-io.json"), Ctx(), "e");
  ASSERT_TRUE(r.ok()) << r.error().Message(Lang::kJa);
  EXPECT_EQ(r->front().action, "Application Start");
  EXPECT_EQ(r->front().outcome, Outcome::kSuccess);
  EXPECT_EQ(FormatJst(r->front().time), "2012-10-25T20:04:27+09:00");
}

TEST(Fhir, BundlesAndErrors) {
  Json a = Json::parse(Read("json/auditevent-example-search.derived.json"));
  Json b = Json::parse(Read("json/auditevent-example-disclosure.derived.json"));
  Json bundle = {
      {"resourceType", "Bundle"},
      {"type", "batch"},
      {"entry",
       {{{"resource", a}}, {{"resource", b}}, {{"resource", {{"resourceType", "Patient"}}}}}}};
  auto r = ParseFhirAuditEvents(bundle.dump(), Ctx(), "bundle.json");
  ASSERT_TRUE(r.ok()) << r.error().Message(Lang::kJa);
  EXPECT_EQ(r->size(), 2u);
  auto patient = ParseFhirAuditEvents(R"({"resourceType":"Patient"})", Ctx(), "p.json");
  ASSERT_FALSE(patient.ok());
  EXPECT_NE(patient.error().Message(Lang::kJa).find("Patient"), std::string::npos);
  a["recorded"] = "yesterday";
  auto bad = ParseFhirAuditEvents(a.dump(), Ctx(), "bad.json");
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.error().Message(Lang::kJa).find("recorded yesterday"), std::string::npos);
}

}  // namespace
}  // namespace mamori::logs
