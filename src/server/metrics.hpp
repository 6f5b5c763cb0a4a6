// Request counters and latency histograms for /metrics (Prometheus text exposition format).
#pragma once

#include <map>
#include <mutex>
#include <string>
#include <tuple>
#include <vector>

namespace mamori::server {

class Metrics {
 public:
  void Observe(const std::string& method, const std::string& route, int status, double seconds);
  void CountLoginFailure() {
    std::lock_guard<std::mutex> l(mu_);
    ++login_failures_;
  }
  [[nodiscard]] std::string Render() const;

 private:
  struct Histogram {
    std::vector<uint64_t> buckets;
    uint64_t count = 0;
    double sum = 0;
  };
  mutable std::mutex mu_;
  std::map<std::tuple<std::string, std::string, int>, uint64_t> requests_;
  std::map<std::string, Histogram> latency_;
  uint64_t login_failures_ = 0;
};

}  // namespace mamori::server
