// A token bucket per client address: `rate` requests a second sustained,
// `burst` at once. The table is bounded: past max_clients the idlest half
// is forgotten (a forgotten client starts again with a full bucket).
#pragma once

#include <chrono>
#include <mutex>
#include <string>
#include <unordered_map>

namespace vyx::runtime::api {

class rate_limiter {
 public:
  using clock_type = std::chrono::steady_clock;
  rate_limiter(double rate, double burst, std::size_t max_clients = 4096)
      : rate_(rate), burst_(burst), max_clients_(max_clients) {}

  // True when `client` may make a request now; otherwise `retry_after` is
  // the whole seconds until it may (at least 1).
  bool allow(const std::string& client, long& retry_after,
             clock_type::time_point now = clock_type::now());

 private:
  struct bucket {
    double tokens;
    clock_type::time_point last;
  };
  void forget_idlest_();

  const double rate_, burst_;
  const std::size_t max_clients_;
  std::mutex mutex_;
  std::unordered_map<std::string, bucket> buckets_;
};

}  // namespace vyx::runtime::api
