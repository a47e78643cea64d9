// The mock exchange's shared state, market clock, publishing and REST
// answers. Sessions (mock_sessions.hpp) call back into it on the I/O thread.
// Over 400 lines: one REST answer per endpoint the feed uses, and the chaos
// the tests can order (drops, delays, failures), each short.
#include "mock_binance.hpp"

#include <simdjson.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <sstream>
#include <stdexcept>

#include "mock_sessions.hpp"
#include "vyx/runtime/market/timeframe.hpp"

namespace vyx::mock {

using runtime::timeframe_ms;
using runtime::timeframe_name;

namespace {

std::string lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

void kline_row(std::ostringstream& out, const candle& c) {
  out << '[' << c.open_time << ",\"" << decimal(c.open) << "\",\"" << decimal(c.high) << "\",\""
      << decimal(c.low) << "\",\"" << decimal(c.close) << "\",\"" << decimal(c.volume) << "\","
      << c.close_time << ",\"" << decimal(c.quote_volume) << "\"," << c.trades << ",\""
      << decimal(c.taker_buy_base_volume) << "\",\"" << decimal(c.taker_buy_base_volume * c.close)
      << "\",\"0\"]";
}

// What a forming candle looks like `now` into its period (deterministic, not the final values).
candle forming_at(const candle& c, std::int64_t now, std::int64_t interval) {
  double f = std::clamp(static_cast<double>(now - c.open_time) / static_cast<double>(interval), 0.0,
                        1.0);
  candle p = c;
  p.close = std::round((c.open + (c.close - c.open) * f) * 1e4) / 1e4;
  p.high = std::max(p.open, p.close);
  p.low = std::min(p.open, p.close);
  p.volume = std::round(c.volume * f * 1e3) / 1e3;
  p.quote_volume = std::round(p.volume * p.close * 1e4) / 1e4;
  p.taker_buy_base_volume = std::round(p.volume * 0.5 * 1e3) / 1e3;
  p.trades = static_cast<std::int64_t>(static_cast<double>(c.trades) * f);
  return p;
}

}  // namespace

std::string kline_event(const std::string& symbol, vyx_timeframe tf, const candle& c, bool closed,
                        std::int64_t event_time) {
  std::string stream = lower(symbol) + "@kline_" + timeframe_name(tf);
  std::ostringstream out;
  out << "{\"stream\":\"" << stream << "\",\"data\":{\"e\":\"kline\",\"E\":" << event_time
      << ",\"s\":\"" << symbol << "\",\"k\":{\"t\":" << c.open_time << ",\"T\":" << c.close_time
      << ",\"s\":\"" << symbol << "\",\"i\":\"" << timeframe_name(tf)
      << "\",\"f\":100,\"L\":200,\"o\":\"" << decimal(c.open) << "\",\"c\":\"" << decimal(c.close)
      << "\",\"h\":\"" << decimal(c.high) << "\",\"l\":\"" << decimal(c.low) << "\",\"v\":\""
      << decimal(c.volume) << "\",\"n\":" << c.trades << ",\"x\":" << (closed ? "true" : "false")
      << ",\"q\":\"" << decimal(c.quote_volume) << "\",\"V\":\"" << decimal(c.taker_buy_base_volume)
      << "\",\"Q\":\"" << decimal(c.taker_buy_base_volume * c.close) << "\",\"B\":\"0\"}}}";
  return out.str();
}

// ---- state: everything below runs on the I/O thread unless it takes the lock.

mock_state::mock_state(mock_market m, mock_options o)
    : market(std::move(m)), options(std::move(o)), acceptor(io) {
  if (!options.cert_file.empty() && !options.key_file.empty()) {
    tls.emplace(boost::asio::ssl::context::tls_server);
    boost::system::error_code ec;
    tls->use_certificate_chain_file(options.cert_file.string(), ec);
    if (!ec) tls->use_private_key_file(options.key_file.string(), boost::asio::ssl::context::pem, ec);
    if (ec) throw std::runtime_error("mock binance: certificate: " + ec.message());
  }
  cursors.resize(market.symbols.size());
  auto endpoint = boost::asio::ip::tcp::endpoint(boost::asio::ip::make_address(options.address),
                                                 options.port);
  acceptor.open(endpoint.protocol());
  acceptor.set_option(boost::asio::socket_base::reuse_address(true));
  acceptor.bind(endpoint);
  acceptor.listen();
}

void mock_state::start_accept() {
  acceptor.async_accept(boost::asio::make_strand(io),
                        [this](boost::system::error_code ec,
                                                    boost::asio::ip::tcp::socket socket) {
                          if (ec) return;  // acceptor closed: shutting down
                          on_accept(std::move(socket));
                          start_accept();
                        });
}

void mock_state::on_accept(boost::asio::ip::tcp::socket socket) {
  if (tls)
    std::make_shared<http_session<tls_stream>>(tls_stream(std::move(socket), *tls),
                                               this)
        ->run();
  else
    std::make_shared<http_session<plain_stream>>(plain_stream(std::move(socket)),
                                                 this)
        ->run();
}

void mock_state::add_session(std::weak_ptr<ws_session_base> session) {
  sessions.push_back(std::move(session));
  std::lock_guard lock(mutex);
  ++counters.connections_accepted;
}

std::vector<std::shared_ptr<ws_session_base>> mock_state::live_sessions() {
  std::vector<std::shared_ptr<ws_session_base>> out;
  std::erase_if(sessions, [&](const std::weak_ptr<ws_session_base>& w) {
    auto s = w.lock();
    if (!s) return true;  // the session is gone
    if (s->open()) out.push_back(s);  // a copy: `s` still decides what is kept
    return false;
  });
  std::lock_guard lock(mutex);
  counters.connections_open = out.size();
  return out;
}

void mock_state::broadcast(const std::string& stream, std::string text) {
  auto message = std::make_shared<const std::string>(std::move(text));
  for (auto& s : live) {
    if (!s->subscribed(stream)) continue;
    s->deliver(message);
    std::lock_guard lock(mutex);
    ++counters.messages_sent;
  }
}

void mock_state::publish(std::int64_t t) {
  if (t <= now) return;
  live = live_sessions();

  if (!started) {
    // Everything closed before the first publish is history: REST only.
    started = true;
    for (std::size_t i = 0; i < market.symbols.size(); ++i)
      for (vyx_timeframe tf = 0; tf < VYX_TIMEFRAME_COUNT; ++tf) {
        const auto& bars = market.symbols[i].bars[tf];
        auto& c = cursors[i][tf];
        while (c.next < bars.size() && bars[c.next].close_time + 1 <= t) ++c.next;
        c.last_forming = t;
      }
    now = t;
    last_ticker = t;
    live.clear();
    return;
  }
  for (std::size_t i = 0; i < market.symbols.size(); ++i) {
    mock_symbol& s = market.symbols[i];
    if (!s.trading) continue;
    const std::int64_t delay = delays.count(s.name) ? delays[s.name] : 0;
    for (vyx_timeframe tf = 0; tf < VYX_TIMEFRAME_COUNT; ++tf) {
      const auto& bars = s.bars[tf];
      if (bars.empty()) continue;
      auto& c = cursors[i][tf];
      const std::string stream = lower(s.name) + "@kline_" + timeframe_name(tf);
      while (c.next < bars.size() && bars[c.next].close_time + 1 + delay <= t) {
        const candle& bar = bars[c.next++];
        std::string text = kline_event(s.name, tf, bar, true, bar.close_time + 1 + delay);
        if (swaps.count(s.name + '/' + timeframe_name(tf)) && !c.held) {
          c.held = std::move(text);  // sent after the next one
          swaps.erase(s.name + '/' + timeframe_name(tf));
          continue;
        }
        broadcast(stream, text);
        if (duplicate) broadcast(stream, text);
        if (c.held) {
          broadcast(stream, std::move(*c.held));
          c.held.reset();
        }
      }
      if (c.next < bars.size() && bars[c.next].open_time <= t &&
          t - c.last_forming >= options.forming_interval_ms) {
        c.last_forming = t;
        broadcast(stream, kline_event(s.name, tf, forming_at(bars[c.next], t, timeframe_ms(tf)),
                                      false, t));
      }
    }
  }
  if (t - last_ticker >= options.ticker_interval_ms) {
    last_ticker = t;
    std::ostringstream out;
    out << "{\"stream\":\"!miniTicker@arr\",\"data\":[";
    bool first = true;
    for (std::size_t i = 0; i < market.symbols.size(); ++i) {
      const mock_symbol& s = market.symbols[i];
      const candle* last = latest(i, t);
      if (!s.trading || !last) continue;
      out << (first ? "" : ",") << "{\"e\":\"24hrMiniTicker\",\"E\":" << t << ",\"s\":\"" << s.name
          << "\",\"c\":\"" << decimal(last->close) << "\",\"o\":\"" << decimal(last->open)
          << "\",\"h\":\"" << decimal(last->high) << "\",\"l\":\"" << decimal(last->low)
          << "\",\"v\":\"" << decimal(s.quote_volume / std::max(last->close, 1e-9))
          << "\",\"q\":\"" << decimal(s.quote_volume) << "\"}";
      first = false;
    }
    out << "]}";
    broadcast("!miniTicker@arr", out.str());
  }
  now = t;
  live.clear();
}

const candle* mock_state::latest(std::size_t symbol, std::int64_t t) const {
  for (vyx_timeframe tf = 0; tf < VYX_TIMEFRAME_COUNT; ++tf) {
    const auto& bars = market.symbols[symbol].bars[tf];
    if (bars.empty()) continue;
    auto it = std::upper_bound(bars.begin(), bars.end(), t,
                               [](std::int64_t v, const candle& c) { return v < c.close_time + 1; });
    return it == bars.begin() ? nullptr : &*(it - 1);
  }
  return nullptr;
}

namespace {

std::string query_value(const std::string& target, const std::string& key) {
  auto q = target.find('?');
  if (q == std::string::npos) return {};
  std::string query = target.substr(q + 1);
  std::size_t pos = 0;
  while (pos <= query.size()) {
    auto amp = query.find('&', pos);
    std::string pair = query.substr(pos, amp == std::string::npos ? std::string::npos : amp - pos);
    auto eq = pair.find('=');
    if (eq != std::string::npos && pair.substr(0, eq) == key) return pair.substr(eq + 1);
    if (amp == std::string::npos) break;
    pos = amp + 1;
  }
  return {};
}

}  // namespace

rest_answer mock_state::answer(const std::string& target) {
  rest_answer a;
  std::string path = target.substr(0, target.find('?'));
  {
    std::lock_guard lock(mutex);
    ++counters.rest_requests;
    if (path == "/api/v3/klines") ++counters.kline_requests;
    if (fail_count > 0 && fail_after > 0) {
      --fail_after;
    } else if (fail_count > 0) {
      --fail_count;
      a.status = fail_status;
      a.retry_after = fail_retry_after;
      a.body = fail_status == 418
                   ? "{\"code\":-1003,\"msg\":\"Way too much request weight used; IP banned.\"}"
                   : "{\"code\":-1003,\"msg\":\"Too much request weight used.\"}";
      return a;
    }
  }
  unsigned weight = path == "/api/v3/klines"            ? 2
                    : path == "/api/v3/exchangeInfo"    ? 20
                    : path == "/api/v3/ticker/24hr"     ? 80
                                                        : 1;
  const auto minute = std::chrono::duration_cast<std::chrono::minutes>(
                          std::chrono::steady_clock::now().time_since_epoch())
                          .count();
  if (minute != weight_minute) {
    weight_minute = minute;
    weight_used = 0;
  }
  if (weight_used + weight > options.weight_limit) {
    a.status = 429;
    a.retry_after = 60;
    a.body = "{\"code\":-1003,\"msg\":\"Too much request weight used.\"}";
    return a;
  }
  weight_used += weight;
  a.used_weight = weight_used;
  std::ostringstream out;
  if (path == "/api/v3/time") {
    out << "{\"serverTime\":" << now << '}';
  } else if (path == "/api/v3/exchangeInfo") {
    out << "{\"timezone\":\"UTC\",\"serverTime\":" << now
        << ",\"rateLimits\":[{\"rateLimitType\":\"REQUEST_WEIGHT\",\"interval\":\"MINUTE\","
           "\"intervalNum\":1,\"limit\":"
        << options.weight_limit << "}],\"symbols\":[";
    for (std::size_t i = 0; i < market.symbols.size(); ++i) {
      const auto& s = market.symbols[i];
      out << (i ? "," : "") << "{\"symbol\":\"" << s.name << "\",\"status\":\""
          << (s.trading ? "TRADING" : "BREAK") << "\",\"baseAsset\":\"" << s.base
          << "\",\"quoteAsset\":\"" << s.quote << "\"}";
    }
    out << "]}";
  } else if (path == "/api/v3/ticker/24hr") {
    out << '[';
    for (std::size_t i = 0; i < market.symbols.size(); ++i) {
      const auto& s = market.symbols[i];
      const candle* last = latest(i, now);
      double price = last ? last->close : 0;
      out << (i ? "," : "") << "{\"symbol\":\"" << s.name
          << "\",\"priceChange\":\"0\",\"priceChangePercent\":\"0.5\",\"lastPrice\":\""
          << decimal(price) << "\",\"volume\":\""
          << decimal(price > 0 ? s.quote_volume / price : 0) << "\",\"quoteVolume\":\""
          << decimal(s.quote_volume) << "\",\"count\":1000}";
    }
    out << ']';
  } else if (path == "/api/v3/klines") {
    std::string symbol = query_value(target, "symbol");
    auto tf = runtime::parse_timeframe(query_value(target, "interval"));
    mock_symbol* s = market.find(symbol);
    if (!s || !tf) {
      a.status = 400;
      a.body = s ? "{\"code\":-1120,\"msg\":\"Invalid interval.\"}"
                 : "{\"code\":-1121,\"msg\":\"Invalid symbol.\"}";
      return a;
    }
    std::int64_t start = 0, end = now, limit = 500;
    if (auto v = query_value(target, "startTime"); !v.empty()) start = std::atoll(v.c_str());
    if (auto v = query_value(target, "endTime"); !v.empty())
      end = std::min<std::int64_t>(end, std::atoll(v.c_str()));
    if (auto v = query_value(target, "limit"); !v.empty()) limit = std::atoll(v.c_str());
    limit = std::clamp<std::int64_t>(limit, 1, 1000);
    if (s->delisted_at) end = std::min(end, s->delisted_at);
    const auto& bars = s->bars[*tf];
    auto it = std::lower_bound(bars.begin(), bars.end(), start,
                               [](const candle& c, std::int64_t v) { return c.open_time < v; });
    // Without startTime Binance answers the newest `limit` rows.
    if (query_value(target, "startTime").empty()) {
      auto last = std::upper_bound(bars.begin(), bars.end(), end,
                                   [](std::int64_t v, const candle& c) { return v < c.open_time; });
      it = last - std::min<std::int64_t>(limit, last - bars.begin());
    }
    out << '[';
    for (std::int64_t n = 0; it != bars.end() && n < limit && it->open_time <= end; ++it, ++n) {
      if (n) out << ',';
      kline_row(out, it->close_time < now ? *it : forming_at(*it, now, timeframe_ms(*tf)));
    }
    out << ']';
  } else {
    a.status = 404;
    a.body = "{\"code\":-1000,\"msg\":\"Unknown path.\"}";
    return a;
  }
  a.body = out.str();
  return a;
}

// ---- public API: each call hops onto the I/O thread.

mock_binance::mock_binance(mock_market market, mock_options options)
    : state_(std::make_shared<mock_state>(std::move(market), std::move(options))) {
  state_->start_accept();
  state_->thread = std::thread([s = state_.get()] { s->io.run(); });
}

mock_binance::~mock_binance() {
  boost::asio::post(state_->io, [s = state_.get()] {
    boost::system::error_code ignored;
    s->acceptor.close(ignored);
    s->clock_timer.reset();
    for (auto& session : s->live_sessions()) session->shut();
  });
  // Sessions finish their closes; then the context is stopped for good.
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(2);
  while (std::chrono::steady_clock::now() < deadline) {
    // Shared: a count still queued when the wait gives up is destroyed with the io_context.
    auto open = std::make_shared<std::promise<std::size_t>>();
    auto f = open->get_future();
    boost::asio::post(state_->io, [s = state_.get(), open] { open->set_value(s->live_sessions().size()); });
    if (f.wait_for(std::chrono::seconds(1)) != std::future_status::ready || f.get() == 0) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  state_->io.stop();
  if (state_->thread.joinable()) state_->thread.join();
  // Handlers still queued (a session's pending read, the clock) are destroyed
  // with the io_context when state_ goes; they own the sessions, not the state.
}

std::uint16_t mock_binance::port() const { return state_->acceptor.local_endpoint().port(); }
std::string mock_binance::api_url() const {
  return std::string(state_->tls ? "https" : "http") + "://127.0.0.1:" + std::to_string(port());
}
std::string mock_binance::ws_url() const {
  return std::string(state_->tls ? "wss" : "ws") + "://127.0.0.1:" + std::to_string(port());
}

template <typename F>
void on_io(mock_state& s, F&& f) {
  std::promise<void> done;
  auto future = done.get_future();
  boost::asio::post(s.io, [&] {
    f();
    done.set_value();
  });
  future.wait();
}

void mock_binance::publish_until(std::int64_t market_ms) {
  on_io(*state_, [&] { state_->publish(market_ms); });
}

void mock_binance::run_clock(std::int64_t start_ms, double speed) {
  on_io(*state_, [&] {
    mock_state* s = state_.get();
    s->publish(start_ms);
    s->clock_timer = std::make_shared<boost::asio::steady_timer>(s->io);
    auto wall_start = std::chrono::steady_clock::now();
    auto tick = std::make_shared<std::function<void()>>();
    std::weak_ptr<boost::asio::steady_timer> weak = s->clock_timer;
    // The pending wait owns the tick; the tick only refers to itself, or the
    // function would own itself and never be freed.
    *tick = [s, weak, wall_start, start_ms, speed, self = std::weak_ptr(tick)] {
      auto timer = weak.lock();
      if (!timer) return;
      auto elapsed = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() -
                                                               wall_start)
                         .count();
      s->publish(start_ms + static_cast<std::int64_t>(elapsed * speed));
      timer->expires_after(std::chrono::milliseconds(5));
      timer->async_wait([next = self.lock()](boost::system::error_code ec) {
        if (!ec && next) (*next)();
      });
    };
    (*tick)();
  });
}

std::int64_t mock_binance::market_now() const {
  std::int64_t t = 0;
  on_io(*state_, [&] { t = state_->now; });
  return t;
}

void mock_binance::drop_mid_frame() {
  on_io(*state_, [&] {
    for (auto& s : state_->live_sessions()) s->drop_mid_frame();
  });
}
void mock_binance::silence(bool on) {
  on_io(*state_, [&] {
    for (auto& s : state_->live_sessions()) s->set_silent(on);
  });
}
void mock_binance::close_all() {
  on_io(*state_, [&] {
    for (auto& s : state_->live_sessions()) s->shut();
  });
}
void mock_binance::send_raw(const std::string& text) {
  on_io(*state_, [&] {
    auto message = std::make_shared<const std::string>(text);
    for (auto& s : state_->live_sessions()) s->deliver(message);
  });
}
void mock_binance::delay_closed(const std::string& symbol, std::int64_t market_ms) {
  on_io(*state_, [&] { state_->delays[symbol] = market_ms; });
}
void mock_binance::duplicate_closed(bool on) {
  on_io(*state_, [&] { state_->duplicate = on; });
}
void mock_binance::swap_next(const std::string& symbol) {
  on_io(*state_, [&] {
    for (vyx_timeframe tf = 0; tf < VYX_TIMEFRAME_COUNT; ++tf)
      state_->swaps.insert(symbol + '/' + timeframe_name(tf));
  });
}
void mock_binance::delist(const std::string& symbol) {
  on_io(*state_, [&] {
    if (auto* s = state_->market.find(symbol)) {
      s->trading = false;
      s->delisted_at = state_->now;
    }
  });
}
void mock_binance::set_quote_volume(const std::string& symbol, double quote_volume) {
  on_io(*state_, [&] {
    if (auto* s = state_->market.find(symbol)) s->quote_volume = quote_volume;
  });
}
void mock_binance::fail_rest(unsigned status, unsigned retry_after_seconds, unsigned count,
                             unsigned after) {
  std::lock_guard lock(state_->mutex);
  state_->fail_after = after;
  state_->fail_status = status;
  state_->fail_retry_after = retry_after_seconds;
  state_->fail_count = count;
}
void mock_binance::set_max_connection_age(std::chrono::milliseconds age) {
  on_io(*state_, [&] { state_->options.max_connection_age = age; });
}
bool mock_binance::wait_counters(const std::function<bool(const mock_counters&)>& done,
                                 std::chrono::milliseconds limit) const {
  std::unique_lock lock(state_->mutex);
  return state_->counted.wait_for(lock, limit, [&] { return done(state_->counters); });
}

mock_counters mock_binance::counters() const {
  std::lock_guard lock(state_->mutex);
  return state_->counters;
}

}  // namespace vyx::mock
