// The API's endpoints, declared once: the server registers routes from this table and the
// OpenAPI description is generated from it (as osquery declares each table once).
#pragma once

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "audit/audit_service.hpp"
#include "auth/auth_service.hpp"
#include "checklist/checklist_service.hpp"
#include "ledger/ledger_service.hpp"
#include "logs/review.hpp"
#include "server/uploads.hpp"
#include "vuln/vuln_service.hpp"

namespace mamori::server {

struct Reply {
  int status = 200;
  Json body;  // sent as JSON unless raw is set
  std::optional<std::string> raw;
  std::string content_type = "application/json; charset=utf-8";
  std::vector<std::pair<std::string, std::string>> headers;
};

struct RequestContext {
  std::string method;
  std::string path;
  std::string body;
  std::map<std::string, std::string> params;  // query string
  std::vector<std::string> path_ids;          // {id} values in order
  std::string ip;
  std::string user_agent;
  Lang lang = Lang::kJa;
  std::optional<auth::Principal> principal;

  [[nodiscard]] store::Actor actor() const;
  [[nodiscard]] ledger::Scope scope() const;
  [[nodiscard]] std::string Param(const std::string& key, const std::string& def = "") const;
  Result<int64_t> IntParam(const std::string& key, int64_t def) const;
  Result<int64_t> PathId(size_t i = 0) const;
};

struct Services {
  store::Database& db;
  auth::AuthService& auth;
  ledger::LedgerService& ledger;
  audit::AuditService& audit;
  resilience::ResilienceService& records;
  checklist::ChecklistService& checklist;
  vuln::VulnService& vuln;
  logs::LogSourcesService& log_sources;
  logs::ReviewService& log_reviews;
  logs::LogsResolver logs_for;  // the organisation's log store (nullptr: none configured)
  UploadStore& uploads;         // large files sent in pieces (offline bundles)
  bool secure_cookies = false;
};

using Handler = std::function<Result<Reply>(RequestContext&, Services&)>;

struct Endpoint {
  const char* method;  // GET POST PATCH DELETE
  const char* path;    // OpenAPI form: /api/v1/assets/{id}
  const char* tag;
  const char* summary;  // Japanese, then English after " / "
  bool authenticated = true;
  auth::Resource resource = auth::Resource::kLedger;
  auth::Access access = auth::Access::kRead;
  bool allowed_before_totp = false;  // reachable while TOTP enrolment is pending
  Handler handler;
  bool fhir_body = false;  // also takes application/fhir+json, application/fhir+xml
};

const std::vector<Endpoint>& Endpoints();
// The ledger's imports, exports, reports, evidence and review (ledger_api.cpp).
void AddLedgerEndpoints(std::vector<Endpoint>& out);
// The checklist and the organisation's records (checklist_api.cpp).
void AddChecklistEndpoints(std::vector<Endpoint>& out);
// Vulnerabilities: findings, triage, end of support, names, policy, feeds (vuln_api.cpp).
void AddVulnEndpoints(std::vector<Endpoint>& out);
// Access logs: search, status, verification, sources, calendar, reviews, FHIR AuditEvent
// (logs_api.cpp).
void AddLogsEndpoints(std::vector<Endpoint>& out);

// A file inside a JSON body: "content_base64" decoded (at most 44 MiB of base64). Files travel in
// JSON so that every state-changing request keeps the JSON-only rule of the CSRF defence.
Result<std::string> FileContent(JsonBody& body, bool required);

Reply JsonReply(int status, Json body);
// {"items": [each.ToJson()]}, the shape of every plain listing.
template <typename T>
Reply ItemsReply(const std::vector<T>& all) {
  Json items = Json::array();
  for (const auto& x : all) items.push_back(x.ToJson());
  return JsonReply(200, Json{{"items", std::move(items)}});
}
// A file download (Content-Disposition with the UTF-8 file name).
Reply FileReply(std::string content, std::string content_type, const std::string& file_name);
Json OpenApiDocument();

// The one place where error codes become HTTP statuses.
int HttpStatusFor(ErrorCode code);
Json ErrorBody(const Error& e, Lang lang);

}  // namespace mamori::server
