// mamori serving TLS itself: a certificate made by the openssl CLI, verified by the client, and
// session cookies marked Secure.
#include <cstdlib>

#include "api/api_fixture.hpp"

namespace mamori::testing {
namespace {

class TlsApi : public ApiTest {};

TEST_F(TlsApi, ServesHttpsWithSecureCookies) {
  std::string cert = dir_.File("server.crt"), key = dir_.File("server.key");
  std::string cmd = "openssl req -x509 -newkey rsa:2048 -nodes -keyout " + key + " -out " + cert +
                    " -days 1 -subj /CN=127.0.0.1 -addext subjectAltName=IP:127.0.0.1 2>/dev/null";
  ASSERT_EQ(std::system(cmd.c_str()), 0);
  server::ServerOptions opts;
  opts.port = 0;
  opts.tls_cert = cert;
  opts.tls_key = key;
  server::Server tls(*db_, opts, policy_);
  ASSERT_TRUE(tls.Bind().ok());
  std::thread t([&] { tls.Run(); });

  httplib::SSLClient client("127.0.0.1", tls.port());
  client.set_ca_cert_path(cert.c_str());
  client.enable_server_certificate_verification(true);
  auto health = client.Get("/healthz");
  ASSERT_TRUE(health) << httplib::to_string(health.error());
  EXPECT_EQ(health->status, 200);
  auto login =
      client.Post("/api/v1/auth/login", Json{{"username", "admin"}, {"password", kPassword}}.dump(),
                  "application/json");
  ASSERT_TRUE(login);
  EXPECT_EQ(login->status, 200);
  EXPECT_NE(login->get_header_value("Set-Cookie").find("; Secure"), std::string::npos);

  // Plain HTTP to the TLS port gets no answer.
  httplib::Client plain("127.0.0.1", tls.port());
  plain.set_read_timeout(2, 0);
  auto r = plain.Get("/healthz");
  EXPECT_TRUE(!r || r->status != 200);

  tls.Stop();
  t.join();
}

TEST_F(TlsApi, AMissingCertificateIsAClearError) {
  server::ServerOptions opts;
  opts.port = 0;
  opts.tls_cert = dir_.File("missing.crt");
  opts.tls_key = dir_.File("missing.key");
  server::Server tls(*db_, opts, policy_);
  auto st = tls.Bind();
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(st.error().key, "cli.tls_failed");
}

}  // namespace
}  // namespace mamori::testing
