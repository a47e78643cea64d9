// The mock exchange's internals: its shared state, one HTTP session per
// connection (REST, or the upgrade to WebSocket) and one WebSocket session
// per stream connection, in Beast's do_x/on_x shape on the I/O thread.
#pragma once

#include <boost/asio.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <boost/beast/websocket.hpp>
#include <simdjson.h>

#include <array>
#include <condition_variable>
#include <deque>
#include <future>
#include <map>
#include <mutex>
#include <optional>
#include <set>
#include <thread>
#include <unordered_set>

#include "mock_binance.hpp"

namespace vyx::mock {

namespace beast = boost::beast;
namespace http = beast::http;
namespace websocket = beast::websocket;
using plain_stream = beast::tcp_stream;
using tls_stream = beast::ssl_stream<beast::tcp_stream>;

std::string kline_event(const std::string& symbol, vyx_timeframe tf, const candle& c, bool closed,
                        std::int64_t event_time);

struct rest_answer {
  unsigned status = 200;
  unsigned retry_after = 0;  // seconds; sent when non-zero
  unsigned used_weight = 0;
  std::string body;
};

class ws_session_base {
 public:
  virtual ~ws_session_base() = default;
  virtual bool open() const = 0;
  virtual bool subscribed(const std::string& stream) const = 0;
  virtual void deliver(std::shared_ptr<const std::string> text) = 0;
  virtual void drop_mid_frame() = 0;
  virtual void set_silent(bool on) = 0;
  virtual void shut() = 0;  // close frame (going away)
};

// Owned by mock_binance alone. Sessions and queued handlers point at it
// without owning it: the io_context, a member, destroys whatever handlers are
// left when the state goes, so nothing keeps the state alive in a cycle.
struct mock_state {
  mock_state(mock_market market, mock_options options);

  void start_accept();
  void on_accept(boost::asio::ip::tcp::socket socket);
  void add_session(std::weak_ptr<ws_session_base> session);
  std::vector<std::shared_ptr<ws_session_base>> live_sessions();
  void publish(std::int64_t market_ms);
  void broadcast(const std::string& stream, std::string text);
  const candle* latest(std::size_t symbol, std::int64_t t) const;
  rest_answer answer(const std::string& target);
  void count(std::uint64_t mock_counters::*field, std::uint64_t by = 1) {
    {
      std::lock_guard lock(mutex);
      counters.*field += by;
    }
    counted.notify_all();
  }

  mock_market market;
  mock_options options;
  // Before io: members are destroyed in reverse, and the TLS streams of the
  // sessions that io's queued handlers still hold use this context.
  std::optional<boost::asio::ssl::context> tls;
  boost::asio::io_context io;
  boost::asio::ip::tcp::acceptor acceptor;
  std::thread thread;
  std::shared_ptr<boost::asio::steady_timer> clock_timer;

  // Publishing (I/O thread only).
  struct cursor {
    std::size_t next = 0;  // first bar whose x=true event is not sent yet
    std::int64_t last_forming = 0;
    std::optional<std::string> held;  // a swapped event
  };
  std::vector<std::array<cursor, VYX_TIMEFRAME_COUNT>> cursors;
  std::int64_t now = 0, last_ticker = 0;
  bool started = false, duplicate = false;
  std::map<std::string, std::int64_t> delays;
  std::set<std::string> swaps;
  std::vector<std::weak_ptr<ws_session_base>> sessions;
  std::vector<std::shared_ptr<ws_session_base>> live;  // during one publish
  std::int64_t weight_minute = -1;
  unsigned weight_used = 0;

  std::mutex mutex;  // guards counters and the REST failure plan
  std::condition_variable counted;  // notified when a counter changes
  mock_counters counters;
  unsigned fail_status = 0, fail_retry_after = 0, fail_count = 0;
  unsigned fail_after = 0;  // REST requests still answered normally before the failures start
};

// One stream connection: the subscription set, a bounded write queue, pings.
template <class Next>
class ws_session : public ws_session_base,
                   public std::enable_shared_from_this<ws_session<Next>> {
 public:
  static constexpr std::size_t queue_limit = 1 << 16;  // a slower reader is dropped, as Binance does

  ws_session(Next&& stream, mock_state* state)
      : ws_(std::move(stream)), state_(state), ping_timer_(ws_.get_executor()),
        age_timer_(ws_.get_executor()) {}

  void run(http::request<http::string_body> request) {
    const std::string target(request.target());
    auto q = target.find("streams=");
    if (q != std::string::npos) {
      std::string list = target.substr(q + 8);
      std::size_t pos = 0;
      while (pos < list.size()) {
        auto slash = list.find('/', pos);
        auto name = list.substr(pos, slash == std::string::npos ? std::string::npos : slash - pos);
        if (!name.empty()) streams_.insert(name);
        if (slash == std::string::npos) break;
        pos = slash + 1;
      }
    } else if (target.rfind("/ws/", 0) == 0) {
      streams_.insert(target.substr(4));
    }
    beast::get_lowest_layer(ws_).expires_never();
    ws_.set_option(websocket::stream_base::timeout::suggested(beast::role_type::server));
    ws_.control_callback([this](websocket::frame_type kind, beast::string_view) {
      if (kind == websocket::frame_type::pong) {
        last_pong_ = std::chrono::steady_clock::now();
        state_->count(&mock_counters::pongs);
        note_incoming_();
      }
    });
    ws_.async_accept(request, beast::bind_front_handler(&ws_session::on_accept,
                                                        this->shared_from_this()));
  }

  bool open() const override { return open_; }
  bool subscribed(const std::string& stream) const override {
    return !silent_ && streams_.count(stream);
  }

  void deliver(std::shared_ptr<const std::string> text) override {
    if (!open_ || silent_) return;
    if (queue_.size() >= queue_limit) return fail_({}, "slow reader");
    queue_.push_back({std::move(text), item::data});
    if (!writing_) do_write_();
  }
  void drop_mid_frame() override {
    if (!open_) return;
    queue_.push_back({nullptr, item::drop});
    if (!writing_) do_write_();
  }
  void set_silent(bool on) override { silent_ = on; }
  void shut() override {
    if (!open_) return;
    queue_.push_back({nullptr, item::close});
    if (!writing_) do_write_();
  }

 private:
  struct item {
    std::shared_ptr<const std::string> text;
    enum kind_t { data, drop, close } kind;
  };

  void on_accept(beast::error_code ec) {
    if (ec) return fail_(ec, "accept");
    if (streams_.size() > state_->options.max_streams) return fail_({}, "too many streams");
    open_ = true;
    last_pong_ = started_ = std::chrono::steady_clock::now();
    {
      std::lock_guard lock(state_->mutex);
      state_->counters.max_streams_seen =
          std::max<unsigned>(state_->counters.max_streams_seen, static_cast<unsigned>(streams_.size()));
    }
    state_->add_session(this->weak_from_this());
    do_ping_wait_();
    age_timer_.expires_after(state_->options.max_connection_age);
    age_timer_.async_wait([self = this->shared_from_this()](beast::error_code e) {
      if (!e) self->shut();
    });
    do_read_();
  }

  void do_read_() {
    ws_.async_read(buffer_, beast::bind_front_handler(&ws_session::on_read, this->shared_from_this()));
  }
  void on_read(beast::error_code ec, std::size_t) {
    if (ec) return fail_(ec, "read");
    std::string text = beast::buffers_to_string(buffer_.data());
    buffer_.consume(buffer_.size());
    note_incoming_();
    if (open_) handle_(text);
    if (open_) do_read_();
  }

  // SUBSCRIBE / UNSUBSCRIBE / LIST_SUBSCRIPTIONS, answered as Binance does.
  void handle_(const std::string& text) {
    simdjson::dom::parser parser;
    simdjson::dom::element doc;
    std::string_view method;
    std::int64_t id = 0;
    if (parser.parse(text).get(doc) || doc["method"].get(method) || doc["id"].get(id)) {
      deliver(std::make_shared<const std::string>(
          "{\"error\":{\"code\":2,\"msg\":\"Invalid request\"},\"id\":null}"));
      return;
    }
    std::string reply = "{\"result\":null,\"id\":" + std::to_string(id) + "}";
    simdjson::dom::array params;
    if (method == "SUBSCRIBE" || method == "UNSUBSCRIBE") {
      state_->count(&mock_counters::subscribe_messages);
      if (!doc["params"].get(params))
        for (auto p : params) {
          std::string_view name;
          if (p.get(name)) continue;
          if (method == "SUBSCRIBE")
            streams_.insert(std::string(name));
          else
            streams_.erase(std::string(name));
        }
      if (streams_.size() > state_->options.max_streams) return fail_({}, "too many streams");
    } else if (method == "LIST_SUBSCRIPTIONS") {
      reply = "{\"result\":[";
      bool first = true;
      for (const auto& s : streams_) {
        reply += (first ? "\"" : ",\"") + s + "\"";
        first = false;
      }
      reply += "],\"id\":" + std::to_string(id) + "}";
    }
    bool was_silent = silent_;
    silent_ = false;
    deliver(std::make_shared<const std::string>(reply));
    silent_ = was_silent;
  }

  // Binance closes a connection that sends more than 5 messages a second.
  void note_incoming_() {
    auto second = std::chrono::duration_cast<std::chrono::seconds>(
                      std::chrono::steady_clock::now().time_since_epoch())
                      .count();
    if (second != incoming_second_) {
      incoming_second_ = second;
      incoming_ = 0;
    }
    if (++incoming_ > state_->options.max_incoming_per_second) {
      state_->count(&mock_counters::closed_by_rate_limit);
      fail_({}, "too many incoming messages");
    }
  }

  void do_ping_wait_() {
    ping_timer_.expires_after(state_->options.ping_interval);
    ping_timer_.async_wait(beast::bind_front_handler(&ws_session::on_ping_timer,
                                                     this->shared_from_this()));
  }
  void on_ping_timer(beast::error_code ec) {
    if (ec || !open_) return;
    if (std::chrono::steady_clock::now() - last_pong_ > state_->options.pong_timeout)
      return fail_({}, "no pong");
    if (!silent_ && !pinging_) {
      pinging_ = true;
      ws_.async_ping({}, [self = this->shared_from_this()](beast::error_code e) {
        self->pinging_ = false;
        if (e) self->fail_(e, "ping");
      });
    }
    do_ping_wait_();
  }

  void do_write_() {
    if (queue_.empty() || !open_) {
      writing_ = false;
      return;
    }
    writing_ = true;
    item& next = queue_.front();
    if (next.kind == item::data) {
      ws_.text(true);
      ws_.async_write(boost::asio::buffer(*next.text),
                      beast::bind_front_handler(&ws_session::on_write, this->shared_from_this()));
    } else if (next.kind == item::close) {
      ws_.async_close(websocket::close_code::going_away,
                      [self = this->shared_from_this()](beast::error_code) {
                        self->fail_({}, "closed by server");
                      });
    } else {
      // An unmasked text frame header announcing 400 bytes, and only half of them.
      raw_ = std::string("\x81\x7e\x01\x90", 4) + std::string(200, '{');
      boost::asio::async_write(ws_.next_layer(), boost::asio::buffer(raw_),
                               [self = this->shared_from_this()](beast::error_code, std::size_t) {
                                 self->fail_({}, "dropped mid-frame");
                               });
    }
  }
  void on_write(beast::error_code ec, std::size_t) {
    if (ec) return fail_(ec, "write");
    queue_.pop_front();
    do_write_();
  }

  // One place every error and every deliberate end goes through.
  void fail_(beast::error_code, const char*) {
    if (!open_ && closed_) return;
    open_ = false;
    closed_ = true;
    queue_.clear();
    ping_timer_.cancel();
    age_timer_.cancel();
    beast::error_code ignored;
    beast::get_lowest_layer(ws_).socket().shutdown(boost::asio::ip::tcp::socket::shutdown_both,
                                                   ignored);
    beast::get_lowest_layer(ws_).socket().close(ignored);
  }

  websocket::stream<Next> ws_;
  mock_state* state_;  // outlives the session (mock_state)
  beast::flat_buffer buffer_;
  std::unordered_set<std::string> streams_;
  std::deque<item> queue_;
  std::string raw_;
  boost::asio::steady_timer ping_timer_, age_timer_;
  std::chrono::steady_clock::time_point last_pong_, started_;
  std::int64_t incoming_second_ = 0;
  unsigned incoming_ = 0;
  bool open_ = false, closed_ = false, writing_ = false, pinging_ = false, silent_ = false;
};

// One TCP (or TLS) connection: REST requests with keep-alive, or the
// WebSocket upgrade handed to a ws_session.
template <class Next>
class http_session : public std::enable_shared_from_this<http_session<Next>> {
 public:
  static constexpr std::size_t body_limit = 64 * 1024;

  http_session(Next&& stream, mock_state* state)
      : stream_(std::move(stream)), state_(state) {}

  void run() {
    beast::get_lowest_layer(stream_).expires_after(std::chrono::seconds(30));
    if constexpr (std::is_same_v<Next, tls_stream>)
      stream_.async_handshake(boost::asio::ssl::stream_base::server,
                              beast::bind_front_handler(&http_session::on_handshake,
                                                        this->shared_from_this()));
    else
      do_read_();
  }

 private:
  void on_handshake(beast::error_code ec) {
    if (ec) return;  // a client that gave up, or does not trust us
    do_read_();
  }
  void do_read_() {
    parser_.emplace();
    parser_->body_limit(body_limit);
    beast::get_lowest_layer(stream_).expires_after(std::chrono::seconds(30));
    http::async_read(stream_, buffer_, *parser_,
                     beast::bind_front_handler(&http_session::on_read, this->shared_from_this()));
  }
  void on_read(beast::error_code ec, std::size_t) {
    if (ec) return;  // closed, timed out or garbage: the connection ends
    auto request = parser_->release();
    if (websocket::is_upgrade(request)) {
      std::make_shared<ws_session<Next>>(std::move(stream_), state_)->run(std::move(request));
      return;
    }
    rest_answer a = state_->answer(std::string(request.target()));
    response_ = {};
    response_.version(request.version());
    response_.result(a.status);
    response_.set(http::field::content_type, "application/json;charset=UTF-8");
    if (a.retry_after) response_.set(http::field::retry_after, std::to_string(a.retry_after));
    response_.set("X-MBX-USED-WEIGHT-1M", std::to_string(a.used_weight));
    response_.keep_alive(request.keep_alive());
    response_.body() = std::move(a.body);
    response_.prepare_payload();
    http::async_write(stream_, response_,
                      beast::bind_front_handler(&http_session::on_write, this->shared_from_this()));
  }
  void on_write(beast::error_code ec, std::size_t) {
    if (ec) return;
    if (response_.keep_alive()) return do_read_();
    beast::error_code ignored;
    beast::get_lowest_layer(stream_).socket().shutdown(boost::asio::ip::tcp::socket::shutdown_send,
                                                       ignored);
  }

  Next stream_;
  mock_state* state_;  // outlives the session (mock_state)
  beast::flat_buffer buffer_;
  std::optional<http::request_parser<http::string_body>> parser_;
  http::response<http::string_body> response_;
};

}  // namespace vyx::mock
