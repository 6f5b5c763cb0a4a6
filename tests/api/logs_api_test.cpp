// Access logs through the API: FHIR AuditEvent posted by a system with an API token (JSON and
// XML, the real HL7 examples), search, each organisation its own store, roles, the registry,
// a review with its PDF and sign-off, verification, and the 2-(6) suggestion built from them.
#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>

#include "api/api_fixture.hpp"

namespace mamori::testing {
namespace {

std::string Shared(const std::string& rel) {
  const char* s = std::getenv("MAMORI_SHARED_DIR");
  std::ifstream in(std::string(s != nullptr ? s : "../shared") + "/testdata/logs/fhir-auditevent/" +
                   rel);
  return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

class LogsApi : public ApiTest {
 protected:
  Json AccessLogRow(ApiClient& c) {
    auto r = c.Get("/api/v1/checklist/assessment");
    EXPECT_EQ(r.status, 200) << r.body;
    for (const auto& it : r.json["items"])
      if (it["text"].get<std::string>().find("アクセスログ") != std::string::npos) return it;
    ADD_FAILURE() << "no access-log item";
    return Json();
  }
};

TEST_F(LogsApi, FhirAuditEventSearchReviewSignOffAndTheChecklist) {
  auto staff = As("staff");
  auto created =
      staff.Post("/api/v1/auth/tokens", Json{{"name", "EHR 監査ログ送信"}, {"days", 30}});
  ASSERT_EQ(created.status, 201);
  ApiClient ehr = Anonymous();
  ehr.bearer = created.json["token"];

  std::string json = Shared("json/auditevent-example.hl7-fhir-github-io.json");
  std::string xml = Shared("hl7-fhir-source-xml/auditevent-example-disclosure.xml");
  ASSERT_FALSE(json.empty());
  ASSERT_FALSE(xml.empty());
  auto r = ehr.Send("POST", "/fhir/AuditEvent", json, "application/fhir+json");
  ASSERT_EQ(r.status, 201) << r.body;
  EXPECT_EQ(r.json["resourceType"], "OperationOutcome");
  r = ehr.Send("POST", "/fhir/AuditEvent", xml, "application/fhir+xml");
  ASSERT_EQ(r.status, 201) << r.body;
  // Not an AuditEvent: refused with an OperationOutcome that says why; nothing stored.
  r = ehr.Send("POST", "/fhir/AuditEvent", R"({"resourceType": "Patient", "id": "x"})",
               "application/fhir+json");
  EXPECT_EQ(r.status, 400) << r.body;
  EXPECT_EQ(r.json["resourceType"], "OperationOutcome");
  // Other content types stay refused (the CSRF rule).
  EXPECT_EQ(ehr.Send("POST", "/fhir/AuditEvent", json, "text/plain").status, 400);

  auto events = staff.Get("/api/v1/logs/events?limit=10");
  ASSERT_EQ(events.status, 200) << events.body;
  EXPECT_EQ(events.json["total"], 2);
  for (const auto& e : events.json["items"]) {
    EXPECT_EQ(e["format"], "fhir");
    EXPECT_EQ(e["source"], "staff");  // the token's user names the sending system
  }
  EXPECT_EQ(staff.Get("/api/v1/logs/events?outcome=success&limit=10").json["total"].get<int>() +
                staff.Get("/api/v1/logs/events?outcome=failure&limit=10").json["total"].get<int>() +
                staff.Get("/api/v1/logs/events?outcome=unknown&limit=10").json["total"].get<int>(),
            2);
  EXPECT_EQ(staff.Get("/api/v1/logs/events?from=nonsense").status, 400);
  // Another organisation has its own store: nothing of the first one's.
  auto other = As("t2-admin");
  EXPECT_EQ(other.Get("/api/v1/logs/events").json["total"], 0);
  // Access logs name patients and staff: no vendor, no inspector.
  EXPECT_EQ(As("vendor").Get("/api/v1/logs/events").status, 403);
  EXPECT_EQ(As("inspector").Get("/api/v1/logs/sources").status, 403);
  EXPECT_EQ(As("auditor").Get("/api/v1/logs/events").status, 200);
  EXPECT_EQ(As("auditor").Post("/api/v1/logs/verify", Json::object()).status, 403);

  // Before anything is registered, reviewed or verified, 2-(6) is "no" with each reason.
  auto admin = As("admin");
  auto row = AccessLogRow(admin);
  EXPECT_EQ(row["suggested"], "no") << row.dump(1);

  // The registry: the EHR registered under the token user's name is alive.
  r = admin.Post("/api/v1/logs/sources", Json{{"name", "staff"},
                                              {"description", "電子カルテの監査ログ"},
                                              {"kind", "fhir"},
                                              {"transport", "http"},
                                              {"expected_interval_minutes", 60}});
  ASSERT_EQ(r.status, 201) << r.body;
  int64_t source_id = r.json["id"];
  EXPECT_EQ(admin.Post("/api/v1/logs/sources", Json{{"name", "x"}, {"kind", "pdf"}}).status, 400);
  auto sources = admin.Get("/api/v1/logs/sources");
  ASSERT_EQ(sources.status, 200);
  ASSERT_EQ(sources.json["sources"].size(), 1u);
  EXPECT_EQ(sources.json["sources"][0]["state"], "ok") << sources.body;
  EXPECT_EQ(sources.json["sources"][0]["events_total"], 2);
  EXPECT_EQ(admin
                .Patch("/api/v1/logs/sources/" + std::to_string(source_id),
                       Json{{"skew_tolerance_seconds", 120}})
                .json["skew_tolerance_seconds"],
            120);

  // A review of the period the examples fall in, its PDF, the sign-off (once).
  r = admin.Post("/api/v1/logs/reviews", Json{{"from", "2010-01-01"}, {"to", "2030-12-31"}});
  ASSERT_EQ(r.status, 201) << r.body;
  int64_t id = r.json["id"];
  EXPECT_EQ(r.json["summary"]["totals"]["events"], 2);
  auto pdf = admin.Get("/api/v1/logs/reviews/" + std::to_string(id) + "/report");
  EXPECT_EQ(pdf.status, 200);
  EXPECT_EQ(pdf.body.rfind("%PDF", 0), 0u);
  EXPECT_EQ(other.Get("/api/v1/logs/reviews/" + std::to_string(id)).status, 404);
  auto signed_off = admin.Post("/api/v1/logs/reviews/" + std::to_string(id) + "/signoff",
                               Json{{"comment", "不審なアクセスなし"}});
  ASSERT_EQ(signed_off.status, 200) << signed_off.body;
  EXPECT_EQ(signed_off.json["signed_by"], "admin");
  EXPECT_EQ(
      admin.Post("/api/v1/logs/reviews/" + std::to_string(id) + "/signoff", Json::object()).status,
      409);
  auto exported = As("auditor").Get("/api/v1/logs/export?from=2010-01-01&to=2031-01-01");
  ASSERT_EQ(exported.status, 200) << exported.body;
  auto range = Json::parse(exported.body);
  EXPECT_EQ(range["events"].size(), 2u);
  EXPECT_EQ(range["format"], "mamori-log-export-1");
  auto verified = admin.Post("/api/v1/logs/verify", Json::object());
  ASSERT_EQ(verified.status, 200) << verified.body;
  EXPECT_TRUE(verified.json["ok"].get<bool>());
  EXPECT_EQ(admin.Get("/api/v1/logs/status").json["last_verification"]["ok"], true);

  // Retention: the events just received are not due; only an administrator may expire.
  EXPECT_EQ(staff.Post("/api/v1/logs/expire", Json{{"dry_run", true}}).status, 403);
  auto expire = admin.Post("/api/v1/logs/expire", Json{{"dry_run", true}});
  ASSERT_EQ(expire.status, 200) << expire.body;
  ASSERT_EQ(expire.json["due"].size(), 1u);
  EXPECT_EQ(expire.json["due"][0]["source"], "staff");
  EXPECT_EQ(expire.json["due"][0]["due"], 0);
  EXPECT_TRUE(expire.json["record"].is_null());
  EXPECT_EQ(admin.Post("/api/v1/logs/expire", Json::object()).json["record"], nullptr);
  EXPECT_EQ(As("auditor").Get("/api/v1/logs/expiries").json["items"].size(), 0u);

  row = AccessLogRow(admin);
  EXPECT_EQ(row["suggested"], "yes") << row.dump(1);
  auto actions = AuditActions(t1_.org_id);
  for (const char* a : {"log_source.create", "log_source.update", "log_review.create",
                        "log_review.sign", "logs.verify"})
    EXPECT_NE(actions.dump().find(a), std::string::npos) << a;

  // The scheduled run (`mamori serve --expire-at`) over every organisation, as if six years on:
  // the staff source's events are past its five years — removed with a signed record, audited
  // as the schedule's; an organisation without a log store is left out.
  auto runs = server_->ExpireLogs(SystemClock().Now() + 6LL * 366 * 24 * 3600 * 1000);
  ASSERT_TRUE(runs.ok()) << runs.error().Message(Lang::kJa);
  ASSERT_EQ(runs->size(), 1u);
  EXPECT_EQ(runs->front().org_id, t1_.org_id);
  EXPECT_FALSE(runs->front().error.has_value());
  ASSERT_TRUE(runs->front().record.has_value());
  EXPECT_EQ(runs->front().record->count, 2u);
  EXPECT_EQ(runs->front().record->by, "schedule:serve");
  EXPECT_EQ(As("auditor").Get("/api/v1/logs/expiries").json["items"].size(), 1u);
  EXPECT_NE(AuditActions(t1_.org_id).dump().find("logs.expire"), std::string::npos);
  verified = admin.Post("/api/v1/logs/verify", Json::object());
  EXPECT_TRUE(verified.json["ok"].get<bool>()) << verified.body;
}

}  // namespace
}  // namespace mamori::testing
