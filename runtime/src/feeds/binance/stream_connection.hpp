// One logical combined-stream connection: keeps a WebSocket to
// /stream?streams=... alive (Beast answers server pings at once while a read
// is pending), declares it dead after a bounded silence, reconnects with
// jittered exponential backoff, and rolls over before Binance's 24 h limit by
// opening the next socket first, switching to it once every stream is
// subscribed on it, and reading the old one a little longer (overlap:
// duplicates are dropped downstream, nothing is missed).
// Extra streams are added with SUBSCRIBE/UNSUBSCRIBE, paced under Binance's
// 5 incoming messages per second.
#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/steady_timer.hpp>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "endpoint.hpp"

namespace vyx::runtime::binance {

struct stream_options {
  std::chrono::milliseconds idle_timeout{50'000};      // no frame (data or ping) this long: dead
  std::chrono::milliseconds max_age{23 * 3'600'000 + 50 * 60'000};  // roll over before 24 h
  std::chrono::milliseconds backoff_min{250}, backoff_max{30'000};
  std::chrono::milliseconds handshake_timeout{15'000};
  std::chrono::milliseconds rollover_drain{5'000};  // the replaced socket is read this long after the switch
  double messages_per_second = 2;                   // ours
  // Binance closes a connection that sends it more than 5 messages in a second, pongs included.
  unsigned server_incoming_limit = 5;
  std::size_t url_streams = 200;   // streams named in the URL; the rest by SUBSCRIBE
  std::size_t streams_per_message = 200;
};

enum class connection_state { connecting, subscribing, open, backoff, stopped };
const char* to_string(connection_state s);

struct connection_health {
  std::size_t id = 0;
  connection_state state = connection_state::connecting;
  std::size_t streams = 0;
  std::uint64_t messages = 0, reconnects = 0, rollovers = 0, pings = 0;
};

struct stream_handlers {
  // A text frame (padded: `capacity` bytes readable). On the I/O thread.
  std::function<void(std::size_t id, const char* data, std::size_t size, std::size_t capacity)> message;
  // Every stream is subscribed on a new socket: time to backfill what it may have missed.
  std::function<void(std::size_t id)> ready;
};

class stream_connection : public std::enable_shared_from_this<stream_connection> {
 public:
  stream_connection(boost::asio::io_context& io, endpoint where,
                    std::shared_ptr<boost::asio::ssl::context> tls, std::size_t id,
                    std::vector<std::string> streams, stream_options options,
                    stream_handlers handlers);
  ~stream_connection();

  void start();
  void stop();
  void subscribe(std::vector<std::string> streams);    // thread-safe (posts)
  void unsubscribe(std::vector<std::string> streams);  // thread-safe (posts)
  void roll_over();  // thread-safe: open the next socket now (tests, the 24 h timer)
  connection_health health() const;

 private:
  class link;
  template <bool tls>
  class link_impl;
  friend class link;

  void open_link_(bool rolling);
  void on_link_ready_(link* l);
  void arm_age_();
  void retire_(std::shared_ptr<link> old);
  void on_link_message_(link* l);
  void on_link_down_(link* l, const std::string& why);
  void schedule_reconnect_();
  std::string target_() const;
  std::vector<std::string> pending_messages_() const;

  boost::asio::io_context& io_;
  endpoint where_;
  std::shared_ptr<boost::asio::ssl::context> tls_;
  std::size_t id_;
  std::vector<std::string> streams_;  // what this connection should carry
  stream_options options_;
  stream_handlers handlers_;
  // next_: the roll-over socket until every stream is subscribed on it;
  // retiring_: the socket it replaced, still read until drain_timer_ fires.
  std::shared_ptr<link> current_, next_, retiring_;
  boost::asio::steady_timer reconnect_timer_, age_timer_, drain_timer_;
  unsigned attempts_ = 0;
  std::uint64_t next_request_id_ = 1;
  std::mt19937_64 random_;
  bool stopped_ = false;
  // Health, read from other threads.
  std::atomic<int> state_{0};
  std::atomic<std::uint64_t> messages_{0}, reconnects_{0}, rollovers_{0}, pings_{0};
  std::atomic<std::size_t> stream_count_{0};
};

}  // namespace vyx::runtime::binance
