// A real mamori server on a free loopback port over a temporary SQLite database, with two
// organisations (tenants) and users of every role, and a small HTTP client that logs in like the
// web front end does (cookie + CSRF token).
#pragma once

#include <gtest/gtest.h>
#include <httplib.h>

#include <atomic>
#include <map>
#include <memory>
#include <thread>

#include "auth/auth_service.hpp"
#include "core/json_body.hpp"
#include "ledger/ledger_service.hpp"
#include "server/server.hpp"
#include "support/pg_server.hpp"

namespace mamori::testing {

struct HttpResult {
  int status = 0;
  Json json;
  std::string body;
  std::string set_cookie;
  std::string content_type;
};

class ApiClient {
 public:
  explicit ApiClient(int port) : http_("127.0.0.1", port) { http_.set_read_timeout(30, 0); }
  HttpResult Login(const std::string& user, const std::string& password,
                   const std::string& totp = "");
  HttpResult Get(const std::string& path) { return Send("GET", path, ""); }
  HttpResult Post(const std::string& path, const Json& body) {
    return Send("POST", path, body.dump());
  }
  HttpResult Patch(const std::string& path, const Json& body) {
    return Send("PATCH", path, body.dump());
  }
  HttpResult Put(const std::string& path, const Json& body) {
    return Send("PUT", path, body.dump());
  }
  HttpResult Delete(const std::string& path) { return Send("DELETE", path, ""); }
  HttpResult Send(const std::string& method, const std::string& path, const std::string& body,
                  const std::string& content_type = "application/json");

  std::string cookie;
  std::string csrf;
  std::string bearer;
  bool send_csrf = true;
  std::string lang;

 private:
  httplib::Client http_;
};

struct Tenant {
  int64_t org_id = 0;
  int64_t vendor_a = 0;  // has a vendor user
  int64_t vendor_b = 0;
  int64_t system_a = 0, system_b = 0;
  int64_t asset_a = 0, asset_b = 0;  // an asset of each vendor
};

// Real time plus an offset the test can move forward (lockout expiry, session timeouts).
class OffsetClock final : public Clock {
 public:
  UnixMillis Now() const override { return SystemClock().Now() + offset_.load(); }
  void Advance(UnixMillis ms) { offset_ += ms; }

 private:
  std::atomic<UnixMillis> offset_{0};
};

class ApiTest : public ::testing::Test {
 protected:
  static constexpr const char* kPassword = "Test-Pass-2026";
  void SetUp() override;
  void TearDown() override;

  // Users: "<prefix>admin", "<prefix>staff", "<prefix>vendor" (of vendor_a), "<prefix>inspector",
  // "<prefix>auditor"; tenant 1 has prefix "", tenant 2 prefix "t2-".
  ApiClient As(const std::string& user);
  ApiClient Anonymous() { return ApiClient(server_->port()); }
  Json AuditActions(int64_t org_id);

  TempDir dir_;
  OffsetClock clock_;
  std::unique_ptr<store::Database> db_;
  std::unique_ptr<server::Server> server_;
  std::thread thread_;
  Tenant t1_, t2_;
  auth::AuthPolicy policy_;
};

}  // namespace mamori::testing
