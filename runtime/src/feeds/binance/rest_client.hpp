// Binance REST over keep-alive HTTPS connections (Boost.Beast): a queue of
// GETs served by a few sessions, weight-aware (X-MBX-USED-WEIGHT-1M and a
// per-minute budget), pausing all requests for Retry-After on 429 and
// refusing everything after a 418 (the IP is banned: the caller stops).
#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/steady_timer.hpp>

#include <chrono>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "endpoint.hpp"

namespace vyx::runtime::binance {

struct rest_response {
  unsigned status = 0;      // 0 when the request never got an answer
  std::string body;
  std::string error;        // transport error, when status is 0
  unsigned retry_after = 0; // seconds
};

struct rest_options {
  unsigned sessions = 4;              // parallel keep-alive connections
  unsigned weight_budget = 4'800;     // of Binance's 6000 per minute: headroom for others
  unsigned attempts = 5;              // transport failures before giving up on a request
  std::chrono::milliseconds timeout{10'000};
};

struct rest_stats {
  std::uint64_t requests = 0, throttled = 0, failures = 0;
  unsigned used_weight = 0;
  bool banned = false;
};

class rest_client : public std::enable_shared_from_this<rest_client> {
 public:
  using handler = std::function<void(const rest_response&)>;

  rest_client(boost::asio::io_context& io, endpoint where,
              std::shared_ptr<boost::asio::ssl::context> tls, rest_options options = {});
  ~rest_client();

  // Queues GET path?query (path without the endpoint's prefix); `weight` is
  // Binance's for that request. The handler runs on the I/O thread.
  void get(std::string target, unsigned weight, handler done);
  void stop();
  rest_stats stats() const;

 private:
  struct request {
    std::string target;
    unsigned weight = 1;
    unsigned attempts = 0;
    handler done;
  };
  class session;
  template <bool tls>
  class session_impl;
  friend class session;

  void do_dispatch_();
  void on_response_(session* from, request r, rest_response response, unsigned used_weight);

  boost::asio::io_context& io_;
  endpoint where_;
  std::shared_ptr<boost::asio::ssl::context> tls_;
  rest_options options_;
  std::deque<request> queue_;
  std::vector<std::shared_ptr<session>> sessions_;
  std::vector<session*> idle_;
  boost::asio::steady_timer pause_timer_;
  std::chrono::steady_clock::time_point paused_until_{};
  std::int64_t minute_ = -1;
  unsigned minute_weight_ = 0;
  bool stopped_ = false, banned_ = false, pause_armed_ = false;
  mutable std::mutex stats_mutex_;
  rest_stats stats_;
};

}  // namespace vyx::runtime::binance
