// IHE ATNA audit messages from the real samples in ../shared/testdata/logs/atna (oehf/ipf in the
// RFC 3881 and DICOM dialects, dcm4chee-arc's documented messages in the DICOM dialect): every
// one is read; the mapping is checked on one of each; a BOM, a patient CX identifier, an
// AuditMessage inside RFC 5424 syslog, broken XML and a missing element.
#include "logs/atna.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

namespace mamori::logs {
namespace {

std::string Dir() {
  const char* s = std::getenv("MAMORI_SHARED_DIR");
  return std::string(s != nullptr ? s : "../shared") + "/testdata/logs/atna/dicom-audit-xml/";
}

std::string Read(const std::string& p) {
  std::ifstream in(p, std::ios::binary);
  return {(std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>()};
}

SyslogContext Ctx() {
  SyslogContext c;
  c.received = *ParseTime("2026-12-01T12:00:00+09:00");
  c.source = "pacs";
  return c;
}

TEST(Atna, EveryRealSampleIsRead) {
  int files = 0, dicom = 0, rfc3881 = 0;
  for (const char* sub : {"ipf", "dcm4chee-arc-cs"}) {
    for (const auto& e : std::filesystem::directory_iterator(Dir() + sub)) {
      auto r = ParseAtna(Read(e.path().string()), Ctx(), e.path().filename().string());
      ASSERT_TRUE(r.ok()) << e.path() << ": " << r.error().Message(Lang::kJa);
      ASSERT_EQ(r->size(), 1u) << e.path();
      const auto& ev = r->front();
      EXPECT_EQ(ev.format, "atna");
      EXPECT_FALSE(ev.action.empty()) << e.path();
      // Two of dcm4chee's documented query messages have no EventDateTime: receipt time.
      EXPECT_EQ(ev.time_from_receipt, e.path().filename().string().rfind("query-0", 0) == 0 &&
                                          ev.fields["event_action"] == "E" && !ev.raw.empty() &&
                                          ev.raw.find("EventDateTime") == std::string::npos)
          << e.path();
      (ev.fields["dialect"] == "dicom" ? dicom : rfc3881)++;
      ++files;
    }
  }
  EXPECT_EQ(files, 21 + 153);
  EXPECT_GT(dicom, 150);
  EXPECT_GT(rfc3881, 0);
}

TEST(Atna, Rfc3881DialectMapping) {
  auto r = ParseAtna(Read(Dir() + "ipf/atna-record-1.xml"), Ctx(), "atna-record-1.xml");
  ASSERT_TRUE(r.ok());
  const auto& e = r->front();
  EXPECT_EQ(e.fields["dialect"], "rfc3881");
  EXPECT_EQ(e.action, "DICOM Instances Transferred");
  EXPECT_EQ(e.fields["event_id"], "110104");
  EXPECT_EQ(e.user, "smitty@readingroom.hospital.org");  // the requestor
  EXPECT_EQ(e.fields["user_name"], "Dr. Smith");
  EXPECT_EQ(e.src_ip, "192.168.1.2");
  EXPECT_EQ(e.host, "ReadingRoom");
  EXPECT_EQ(e.object, "ptid12345");  // the patient, not the study
  EXPECT_EQ(e.outcome, Outcome::kSuccess);
  // No zone in EventDateTime: the source's local time (JST by default).
  EXPECT_EQ(FormatJst(e.time), "2001-12-17T09:30:47+09:00");
}

TEST(Atna, DicomDialectMappingWithZone) {
  auto r = ParseAtna(Read(Dir() + "dcm4chee-arc-cs/patient-record-01.xml"), Ctx(), "p.xml");
  ASSERT_TRUE(r.ok());
  const auto& e = r->front();
  EXPECT_EQ(e.fields["dialect"], "dicom");
  EXPECT_EQ(e.action, "Patient Record");
  EXPECT_EQ(e.fields["event_action"], "C");
  EXPECT_EQ(e.user, "STORESCU");
  EXPECT_EQ(e.fields["src_host"], "view-localhost");
  EXPECT_EQ(e.host, "dcm4chee-arc");
  EXPECT_EQ(e.object, "54321");
  EXPECT_EQ(FormatJst(e.time), "2024-09-03T20:03:17+09:00");
  EXPECT_EQ(e.offset_minutes, 120);
}

TEST(Atna, BomPatientCxSyslogAndErrors) {
  std::string xml = Read(Dir() + "dcm4chee-arc-cs/patient-record-01.xml");
  std::string cx = xml;
  cx.replace(cx.find("ParticipantObjectID=\"54321\""), 27,
             "ParticipantObjectID=\"54321^^^&amp;1.2.392.200119.6.102.1&amp;ISO\"");
  auto bom = ParseAtna("\xEF\xBB\xBF" + cx, Ctx(), "bom.xml");
  ASSERT_TRUE(bom.ok()) << bom.error().Message(Lang::kJa);
  EXPECT_EQ(bom->front().object, "54321");
  EXPECT_EQ(bom->front().fields["objects"][0]["assigning_authority"], "1.2.392.200119.6.102.1");
  EXPECT_EQ(NormalisePatientId("P-7^^^HOSP"), (std::pair<std::string, std::string>{"P-7", "HOSP"}));

  // Inside RFC 5424 syslog, as ATNA's secure node sends it.
  std::string flat = xml.substr(xml.find("<AuditMessage"));
  std::string msg = "<85>1 2024-09-03T11:03:18.000Z pacs01 dcm4chee-arc 123 IHE+RFC-3881 - " + flat;
  bool is_syslog = false;
  auto s = ParseSyslog(msg, Ctx(), &is_syslog);
  EXPECT_TRUE(is_syslog);
  EXPECT_EQ(s.format, "atna");
  EXPECT_EQ(s.object, "54321");
  EXPECT_EQ(s.fields["syslog"]["host"], "pacs01");
  EXPECT_EQ(s.raw, msg);

  auto broken = ParseAtna("<AuditMessage>\n<EventIdentification>\n</AuditMessage>", Ctx(), "b.xml");
  ASSERT_FALSE(broken.ok());
  EXPECT_NE(broken.error().Message(Lang::kJa).find("b.xml の 3 行目"), std::string::npos)
      << broken.error().Message(Lang::kJa);
  auto missing =
      ParseAtna("<AuditMessage><ActiveParticipant UserID=\"x\"/></AuditMessage>", Ctx(), "m.xml");
  ASSERT_FALSE(missing.ok());
  EXPECT_NE(missing.error().Message(Lang::kJa).find("EventIdentification"), std::string::npos);
}

}  // namespace
}  // namespace mamori::logs
