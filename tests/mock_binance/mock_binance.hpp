// A mock Binance spot exchange on the loopback, speaking the real wire
// protocol: REST (/api/v3/exchangeInfo, /ticker/24hr, /klines, /time) and
// combined WebSocket streams (/stream?streams=..., SUBSCRIBE/UNSUBSCRIBE,
// kline and !miniTicker@arr payloads, server pings), over TLS or plain TCP.
// Market time advances by publish_until() (tests) or a clock at any speed
// (the vyx-mock-binance tool); chaos hooks break it the ways the real one breaks.
#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <string>

#include "mock_market.hpp"

namespace vyx::mock {

struct mock_options {
  std::string address = "127.0.0.1";
  std::uint16_t port = 0;                   // 0 = any free port
  std::filesystem::path cert_file, key_file;  // both set = TLS (https/wss), else plain
  std::chrono::milliseconds ping_interval{20'000};  // Binance: every 20 s
  std::chrono::milliseconds pong_timeout{60'000};   // Binance: a minute without a pong closes
  std::chrono::milliseconds max_connection_age{24 * 3'600'000};  // Binance: 24 h
  std::int64_t forming_interval_ms = 2'000;  // market ms between x=false updates of a stream
  std::int64_t ticker_interval_ms = 1'000;   // market ms between !miniTicker@arr arrays
  unsigned weight_limit = 6'000;             // REQUEST_WEIGHT per minute, then 429
  unsigned max_streams = 1'024;              // per connection (more: the connection is refused)
  unsigned max_incoming_per_second = 5;      // more client messages in a second: closed
};

struct mock_counters {
  std::uint64_t connections_accepted = 0, connections_open = 0, pongs = 0, subscribe_messages = 0,
                rest_requests = 0, kline_requests = 0, closed_by_rate_limit = 0, messages_sent = 0;
  unsigned max_streams_seen = 0;
};

struct mock_state;  // mock_sessions.hpp

class mock_binance {
 public:
  // Starts listening and serving on its own I/O thread; throws on a bad certificate or bind.
  mock_binance(mock_market market, mock_options options = {});
  ~mock_binance();
  mock_binance(const mock_binance&) = delete;
  mock_binance& operator=(const mock_binance&) = delete;

  std::uint16_t port() const;
  std::string api_url() const;  // "https://127.0.0.1:PORT" (or http)
  std::string ws_url() const;   // "wss://127.0.0.1:PORT" (or ws)

  // Market time. publish_until sends every event up to `market_ms` and
  // returns once they are queued; run_clock advances market time by itself
  // from `start_ms` at `speed` market ms per wall ms.
  void publish_until(std::int64_t market_ms);
  void run_clock(std::int64_t start_ms, double speed);
  std::int64_t market_now() const;

  // Chaos.
  void drop_mid_frame();               // every connection: half a frame, then the socket closes
  void silence(bool on);               // open connections go quiet (no data, no pings)
  void close_all();                    // a WebSocket close frame from the server (going away)
  void send_raw(const std::string& text);       // e.g. malformed or truncated JSON
  void delay_closed(const std::string& symbol, std::int64_t market_ms);  // x=true that late
  void duplicate_closed(bool on);      // every x=true event sent twice
  void swap_next(const std::string& symbol);  // its next two x=true events swapped
  void delist(const std::string& symbol);     // status BREAK; no more events or rows
  // What /api/v3/ticker/24hr reports for it from now on: moves it in or out of a top-N universe.
  void set_quote_volume(const std::string& symbol, double quote_volume);
  // The next `count` REST requests after the next `after` answer `status` (429, 418, 500).
  void fail_rest(unsigned status, unsigned retry_after_seconds, unsigned count, unsigned after = 0);
  void set_max_connection_age(std::chrono::milliseconds age);

  mock_counters counters() const;
  // Waits until `done(counters)` holds or `limit` passes (no polling: every count notifies).
  bool wait_counters(const std::function<bool(const mock_counters&)>& done,
                     std::chrono::milliseconds limit) const;

 private:
  std::shared_ptr<mock_state> state_;
};

// A CA and a server certificate for 127.0.0.1/localhost, made with the
// openssl command in `dir` (ca.pem, server.pem, server.key); throws on failure.
struct test_ca {
  std::filesystem::path ca_file, cert_file, key_file;
};
test_ca make_test_ca(const std::filesystem::path& dir);

}  // namespace vyx::mock
