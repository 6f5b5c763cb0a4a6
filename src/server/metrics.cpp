#include "server/metrics.hpp"

#include <array>
#include <cstdio>

#include "store/store.hpp"

namespace mamori::server {

namespace {
constexpr std::array<double, 10> kBounds = {0.001, 0.0025, 0.005, 0.01, 0.025,
                                            0.05,  0.1,    0.25,  0.5,  1.0};
std::string Num(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.6g", v);
  return buf;
}
}  // namespace

void Metrics::Observe(const std::string& method, const std::string& route, int status,
                      double seconds) {
  std::lock_guard<std::mutex> l(mu_);
  ++requests_[{method, route, status}];
  auto& h = latency_[route];
  if (h.buckets.empty()) h.buckets.assign(kBounds.size(), 0);
  for (size_t i = 0; i < kBounds.size(); ++i)
    if (seconds <= kBounds[i]) ++h.buckets[i];
  ++h.count;
  h.sum += seconds;
}

std::string Metrics::Render() const {
  std::lock_guard<std::mutex> l(mu_);
  std::string out;
  out += "# HELP mamori_http_requests_total HTTP requests by method, route and status.\n";
  out += "# TYPE mamori_http_requests_total counter\n";
  for (const auto& [key, n] : requests_) {
    const auto& [method, route, status] = key;
    out += "mamori_http_requests_total{method=\"";
    out += method;
    out += "\",route=\"";
    out += route;
    out += "\",status=\"" + std::to_string(status) + "\"} " + std::to_string(n) + "\n";
  }
  out += "# HELP mamori_http_request_duration_seconds Request latency by route.\n";
  out += "# TYPE mamori_http_request_duration_seconds histogram\n";
  for (const auto& [route, h] : latency_) {
    for (size_t i = 0; i < kBounds.size(); ++i)
      out += "mamori_http_request_duration_seconds_bucket{route=\"" + route + "\",le=\"" +
             Num(kBounds[i]) + "\"} " + std::to_string(h.buckets[i]) + "\n";
    out += "mamori_http_request_duration_seconds_bucket{route=\"" + route + "\",le=\"+Inf\"} " +
           std::to_string(h.count) + "\n";
    out += "mamori_http_request_duration_seconds_sum{route=\"" + route + "\"} " + Num(h.sum) + "\n";
    out += "mamori_http_request_duration_seconds_count{route=\"" + route + "\"} " +
           std::to_string(h.count) + "\n";
  }
  auto stats = store::GlobalStoreStats();
  out += "# HELP mamori_store_statements_total SQL statements executed.\n";
  out += "# TYPE mamori_store_statements_total counter\n";
  out += "mamori_store_statements_total " + std::to_string(stats.statements) + "\n";
  out += "# HELP mamori_store_errors_total SQL statements that failed.\n";
  out += "# TYPE mamori_store_errors_total counter\n";
  out += "mamori_store_errors_total " + std::to_string(stats.errors) + "\n";
  out += "# HELP mamori_auth_login_failures_total Failed logins.\n";
  out += "# TYPE mamori_auth_login_failures_total counter\n";
  out += "mamori_auth_login_failures_total " + std::to_string(login_failures_) + "\n";
  return out;
}

}  // namespace mamori::server
