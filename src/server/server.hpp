// The HTTP server: JSON REST API under /api/v1 (OpenAPI at /api/v1/openapi.json), the web front
// end as static files, /healthz and /metrics. cpp-httplib underneath; TLS through OpenSSL.
#pragma once

#include <memory>
#include <string>

#include "auth/auth_service.hpp"
#include "core/result.hpp"
#include "logs/logs_service.hpp"
#include "store/store.hpp"

namespace mamori::server {

struct ServerOptions {
  std::string host = "127.0.0.1";
  int port = 8080;  // 0: any free port (tests)
  std::string tls_cert;
  std::string tls_key;
  std::string web_root;         // directory with index.html; empty: no front end
  bool secure_cookies = false;  // set the Secure flag (always with TLS; behind a TLS proxy too)
  size_t max_body_bytes = 48 << 20;  // imports send workbooks (base64) in the body
  // cpp-httplib gives each keep-alive connection a worker while it is open: size for the
  // number of browsers and scripts connected at once.
  int threads = 32;
  // The access-log store (logs/ directory); empty: the logs endpoints answer "not configured".
  // The first organisation's store is this directory, others' are under orgs/<id>.
  std::string log_dir;
  // Where large uploads (offline vulnerability bundles) are assembled; empty: refused.
  std::string upload_dir;
};

class Server {
 public:
  Server(store::Database& db, ServerOptions options, auth::AuthPolicy policy = {});
  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  Status Bind();  // binds the socket; afterwards port() is known
  [[nodiscard]] int port() const;
  void Run();   // serves until Stop()
  void Stop();  // graceful: finishes requests in flight
  // The first organisation's log store (for syslog receivers run beside the server), or nullptr.
  logs::LogsService* FirstOrgLogs();
  // Retention expiry of every organisation's log store (a scheduled run, audited as
  // "schedule"): per organisation what it did, or why it failed. Organisations without a store
  // are left out.
  struct OrgExpiry {
    int64_t org_id = 0;
    std::optional<logs::ExpiryRecord> record;  // nullopt: nothing was due
    std::optional<Error> error;
  };
  Result<std::vector<OrgExpiry>> ExpireLogs(UnixMillis now);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace mamori::server
