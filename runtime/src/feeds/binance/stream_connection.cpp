// The stream connection and its sockets ("links"): resolve, connect, TLS and
// WebSocket handshakes, paced SUBSCRIBE messages, the read loop, the silence
// watchdog; one fail() per link reports to the connection, which reconnects.
#include "stream_connection.hpp"

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/ssl/host_name_verification.hpp>
#include <boost/asio/strand.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/ssl.hpp>
#include <boost/beast/websocket.hpp>
#include <boost/beast/websocket/ssl.hpp>
#include <simdjson.h>
#include <spdlog/spdlog.h>

#include <optional>

namespace vyx::runtime::binance {

namespace beast = boost::beast;
namespace websocket = beast::websocket;
namespace asio = boost::asio;
using tcp = asio::ip::tcp;

const char* to_string(connection_state s) {
  switch (s) {
    case connection_state::connecting: return "connecting";
    case connection_state::subscribing: return "subscribing";
    case connection_state::open: return "open";
    case connection_state::backoff: return "backoff";
    case connection_state::stopped: return "stopped";
  }
  return "?";
}

class stream_connection::link {
 public:
  virtual ~link() = default;
  virtual void run(std::string target, std::vector<std::string> messages) = 0;
  virtual void send(std::string message) = 0;
  virtual void close() = 0;
  bool delivered = false;  // a data frame arrived
  bool ready = false;
};

template <bool tls>
class stream_connection::link_impl : public stream_connection::link,
                                     public std::enable_shared_from_this<link_impl<tls>> {
 public:
  using next_layer =
      std::conditional_t<tls, beast::ssl_stream<beast::tcp_stream>, beast::tcp_stream>;

  link_impl(std::weak_ptr<stream_connection> owner, asio::io_context& io,
            std::shared_ptr<asio::ssl::context> ctx, endpoint where, stream_options options)
      : owner_(std::move(owner)), resolver_(io), watchdog_(io), pace_(io), where_(std::move(where)),
        options_(options) {
    if constexpr (tls)
      ws_.emplace(io, *ctx);
    else
      ws_.emplace(io);
  }

  void run(std::string target, std::vector<std::string> messages) override {
    target_ = std::move(target);
    for (auto& m : messages) outgoing_.push_back(std::move(m));
    awaiting_ = outgoing_.size();
    last_frame_ = std::chrono::steady_clock::now();
    do_watch_();
    resolver_.async_resolve(where_.host, where_.port,
                            beast::bind_front_handler(&link_impl::on_resolve, this->shared_from_this()));
  }
  void send(std::string message) override {
    outgoing_.push_back(std::move(message));
    if (ready_to_send_ && !sending_) do_send_();
  }
  void close() override { fail_({}, "closed"); }

 private:
  void on_resolve(beast::error_code ec, tcp::resolver::results_type results) {
    if (ec) return fail_(ec, "resolve");
    beast::get_lowest_layer(*ws_).expires_after(options_.handshake_timeout);
    beast::get_lowest_layer(*ws_).async_connect(
        results, beast::bind_front_handler(&link_impl::on_connect, this->shared_from_this()));
  }
  void on_connect(beast::error_code ec, tcp::endpoint) {
    if (ec) return fail_(ec, "connect");
    if constexpr (tls) {
      if (!SSL_set_tlsext_host_name(ws_->next_layer().native_handle(), where_.host.c_str()))
        return fail_(beast::error_code(static_cast<int>(::ERR_get_error()),
                                       asio::error::get_ssl_category()), "SNI");
      ws_->next_layer().set_verify_callback(asio::ssl::host_name_verification(where_.host));
      ws_->next_layer().async_handshake(
          asio::ssl::stream_base::client,
          beast::bind_front_handler(&link_impl::on_tls_handshake, this->shared_from_this()));
    } else {
      on_tls_handshake({});
    }
  }
  void on_tls_handshake(beast::error_code ec) {
    if (ec) return fail_(ec, "TLS handshake");
    beast::get_lowest_layer(*ws_).expires_never();
    websocket::stream_base::timeout t{options_.handshake_timeout, websocket::stream_base::none(), false};
    ws_->set_option(t);
    ws_->read_message_max(64 * 1024 * 1024);
    ws_->control_callback([this](websocket::frame_type kind, beast::string_view) {
      // A ping is answered by Beast at once (a read is always pending); it also proves life.
      last_frame_ = std::chrono::steady_clock::now();
      if (kind == websocket::frame_type::ping) {
        note_outgoing_(last_frame_);  // Beast's pong counts against the server's limit
        if (auto o = owner_.lock()) ++o->pings_;
      }
    });
    std::string host = where_.host + (where_.port == (tls ? "443" : "80") ? "" : ":" + where_.port);
    ws_->async_handshake(host, target_,
                         beast::bind_front_handler(&link_impl::on_handshake, this->shared_from_this()));
  }
  void on_handshake(beast::error_code ec) {
    if (ec) return fail_(ec, "WebSocket handshake");
    ready_to_send_ = true;
    if (awaiting_ == 0) became_ready_();
    do_read_();
    if (!outgoing_.empty()) do_send_();
  }
  void became_ready_() {
    if (ready) return;
    ready = true;
    if (auto o = owner_.lock()) o->on_link_ready_(this);
  }

  void do_read_() {
    ws_->async_read(buffer_, beast::bind_front_handler(&link_impl::on_read, this->shared_from_this()));
  }
  void on_read(beast::error_code ec, std::size_t size) {
    if (ec) return fail_(ec, "read");
    last_frame_ = std::chrono::steady_clock::now();
    // A padded copy for simdjson (the flat buffer's tail is not guaranteed readable).
    padded_.resize(size + simdjson::SIMDJSON_PADDING);
    asio::buffer_copy(asio::buffer(padded_.data(), size), buffer_.data());
    buffer_.consume(size);
    std::string_view text(padded_.data(), size);
    auto o = owner_.lock();
    if (!o) return;
    if (text.find("\"stream\"") == std::string_view::npos && text.find("\"id\"") != std::string_view::npos) {
      // A reply to one of our SUBSCRIBE messages.
      if (awaiting_ > 0 && --awaiting_ == 0) became_ready_();
    } else {
      delivered = true;
      o->on_link_message_(this);
      if (o->handlers_.message) o->handlers_.message(o->id_, padded_.data(), size, padded_.size());
    }
    if (!failed_) do_read_();
  }

  // SUBSCRIBE/UNSUBSCRIBE, one per 1/messages_per_second, and never past the
  // server's limit of incoming messages in any second, the pongs we sent
  // counted: one short of it, for a ping answered while our message travels.
  void do_send_() {
    if (failed_ || outgoing_.empty()) {
      sending_ = false;
      return;
    }
    sending_ = true;
    auto now = std::chrono::steady_clock::now();
    auto pace = std::chrono::milliseconds(static_cast<long>(1000.0 / options_.messages_per_second));
    auto ready_at = last_sent_ + pace;
    forget_outgoing_before_(now - std::chrono::seconds(1));
    if (recent_outgoing_.size() + 2 > options_.server_incoming_limit)
      ready_at = std::max(ready_at, recent_outgoing_.front() + std::chrono::seconds(1));
    if (ready_at > now) {
      pace_.expires_at(ready_at);
      pace_.async_wait([self = this->shared_from_this()](beast::error_code ec) {
        if (ec || self->failed_) return;
        self->do_send_();
      });
      return;
    }
    message_ = std::move(outgoing_.front());
    outgoing_.pop_front();
    last_sent_ = now;
    note_outgoing_(now);
    ws_->text(true);
    ws_->async_write(asio::buffer(message_),
                     beast::bind_front_handler(&link_impl::on_write, this->shared_from_this()));
  }
  void on_write(beast::error_code ec, std::size_t) {
    if (ec) return fail_(ec, "write");
    last_sent_ = std::chrono::steady_clock::now();
    do_send_();
  }
  void note_outgoing_(std::chrono::steady_clock::time_point at) {
    forget_outgoing_before_(at - std::chrono::seconds(1));
    recent_outgoing_.push_back(at);
  }
  void forget_outgoing_before_(std::chrono::steady_clock::time_point t) {
    while (!recent_outgoing_.empty() && recent_outgoing_.front() < t) recent_outgoing_.pop_front();
  }

  // The silence watchdog: Binance pings every 20 s, so a longer silence means a dead peer.
  void do_watch_() {
    watchdog_.expires_after(std::max(options_.idle_timeout / 4, std::chrono::milliseconds(10)));
    watchdog_.async_wait(beast::bind_front_handler(&link_impl::on_watch, this->shared_from_this()));
  }
  void on_watch(beast::error_code ec) {
    if (ec || failed_) return;
    if (std::chrono::steady_clock::now() - last_frame_ > options_.idle_timeout)
      return fail_({}, "silent connection");
    do_watch_();
  }

  // Every error, timeout and deliberate close of this link ends here, once.
  void fail_(beast::error_code ec, const char* what) {
    if (failed_) return;
    failed_ = true;
    watchdog_.cancel();
    pace_.cancel();
    resolver_.cancel();
    beast::error_code ignored;
    beast::get_lowest_layer(*ws_).socket().shutdown(tcp::socket::shutdown_both, ignored);
    beast::get_lowest_layer(*ws_).socket().close(ignored);
    std::string why = what;
    if (ec) why += ": " + ec.message();
    if (auto o = owner_.lock()) o->on_link_down_(this, why);
  }

  std::weak_ptr<stream_connection> owner_;
  tcp::resolver resolver_;
  asio::steady_timer watchdog_, pace_;
  endpoint where_;
  stream_options options_;
  std::optional<websocket::stream<next_layer>> ws_;
  std::string target_, message_;
  std::deque<std::string> outgoing_;
  std::size_t awaiting_ = 0;
  beast::flat_buffer buffer_;
  std::string padded_;
  std::chrono::steady_clock::time_point last_frame_, last_sent_{};
  // What we sent in the last second, pongs included: the server counts both.
  std::deque<std::chrono::steady_clock::time_point> recent_outgoing_;
  bool failed_ = false, sending_ = false, ready_to_send_ = false;
};

stream_connection::stream_connection(asio::io_context& io, endpoint where,
                                     std::shared_ptr<asio::ssl::context> tls, std::size_t id,
                                     std::vector<std::string> streams, stream_options options,
                                     stream_handlers handlers)
    : io_(io), where_(std::move(where)), tls_(std::move(tls)), id_(id), streams_(std::move(streams)),
      options_(options), handlers_(std::move(handlers)), reconnect_timer_(io), age_timer_(io), drain_timer_(io),
      random_(std::random_device{}()) {
  stream_count_ = streams_.size();
}

stream_connection::~stream_connection() = default;

void stream_connection::start() {
  asio::post(io_, [self = shared_from_this()] { self->open_link_(false); });
}

void stream_connection::stop() {
  asio::post(io_, [self = shared_from_this()] {
    self->stopped_ = true;
    self->state_ = static_cast<int>(connection_state::stopped);
    self->reconnect_timer_.cancel();
    self->age_timer_.cancel();
    self->drain_timer_.cancel();
    if (self->retiring_) self->retiring_->close();
    if (self->next_) self->next_->close();
    if (self->current_) self->current_->close();
    self->retiring_.reset();
    self->next_.reset();
    self->current_.reset();
  });
}

std::string stream_connection::target_() const {
  std::string target = where_.path + "/stream?streams=";
  for (std::size_t i = 0; i < streams_.size() && i < options_.url_streams; ++i)
    target += (i ? "/" : "") + streams_[i];
  return target;
}

std::vector<std::string> stream_connection::pending_messages_() const {
  std::vector<std::string> out;
  for (std::size_t i = options_.url_streams; i < streams_.size(); i += options_.streams_per_message) {
    std::string m = "{\"method\":\"SUBSCRIBE\",\"params\":[";
    for (std::size_t j = i; j < streams_.size() && j < i + options_.streams_per_message; ++j)
      m += (j > i ? ",\"" : "\"") + streams_[j] + "\"";
    m += "],\"id\":" + std::to_string(1000 + i) + "}";
    out.push_back(std::move(m));
  }
  return out;
}

void stream_connection::open_link_(bool rolling) {
  if (stopped_) return;
  std::shared_ptr<link> l;
  if (where_.tls)
    l = std::make_shared<link_impl<true>>(weak_from_this(), io_, tls_, where_, options_);
  else
    l = std::make_shared<link_impl<false>>(weak_from_this(), io_, tls_, where_, options_);
  if (rolling)
    next_ = l;
  else {
    current_ = l;
    state_ = static_cast<int>(connection_state::connecting);
  }
  l->run(target_(), pending_messages_());
}

void stream_connection::on_link_ready_(link* l) {
  if (l == next_.get()) {
    // The roll-over socket carries every stream now: it takes over at once (a
    // quiet market may not send it data for a long time). The old one keeps
    // reading for a drain period, so frames the exchange sent it before the
    // new subscription took effect still arrive; duplicates are dropped
    // downstream and the ready handler's backfill covers the rest.
    retire_(std::move(current_));
    current_ = std::move(next_);
    ++rollovers_;
  } else if (l != current_.get()) {
    return;
  }
  state_ = static_cast<int>(connection_state::open);
  attempts_ = 0;
  arm_age_();
  if (handlers_.ready) handlers_.ready(id_);
}

// One age timer, for the current link, counted from when it became ready.
void stream_connection::arm_age_() {
  age_timer_.expires_after(options_.max_age);
  age_timer_.async_wait([weak = weak_from_this(), l = current_.get()](beast::error_code ec) {
    auto self = weak.lock();
    if (ec || !self || self->stopped_ || self->current_.get() != l) return;
    self->roll_over();
  });
}

void stream_connection::retire_(std::shared_ptr<link> old) {
  if (!old) return;
  if (retiring_) retiring_->close();
  retiring_ = std::move(old);
  drain_timer_.expires_after(options_.rollover_drain);
  drain_timer_.async_wait([weak = weak_from_this(), l = retiring_.get()](beast::error_code ec) {
    auto self = weak.lock();
    if (ec || !self || self->retiring_.get() != l) return;
    auto old = std::move(self->retiring_);
    old->close();
  });
}

void stream_connection::on_link_message_(link*) { ++messages_; }

void stream_connection::on_link_down_(link* l, const std::string& why) {
  if (stopped_) return;
  if (l == retiring_.get()) {  // the replaced socket ended (drained, or the server's limit)
    retiring_.reset();
    return;
  }
  if (l == next_.get()) {
    next_.reset();
    if (current_) {  // the old one still carries the streams: try the roll-over again soon
      age_timer_.expires_after(options_.backoff_min);
      age_timer_.async_wait([weak = weak_from_this(), c = current_.get()](beast::error_code ec) {
        auto self = weak.lock();
        if (ec || !self || self->stopped_ || self->current_.get() != c) return;
        self->roll_over();
      });
      return;
    }
  }
  if (l != current_.get()) return;
  spdlog::warn("binance stream connection {}: {}; reconnecting", id_, why);
  current_.reset();
  if (next_) {  // the roll-over socket is on its way: it takes over once ready
    state_ = static_cast<int>(connection_state::connecting);
    current_ = std::move(next_);
    ++rollovers_;
    return;
  }
  schedule_reconnect_();
}

void stream_connection::schedule_reconnect_() {
  state_ = static_cast<int>(connection_state::backoff);
  ++reconnects_;
  // Full jitter between half and all of an exponential step, so many
  // connections never come back in lockstep (Binance: 300 connections per 5 min per IP).
  auto step = std::min<std::int64_t>(options_.backoff_max.count(),
                                     options_.backoff_min.count() << std::min(attempts_, 16u));
  ++attempts_;
  std::uniform_int_distribution<std::int64_t> jitter(step / 2, step);
  reconnect_timer_.expires_after(std::chrono::milliseconds(jitter(random_)));
  reconnect_timer_.async_wait([weak = weak_from_this()](beast::error_code ec) {
    if (auto self = weak.lock(); self && !ec) self->open_link_(false);
  });
}

void stream_connection::subscribe(std::vector<std::string> streams) {
  asio::post(io_, [self = shared_from_this(), streams = std::move(streams)] {
    if (streams.empty()) return;
    std::string m = "{\"method\":\"SUBSCRIBE\",\"params\":[";
    for (std::size_t i = 0; i < streams.size(); ++i) {
      m += (i ? ",\"" : "\"") + streams[i] + "\"";
      self->streams_.push_back(streams[i]);
    }
    m += "],\"id\":" + std::to_string(self->next_request_id_++) + "}";
    self->stream_count_ = self->streams_.size();
    if (self->next_) self->next_->send(m);  // a roll-over socket opened before this change
    if (self->current_) self->current_->send(std::move(m));
  });
}

void stream_connection::unsubscribe(std::vector<std::string> streams) {
  asio::post(io_, [self = shared_from_this(), streams = std::move(streams)] {
    if (streams.empty()) return;
    std::string m = "{\"method\":\"UNSUBSCRIBE\",\"params\":[";
    for (std::size_t i = 0; i < streams.size(); ++i) {
      m += (i ? ",\"" : "\"") + streams[i] + "\"";
      std::erase(self->streams_, streams[i]);
    }
    m += "],\"id\":" + std::to_string(self->next_request_id_++) + "}";
    self->stream_count_ = self->streams_.size();
    if (self->next_) self->next_->send(m);  // a roll-over socket opened before this change
    if (self->current_) self->current_->send(std::move(m));
  });
}

void stream_connection::roll_over() {
  asio::post(io_, [self = shared_from_this()] {
    if (self->stopped_ || self->next_ || !self->current_) return;
    spdlog::info("binance stream connection {}: rolling over to a new socket", self->id_);
    self->open_link_(true);
  });
}

connection_health stream_connection::health() const {
  connection_health h;
  h.id = id_;
  h.state = static_cast<connection_state>(state_.load());
  h.streams = stream_count_;
  h.messages = messages_;
  h.reconnects = reconnects_;
  h.rollovers = rollovers_;
  h.pings = pings_;
  return h;
}

}  // namespace vyx::runtime::binance
