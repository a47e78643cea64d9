// The service's counters and the compile-latency histogram, rendered as
// Prometheus text for GET /metrics. Thread-safe: workers and the I/O thread record.
#pragma once

#include <array>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <utility>

namespace vyx::compiler::service {

class service_metrics {
 public:
  // Upper bounds (seconds) of the latency buckets: cached builds land in the
  // first few, cold builds between 0.1 and 10.
  static constexpr std::array<double, 14> latency_buckets = {
      0.0005, 0.001, 0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10};

  void count_request(const std::string& endpoint, unsigned status);
  void record_compile(double seconds, bool cache_hit, bool ok);
  void count_rejected_compile();

  // Live gauges come from the queue at render time.
  std::string render(std::size_t queue_depth, std::size_t running, unsigned workers) const;

 private:
  struct histogram {
    std::array<std::uint64_t, latency_buckets.size()> buckets{};
    std::uint64_t count = 0;
    double sum = 0;
  };

  mutable std::mutex mutex_;
  std::map<std::pair<std::string, unsigned>, std::uint64_t> requests_;
  histogram cold_;
  histogram cached_;
  std::uint64_t cache_hits_ = 0;
  std::uint64_t cache_misses_ = 0;
  std::uint64_t compiles_ok_ = 0;
  std::uint64_t compiles_rejected_code_ = 0;
  std::uint64_t compiles_refused_queue_full_ = 0;
};

}  // namespace vyx::compiler::service
