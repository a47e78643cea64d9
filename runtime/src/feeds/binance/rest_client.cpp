// The REST client's sessions (resolve, connect, TLS handshake, write, read;
// kept alive between requests) and its throttling.
#include "rest_client.hpp"

#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/ssl/host_name_verification.hpp>
#include <boost/asio/strand.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <spdlog/spdlog.h>

#include <optional>

#include "net/erased_handlers.hpp"

namespace vyx::runtime::binance {

namespace beast = boost::beast;
namespace http = beast::http;
namespace asio = boost::asio;
using tcp = asio::ip::tcp;

class rest_client::session {
 public:
  virtual ~session() = default;
  virtual void run(request r) = 0;
  virtual void close() = 0;
};

template <bool tls>
class rest_client::session_impl : public rest_client::session,
                                  public std::enable_shared_from_this<session_impl<tls>> {
 public:
  static constexpr std::size_t body_limit = 16 * 1024 * 1024;  // exchangeInfo is a few MB
  using stream_type =
      std::conditional_t<tls, beast::ssl_stream<beast::tcp_stream>, beast::tcp_stream>;

  session_impl(std::weak_ptr<rest_client> owner, asio::io_context& io)
      : owner_(std::move(owner)), io_(io), resolver_(asio::make_strand(io)) {}

  void run(request r) override {
    request_ = std::move(r);
    if (stream_ && connected_) return do_write_();
    do_resolve_();
  }
  void close() override {
    connected_ = false;
    if (stream_) {
      beast::error_code ignored;
      beast::get_lowest_layer(*stream_).socket().close(ignored);
    }
  }

 private:
  std::shared_ptr<rest_client> owner() { return owner_.lock(); }

  void do_resolve_() {
    auto o = owner();
    if (!o) return;
    connected_ = false;
    if constexpr (tls)
      stream_.emplace(asio::make_strand(io_), *o->tls_);
    else
      stream_.emplace(asio::make_strand(io_));
    resolver_.async_resolve(o->where_.host, o->where_.port,
                            beast::bind_front_handler(&session_impl::on_resolve, this->shared_from_this()));
  }
  void on_resolve(beast::error_code ec, tcp::resolver::results_type results) {
    if (ec) return fail_(ec, "resolve");
    auto o = owner();
    if (!o) return;
    beast::get_lowest_layer(*stream_).expires_after(o->options_.timeout);
    beast::get_lowest_layer(*stream_).async_connect(
        results, net_handlers::connect(beast::bind_front_handler(&session_impl::on_connect, this->shared_from_this())));
  }
  void on_connect(beast::error_code ec, tcp::endpoint) {
    if (ec) return fail_(ec, "connect");
    if constexpr (tls) {
      auto o = owner();
      if (!o) return;
      // SNI and the name the certificate must carry.
      if (!SSL_set_tlsext_host_name(stream_->native_handle(), o->where_.host.c_str()))
        return fail_(beast::error_code(static_cast<int>(::ERR_get_error()), asio::error::get_ssl_category()), "SNI");
      stream_->set_verify_callback(asio::ssl::host_name_verification(o->where_.host));
      stream_->async_handshake(asio::ssl::stream_base::client,
                               net_handlers::step(beast::bind_front_handler(&session_impl::on_handshake,
                                                                            this->shared_from_this())));
    } else {
      on_handshake({});
    }
  }
  void on_handshake(beast::error_code ec) {
    if (ec) return fail_(ec, "TLS handshake");
    connected_ = true;
    do_write_();
  }
  void do_write_() {
    auto o = owner();
    if (!o) return;
    req_ = {http::verb::get, o->where_.path + request_.target, 11};
    req_.set(http::field::host, o->where_.host);
    req_.set(http::field::user_agent, "vyx");
    req_.keep_alive(true);
    beast::get_lowest_layer(*stream_).expires_after(o->options_.timeout);
    http::async_write(*stream_, req_,
                      net_handlers::transfer(beast::bind_front_handler(&session_impl::on_write, this->shared_from_this())));
  }
  void on_write(beast::error_code ec, std::size_t) {
    if (ec) return fail_(ec, "write");
    parser_.emplace();
    parser_->body_limit(body_limit);
    http::async_read(*stream_, buffer_, *parser_,
                     net_handlers::transfer(beast::bind_front_handler(&session_impl::on_read, this->shared_from_this())));
  }
  void on_read(beast::error_code ec, std::size_t) {
    if (ec) return fail_(ec, "read");
    auto& res = parser_->get();
    rest_response r;
    r.status = res.result_int();
    r.body = std::move(res.body());
    unsigned used = 0;
    if (auto it = res.find("Retry-After"); it != res.end())
      r.retry_after = static_cast<unsigned>(std::strtoul(std::string(it->value()).c_str(), nullptr, 10));
    if (auto it = res.find("X-MBX-USED-WEIGHT-1M"); it != res.end())
      used = static_cast<unsigned>(std::strtoul(std::string(it->value()).c_str(), nullptr, 10));
    if (!res.keep_alive()) close();
    if (auto o = owner()) o->on_response_(this, std::move(request_), std::move(r), used);
  }
  // One place every error of a session goes through: the request is
  // handed back (the client retries it) and the connection is dropped.
  void fail_(beast::error_code ec, const char* what) {
    close();
    rest_response r;
    r.error = std::string(what) + ": " + ec.message();
    if (auto o = owner()) o->on_response_(this, std::move(request_), std::move(r), 0);
  }

  std::weak_ptr<rest_client> owner_;
  asio::io_context& io_;
  tcp::resolver resolver_;
  std::optional<stream_type> stream_;
  beast::flat_buffer buffer_;
  http::request<http::string_body> req_;  // (empty; the type net/http_client writes too)
  std::optional<http::response_parser<http::string_body>> parser_;
  request request_;
  bool connected_ = false;
};

rest_client::rest_client(asio::io_context& io, endpoint where,
                         std::shared_ptr<asio::ssl::context> tls, rest_options options)
    : io_(io), where_(std::move(where)), tls_(std::move(tls)), options_(options), pause_timer_(io) {}

rest_client::~rest_client() = default;

void rest_client::get(std::string target, unsigned weight, handler done) {
  asio::post(io_, [self = shared_from_this(), r = request{std::move(target), weight, 0, std::move(done)}]() mutable {
    if (self->banned_ || self->stopped_) {
      rest_response refused;
      refused.status = self->banned_ ? 418 : 0;
      refused.error = self->banned_ ? "banned (HTTP 418)" : "stopped";
      r.done(refused);
      return;
    }
    self->queue_.push_back(std::move(r));
    self->do_dispatch_();
  });
}

void rest_client::stop() {
  asio::post(io_, [self = shared_from_this()] {
    self->stopped_ = true;
    self->pause_timer_.cancel();
    for (auto& s : self->sessions_) s->close();
    self->queue_.clear();
  });
}

rest_stats rest_client::stats() const {
  std::lock_guard lock(stats_mutex_);
  return stats_;
}

void rest_client::do_dispatch_() {
  if (stopped_ || banned_) return;
  const auto now = std::chrono::steady_clock::now();
  if (now < paused_until_) {
    if (!pause_armed_) {
      pause_armed_ = true;
      pause_timer_.expires_at(paused_until_);
      pause_timer_.async_wait([self = shared_from_this()](beast::error_code ec) {
        self->pause_armed_ = false;
        if (!ec) self->do_dispatch_();
      });
    }
    return;
  }
  while (!queue_.empty()) {
    // Our own count of this minute's weight, so a burst never reaches the limit.
    const auto minute = std::chrono::duration_cast<std::chrono::minutes>(
                            std::chrono::system_clock::now().time_since_epoch()).count();
    if (minute != minute_) {
      minute_ = minute;
      minute_weight_ = 0;
    }
    if (minute_weight_ + queue_.front().weight > options_.weight_budget) {
      auto next_minute = std::chrono::system_clock::time_point(std::chrono::minutes(minute + 1));
      paused_until_ = now + (next_minute - std::chrono::system_clock::now());
      return do_dispatch_();
    }
    session* s = nullptr;
    if (!idle_.empty()) {
      s = idle_.back();
      idle_.pop_back();
    } else if (sessions_.size() < options_.sessions) {
      std::shared_ptr<session> created;
      if (where_.tls)
        created = std::make_shared<session_impl<true>>(weak_from_this(), io_);
      else
        created = std::make_shared<session_impl<false>>(weak_from_this(), io_);
      sessions_.push_back(created);
      s = created.get();
    } else {
      return;  // all busy: a finishing one dispatches again
    }
    minute_weight_ += queue_.front().weight;
    request r = std::move(queue_.front());
    queue_.pop_front();
    {
      std::lock_guard lock(stats_mutex_);
      ++stats_.requests;
    }
    s->run(std::move(r));
  }
}

void rest_client::on_response_(session* from, request r, rest_response response, unsigned used) {
  idle_.push_back(from);
  if (stopped_) return;
  if (used) {
    minute_weight_ = std::max(minute_weight_, used);
    std::lock_guard lock(stats_mutex_);
    stats_.used_weight = used;
  }
  if (response.status == 418) {
    banned_ = true;
    spdlog::error("binance REST: HTTP 418, this IP is banned for {} s: stopping all requests",
                  response.retry_after);
    {
      std::lock_guard lock(stats_mutex_);
      stats_.banned = true;
    }
    auto queued = std::move(queue_);
    queue_.clear();
    r.done(response);
    for (auto& q : queued) q.done(response);
    return;
  }
  if (response.status == 429) {
    // Back off for as long as Binance says (at least a second), then retry.
    const unsigned wait = std::max(1u, response.retry_after);
    spdlog::warn("binance REST: HTTP 429, pausing requests for {} s", wait);
    paused_until_ = std::max(paused_until_, std::chrono::steady_clock::now() + std::chrono::seconds(wait));
    {
      std::lock_guard lock(stats_mutex_);
      ++stats_.throttled;
    }
    queue_.push_front(std::move(r));
    return do_dispatch_();
  }
  if (response.status == 0 || response.status >= 500) {
    if (++r.attempts < options_.attempts) {
      // Transport error or a Binance-side failure: retry after a short, growing pause.
      auto timer = std::make_shared<asio::steady_timer>(io_, std::chrono::milliseconds(100u << r.attempts));
      timer->async_wait([self = shared_from_this(), timer, r = std::move(r)](beast::error_code ec) mutable {
        if (ec || self->stopped_) return;
        self->queue_.push_back(std::move(r));
        self->do_dispatch_();
      });
      do_dispatch_();
      return;
    }
    std::lock_guard lock(stats_mutex_);
    ++stats_.failures;
  }
  r.done(response);
  do_dispatch_();
}

}  // namespace vyx::runtime::binance
