// The live Binance feed: wires the REST client, the stream connections, the
// backfill and the sequencer on one I/O thread; next() on the scheduler's
// thread hands out released batches and keeps the forming slots current.
// Over 400 lines: every callback here shares the impl's state on the I/O
// thread; the pieces it wires (rest_client, stream_connection, backfill,
// the sequencer, message_parser) each live in a file of their own.
#include "vyx/runtime/feeds/binance_feed.hpp"

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <bit>
#include <limits>
#include <condition_variable>
#include <deque>
#include <future>
#include <map>
#include <optional>
#include <set>
#include <thread>
#include <unordered_map>

#include "backfill.hpp"
#include "candle_sequencer.hpp"
#include "endpoint.hpp"
#include "message_parser.hpp"
#include "rest_client.hpp"
#include "stream_connection.hpp"
#include "stream_planner.hpp"
#include "symbol_universe.hpp"
#include "vyx/runtime/market/timeframe.hpp"

namespace vyx::runtime {

using namespace binance;
namespace asio = boost::asio;
using clock_type = std::chrono::steady_clock;

namespace {

struct string_hash {
  using is_transparent = void;
  std::size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
};

std::int64_t wall_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

// {"serverTime":N} as N; 0 when the body is not that.
std::int64_t parse_server_time(const std::string& body) {
  auto at = body.find("serverTime\":");
  return at == std::string::npos ? 0 : std::atoll(body.c_str() + at + 12);
}

}  // namespace

struct binance_feed::impl {
  binance_feed& self;
  binance_feed_options options;
  asio::io_context io;
  asio::executor_work_guard<asio::io_context::executor_type> work{io.get_executor()};
  std::thread thread;
  std::shared_ptr<asio::ssl::context> tls;
  endpoint api, ws;
  std::shared_ptr<rest_client> rest;
  std::unique_ptr<backfill> filler;
  // Added under `mutex` (health() and wait_live() read them from other threads).
  std::vector<std::shared_ptr<stream_connection>> connections;
  std::vector<std::vector<stream_key>> connection_keys;
  std::deque<clock_type::time_point> connection_opened;  // I/O thread: the feed's own openings
  std::unordered_map<std::string, std::uint32_t, string_hash, std::equal_to<>> symbol_index;
  // The universe by index, newcomers appended (I/O thread only; the feed's
  // own symbols_ is the consumer thread's copy, grown from `joined` in next()).
  std::vector<std::string> names;
  std::size_t symbol_slots = 0;  // names may grow to this (the store's reserved slots)
  // Slots of symbols that left, the longest gone first: a newcomer takes one
  // once the reserved slots are used (a leaver that comes back before that
  // finds its own slot and history). I/O thread only.
  std::deque<std::uint32_t> vacated;
  // Per slot, increased when it changes hands: a REST answer for the symbol
  // that had it must not land in the newcomer's sequence. I/O thread only.
  std::vector<std::uint32_t> slot_epoch;
  message_parser parser;  // I/O thread only
  asio::steady_timer refresh_timer{io};

  // Shared with the scheduler's thread.
  mutable std::mutex mutex;
  mutable std::condition_variable changed;
  candle_sequencer sequencer;
  std::deque<closed_candle> ready;
  struct forming_slot {
    candle bar;
    bool fresh = false;
  };
  std::vector<forming_slot> forming;  // by symbol * VYX_TIMEFRAME_COUNT + tf
  // The slots that turned fresh since the consumer last looked: it wakes
  // tens of thousands of times over a run, and a scan of every slot at each
  // wake-up was the largest part of its feed work.
  std::vector<std::uint32_t> fresh_slots;
  std::vector<std::uint32_t> batch_symbols;  // of the batch being handed out
  std::vector<std::string> joined;  // newcomers' names not yet in self.symbols_
  std::vector<std::pair<std::uint32_t, std::string>> renamed;  // reused slots not yet in self.symbols_
  binance_batch_timing last_timing;
  struct exchange_ticker {
    vyx_ticker ticker{};
    std::int64_t event_time = 0;  // 0: none yet
    // What a close's candles carried: a late candle of that close carries the same.
    vyx_ticker attached{};
    std::int64_t attached_close = 0;
  };
  std::vector<exchange_ticker> exchange_tickers;  // by symbol: the newest !miniTicker@arr entry
  std::map<std::string, std::int64_t, std::less<>> joined_at;  // newcomer -> market time it joined
  candle_store* store = nullptr;
  bool stopped = false, startup_done = false;
  std::string fatal;
  std::atomic<std::int64_t> market_now{0}, last_close{0};
  std::atomic<std::uint64_t> backfilled{0}, missing{0}, late{0}, malformed{0}, tickers{0},
      dropped{0}, newcomers{0}, waiting{0};
  std::size_t startup_pending = 0;
  std::vector<bool> ready_early;  // connections that came up before the start-up backfill ended
  mutable std::mutex rate_mutex;
  mutable std::pair<clock_type::time_point, std::uint64_t> rate_sample{};
  mutable double rate = 0;

  impl(binance_feed& feed, binance_feed_options o)
      : self(feed), options(std::move(o)), sequencer(0, 0, options.grace) {}

  // ---- start-up (constructor's thread, waiting on the I/O thread)

  rest_response get_now(const std::string& target, unsigned weight) {
    auto promise = std::make_shared<std::promise<rest_response>>();
    auto future = promise->get_future();
    rest->get(target, weight, [promise](const rest_response& r) { promise->set_value(r); });
    if (future.wait_for(options.startup_timeout) != std::future_status::ready) {
      rest_response r;
      r.error = "no answer within " + std::to_string(options.startup_timeout.count()) + " ms";
      return r;
    }
    return future.get();
  }

  static std::string describe(const std::string& what, const rest_response& r) {
    return what + ": " + (r.status ? "HTTP " + std::to_string(r.status) + " " + r.body.substr(0, 200) : r.error);
  }

  std::vector<std::string> resolve_universe(std::string& error) {
    auto info = get_now("/api/v3/exchangeInfo", 20);
    if (info.status != 200) {
      error = describe("exchangeInfo", info);
      return {};
    }
    rest_response tick;
    if (options.pinned_symbols.empty()) {
      tick = get_now("/api/v3/ticker/24hr", 80);
      if (tick.status != 200) {
        error = describe("ticker/24hr", tick);
        return {};
      }
    }
    universe_rules rules{options.symbol_count, options.min_volume, options.pinned_symbols};
    return select_universe(info.body, tick.body, rules, error);
  }

  void start() {
    std::string error;
    auto a = parse_endpoint(options.api_url);
    auto w = parse_endpoint(options.ws_url);
    if (!a) throw std::runtime_error("BINANCE_API_URL '" + options.api_url + "' is not an http(s) URL");
    if (!w) throw std::runtime_error("BINANCE_WS_URL '" + options.ws_url + "' is not a ws(s) URL");
    api = *a;
    ws = *w;
    if (api.tls || ws.tls) {
      tls = make_tls_context(options.ca_file, error);
      if (!tls) throw std::runtime_error(error);
    }
    if (options.timeframes == 0) throw std::runtime_error("no timeframes to stream");
    rest_options ro;
    ro.sessions = options.rest_sessions;
    rest = std::make_shared<rest_client>(io, api, tls, ro);
    filler = std::make_unique<backfill>(rest);
    thread = std::thread([this] { io.run(); });

    auto symbols = resolve_universe(error);
    if (symbols.empty()) throw std::runtime_error("binance: symbol universe: " + error);
    auto time = get_now("/api/v3/time", 1);
    std::int64_t server_now = time.status == 200 ? parse_server_time(time.body) : 0;
    if (server_now <= 0) server_now = wall_ms();
    market_now = server_now;
    self.symbols_ = symbols;
    self.timeframes_ = options.timeframes;
    names = symbols;
    // A pinned list never changes; a ranked one may take newcomers into reserved slots.
    symbol_slots = symbols.size() + (options.pinned_symbols.empty() ? options.reserved_symbols : 0);
    for (std::uint32_t i = 0; i < symbols.size(); ++i) symbol_index.emplace(symbols[i], i);
    slot_epoch.assign(symbols.size(), 0);
    {
      std::lock_guard lock(mutex);
      sequencer = candle_sequencer(symbols.size(), options.timeframes, options.grace);
      forming.assign(symbols.size() * VYX_TIMEFRAME_COUNT, {});
      fresh_slots.clear();
    }
    spdlog::info("binance: {} symbols x timeframes {}; backfilling {} candles each", symbols.size(),
                 timeframe_list(options.timeframes), options.history);

    // Streams first, so nothing between the backfill and the first frame is missed.
    auto plan = plan_streams(symbols, options.timeframes, options.streams_per_connection);
    for (auto& streams : plan.connections) add_connection(std::move(streams));
    startup_pending = symbols.size() * static_cast<std::size_t>(std::popcount(options.timeframes));
    for (auto& c : connections) c->start();
    asio::post(io, [this] { start_backfill(); });
    schedule_refresh();
  }

  // One more combined-stream connection carrying `streams` (not started).
  // Its keys are what its (re)connects backfill. Connections are only added,
  // on the constructor's thread before the I/O starts or on the I/O thread;
  // other threads read the list under the lock.
  stream_connection& add_connection(std::vector<std::string> streams) {
    std::vector<stream_key> keys;
    for (const auto& name : streams) {
      auto at = name.find("@kline_");
      if (at == std::string::npos) continue;
      std::string upper = name.substr(0, at);
      for (char& ch : upper) ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
      auto tf = parse_timeframe(name.substr(at + 7));
      auto it = symbol_index.find(upper);
      if (tf && it != symbol_index.end()) keys.push_back({it->second, *tf});
    }
    stream_options so;
    so.idle_timeout = options.idle_timeout;
    so.max_age = options.max_connection_age;
    so.messages_per_second = options.subscribe_messages_per_second;
    stream_handlers h;
    h.message = [this](std::size_t, const char* data, std::size_t size, std::size_t capacity) {
      on_message(data, size, capacity);
    };
    h.ready = [this](std::size_t id) { on_connection_ready(id); };
    const std::size_t id = connections.size();
    auto connection = std::make_shared<stream_connection>(io, ws, tls, id, std::move(streams), so, h);
    connection_opened.push_back(clock_type::now());
    std::lock_guard lock(mutex);
    connection_keys.push_back(std::move(keys));
    connections.push_back(connection);
    return *connection;
  }

  // Binance allows 300 new connections per 5 minutes per IP; the feed's own
  // openings (start-up, newcomers' connections) stay within
  // options.new_connections_per_5_minutes of them, leaving the rest for
  // reconnects and roll-overs.
  bool may_open_connection() {
    const auto now = clock_type::now();
    while (!connection_opened.empty() && now - connection_opened.front() >= std::chrono::minutes(5))
      connection_opened.pop_front();
    return connections.size() < options.max_connections &&
           connection_opened.size() < options.new_connections_per_5_minutes;
  }

  // ---- backfill (I/O thread)

  void start_backfill() {
    for (std::uint32_t s = 0; s < self.symbols_.size(); ++s)
      for (vyx_timeframe tf = 0; tf < VYX_TIMEFRAME_COUNT; ++tf) {
        if (!(options.timeframes & (1u << tf))) continue;
        stream_key key{s, tf};
        filler->fetch(names[s], tf, -1, market_now, options.history,
                      [this, key](backfill_result r) { on_startup_rows(key, std::move(r)); });
      }
  }

  // A stream's first rows (at start-up, or a newcomer's): they start its
  // sequence. False when the exchange refused us for good.
  bool start_stream(stream_key key, const backfill_result& r, const char* what) {
    if (check_fatal(r)) return false;
    if (!r.error.empty())
      spdlog::warn("binance: {} of {} {}: {}", what, names[key.symbol],
                   timeframe_name(key.timeframe), r.error);
    const std::int64_t ms = timeframe_ms(key.timeframe);
    const std::int64_t now = market_now;
    std::lock_guard lock(mutex);
    std::int64_t first = r.rows.empty() ? now - now % ms : r.rows.front().open_time;
    sequencer.start(key, first);
    for (const candle& c : r.rows)
      if (sequencer.offer(key, c, clock_type::now()) == offer_result::accepted) ++backfilled;
    return true;
  }

  void on_startup_rows(stream_key key, backfill_result r) {
    if (!start_stream(key, r, "start-up backfill")) return;
    if (--startup_pending == 0) {
      {
        std::lock_guard lock(mutex);
        startup_done = true;
      }
      spdlog::info("binance: start-up backfill done ({} candles)", backfilled.load());
      // Streams that were up before it ended may have missed what closed meanwhile.
      for (std::size_t id = 0; id < ready_early.size(); ++id)
        if (ready_early[id]) on_connection_ready(id);
    }
    changed.notify_all();
  }

  // After every (re)connect: what the connection's streams may have missed.
  // The market time is asked first: while the socket was down the feed's own
  // notion of it (the newest event time) stood still, and the backfill takes
  // every row closing before it for closed: a stale one would cut off the
  // very candles that closed during the outage.
  void on_connection_ready(std::size_t id) {
    changed.notify_all();  // wait_live() sees the connection open
    if (id >= connection_keys.size()) return;
    if (startup_pending > 0) {
      ready_early.resize(connection_keys.size());
      ready_early[id] = true;
      return;  // the start-up backfill's end calls again
    }
    rest->get("/api/v3/time", 1, [this, id](const rest_response& r) {
      if (r.status == 418) {
        backfill_result fatal_result;
        fatal_result.status = 418;
        fatal_result.error = r.body.substr(0, 200);
        check_fatal(fatal_result);
        return;
      }
      if (r.status == 200)
        if (auto t = parse_server_time(r.body); t > market_now) market_now = t;
      if (id >= connection_keys.size()) return;
      for (stream_key key : connection_keys[id]) {
        std::int64_t from;
        {
          std::lock_guard lock(mutex);
          if (!sequencer.started(key)) continue;  // the start-up backfill covers it
          from = sequencer.resume_open(key);
        }
        fetch_range(key, from, false);
      }
    });
  }

  // REST rows from `from` on, offered to the sequencer. `late`: the candle was due at a grace.
  void fetch_range(stream_key key, std::int64_t from, bool for_late) {
    filler->fetch(names[key.symbol], key.timeframe, from, market_now, 1u << 20,
                  [this, key, from, for_late, epoch = slot_epoch[key.symbol]](backfill_result r) {
                    if (check_fatal(r) || slot_epoch[key.symbol] != epoch) return;
                    std::lock_guard lock(mutex);
                    for (const candle& c : r.rows)
                      if (sequencer.offer(key, c, clock_type::now()) == offer_result::accepted) ++backfilled;
                    if (for_late) {
                      bool found = !r.rows.empty() && r.rows.front().open_time == from;
                      if (!found) {
                        spdlog::warn("binance: {} {} candle at {} not on REST either ({}); not waiting for it",
                                     names[key.symbol], timeframe_name(key.timeframe), from,
                                     r.error.empty() ? "no row" : r.error);
                        sequencer.stall(key);
                      }
                    }
                    changed.notify_all();
                  });
  }

  void fetch_gap(const gap_request& gap) {
    filler->fetch(names[gap.key.symbol], gap.key.timeframe, gap.from_open, market_now, 1u << 20,
                  [this, gap, epoch = slot_epoch[gap.key.symbol]](backfill_result r) {
                    if (check_fatal(r) || slot_epoch[gap.key.symbol] != epoch) return;
                    std::lock_guard lock(mutex);
                    for (const candle& c : r.rows)
                      if (c.open_time < gap.to_open &&
                          sequencer.offer(gap.key, c, clock_type::now()) == offer_result::accepted)
                        ++backfilled;
                    if (r.error.empty()) {
                      // What REST does not have either is missing for good: reported, not kept silently.
                      if (auto skipped = sequencer.skip_gap(gap.key); skipped > 0) {
                        missing += static_cast<std::uint64_t>(skipped);
                        spdlog::error("binance: {} {}: {} candles from {} missing on Binance too (gap reported)",
                                      names[gap.key.symbol], timeframe_name(gap.key.timeframe),
                                      skipped, gap.from_open);
                      }
                    } else {
                      sequencer.skip_gap(gap.key);  // not skipped: lets the gap be found and fetched again
                    }
                    changed.notify_all();
                  });
  }

  bool check_fatal(const backfill_result& r) {
    if (r.status != 418) return false;
    std::lock_guard lock(mutex);
    if (fatal.empty())
      fatal = "Binance answered HTTP 418: this IP is banned for sending too many requests; stopping (" + r.error + ")";
    changed.notify_all();
    return true;
  }

  // ---- stream messages (I/O thread)

  void on_message(const char* data, std::size_t size, std::size_t capacity) {
    switch (parser.parse(data, size, capacity)) {
      case message_kind::kline: {
        const kline_update& k = parser.kline();
        if (k.event_time > market_now) market_now = k.event_time;
        auto it = symbol_index.find(k.symbol);
        if (it == symbol_index.end() || !(options.timeframes & (1u << k.timeframe))) return;
        stream_key key{it->second, k.timeframe};
        std::lock_guard lock(mutex);
        if (k.closed) {
          // The consumer is woken when the close it waits for may be complete, not per frame.
          if (sequencer.offer(key, k.bar, clock_type::now()) == offer_result::accepted &&
              sequencer.worth_a_look())
            changed.notify_all();
        } else {
          const std::uint32_t index = key.symbol * VYX_TIMEFRAME_COUNT + key.timeframe;
          auto& slot = forming[index];
          slot.bar = k.bar;
          if (!slot.fresh) fresh_slots.push_back(index);
          slot.fresh = true;
        }
        return;
      }
      case message_kind::mini_tickers: {
        ++tickers;
        std::lock_guard lock(mutex);
        exchange_tickers.resize(names.size());
        for (const auto& t : parser.tickers()) {
          if (t.event_time > market_now) market_now = t.event_time;
          auto it = symbol_index.find(t.symbol);
          if (it == symbol_index.end()) continue;
          auto& x = exchange_tickers[it->second];
          if (t.event_time < x.event_time) continue;  // an older array (a roll-over's overlap)
          const double change = t.open_price != 0 ? (t.last_price - t.open_price) / t.open_price * 100.0
                                                  : std::numeric_limits<double>::quiet_NaN();
          x.ticker = vyx_ticker{sizeof(vyx_ticker), 0, t.last_price, change, t.quote_volume};
          x.event_time = t.event_time;
        }
        return;
      }
      case message_kind::malformed: {
        const auto n = ++malformed;
        if (n <= feed::kept_warnings)
          self.warn_(&feed_stats::malformed, "binance stream",
                     "malformed frame: " + std::string(data, std::min<std::size_t>(size, 120)));
        else {
          std::lock_guard lock(self.mutex_);
          ++self.stats_.malformed;
        }
        return;
      }
      default:
        return;
    }
  }

  // ---- the hourly universe refresh (I/O thread)

  void schedule_refresh() {
    refresh_timer.expires_after(options.universe_refresh);
    refresh_timer.async_wait([this](boost::system::error_code ec) {
      if (ec) return;
      refresh_universe();
      schedule_refresh();
    });
  }

  void refresh_universe() {
    rest->get("/api/v3/exchangeInfo", 20, [this](const rest_response& info) {
      if (info.status != 200) return;
      auto with_tickers = [this, info_body = info.body](const rest_response& tick) {
        if (!options.pinned_symbols.empty() || tick.status == 200) apply_universe(info_body, tick.body);
      };
      if (!options.pinned_symbols.empty())
        with_tickers({});
      else
        rest->get("/api/v3/ticker/24hr", 80, with_tickers);
    });
  }

  void apply_universe(const std::string& info, const std::string& tickers_body) {
    std::string error;
    universe_rules rules{options.symbol_count, options.min_volume, options.pinned_symbols};
    auto wanted = select_universe(info, tickers_body, rules, error);
    if (wanted.empty()) return;
    std::set<std::string> next(wanted.begin(), wanted.end());
    // Leavers are unsubscribed and no longer awaited; their rows stay in the
    // store, their slots go to later newcomers once the reserved ones are used.
    std::set<std::uint32_t> left;
    for (std::size_t c = 0; c < connection_keys.size(); ++c) {
      std::vector<std::string> leave;
      auto& keys = connection_keys[c];
      for (auto it = keys.begin(); it != keys.end();) {
        const std::string& name = names[it->symbol];
        if (next.count(name)) {
          ++it;
          continue;
        }
        leave.push_back(kline_stream(name, it->timeframe));
        left.insert(it->symbol);
        {
          std::lock_guard lock(mutex);
          sequencer.deactivate(*it);
        }
        it = keys.erase(it);
      }
      if (!leave.empty()) {
        dropped += leave.size();
        spdlog::info("binance: universe refresh: {} streams leave connection {}", leave.size(), c);
        connections[c]->unsubscribe(std::move(leave));
      }
    }
    for (std::uint32_t slot : left)
      if (std::find(vacated.begin(), vacated.end(), slot) == vacated.end()) vacated.push_back(slot);
    // Newcomers: subscribed, backfilled, then screened from their history on.
    std::set<std::string> carried;
    for (const auto& keys : connection_keys)
      for (stream_key key : keys) carried.insert(names[key.symbol]);
    std::uint64_t full = 0;
    for (const auto& name : wanted)
      if (!carried.count(name) && !admit(name)) ++full;
    if (full)
      spdlog::warn("binance: universe refresh: {} new symbols wait for the next refresh (all {} symbol slots "
                   "used, or no connection may be opened now)",
                   full, symbol_slots);
    waiting = full;
    changed.notify_all();
  }

  // The connection with room for `streams` more (Binance: at most 1024 each), or none.
  std::optional<std::size_t> connection_with_room(std::size_t streams) const {
    for (std::size_t c = 0; c < connection_keys.size(); ++c)
      if (connection_keys[c].size() + 1 + streams <= options.streams_per_connection) return c;  // +1: the mini ticker
    return std::nullopt;
  }

  // One symbol into the universe: a new slot (or its old one, when it comes
  // back), its streams subscribed first (nothing between the backfill and
  // the first frame is missed), then its history by REST. Until that
  // arrives its keys hold no batch back. False when no slot or connection is left.
  bool admit(const std::string& name) {
    const auto tf_count = static_cast<std::size_t>(std::popcount(options.timeframes));
    auto c = connection_with_room(tf_count);
    const auto known = symbol_index.find(name);
    const bool returning = known != symbol_index.end();  // (the emplace below may rehash)
    if (!returning && names.size() >= symbol_slots && vacated.empty()) return false;
    // No connection has room: a new one carries its streams, when the
    // per-IP limits allow it.
    const bool fresh_connection = !c;
    if (fresh_connection && (tf_count + 1 > options.streams_per_connection || !may_open_connection()))
      return false;
    std::uint32_t index;
    {
      std::lock_guard lock(mutex);
      joined_at[name] = market_now;
    }
    if (returning) {
      index = known->second;
      vacated.erase(std::remove(vacated.begin(), vacated.end(), index), vacated.end());
    } else if (names.size() < symbol_slots) {
      index = static_cast<std::uint32_t>(names.size());
      names.push_back(name);
      symbol_index.emplace(name, index);
      slot_epoch.push_back(0);
      std::lock_guard lock(mutex);
      sequencer.add_symbol();
      forming.resize(names.size() * VYX_TIMEFRAME_COUNT);
      joined.push_back(name);
    } else {
      // The slot of the symbol gone longest: it is not heard of again (its
      // frames no longer match a symbol, its REST answers are dropped by the
      // epoch); if it comes back, it is a newcomer like any.
      index = vacated.front();
      vacated.pop_front();
      spdlog::info("binance: universe refresh: {} takes the slot of {}, which left", name, names[index]);
      symbol_index.erase(names[index]);
      names[index] = name;
      symbol_index.emplace(name, index);
      ++slot_epoch[index];
      std::lock_guard lock(mutex);
      sequencer.reuse_symbol(index);
      for (vyx_timeframe tf = 0; tf < VYX_TIMEFRAME_COUNT; ++tf)
        forming[index * VYX_TIMEFRAME_COUNT + tf] = {};
      if (index < exchange_tickers.size()) exchange_tickers[index] = {};
      renamed.emplace_back(index, name);
    }
    std::vector<std::string> streams;
    for (vyx_timeframe tf = 0; tf < VYX_TIMEFRAME_COUNT; ++tf)
      if (options.timeframes & (1u << tf)) streams.push_back(kline_stream(name, tf));
    if (fresh_connection) {
      add_connection(std::move(streams)).start();
      spdlog::info("binance: universe refresh: every connection is full; connection {} opened for {}",
                   connections.size() - 1, name);
    } else {
      for (vyx_timeframe tf = 0; tf < VYX_TIMEFRAME_COUNT; ++tf)
        if (options.timeframes & (1u << tf)) connection_keys[*c].push_back({index, tf});
      connections[*c]->subscribe(std::move(streams));
    }
    ++newcomers;
    spdlog::info("binance: universe refresh: {} joins (symbol {}), backfilling {} candles per timeframe",
                 name, index, options.history);
    for (vyx_timeframe tf = 0; tf < VYX_TIMEFRAME_COUNT; ++tf) {
      if (!(options.timeframes & (1u << tf))) continue;
      const stream_key key{index, tf};
      std::int64_t resume = -1;
      if (returning) {
        std::lock_guard lock(mutex);
        sequencer.reactivate(key);
        if (sequencer.started(key)) resume = sequencer.resume_open(key);
      }
      if (resume >= 0)
        fetch_range(key, resume, false);  // back after leaving: what it missed meanwhile
      else
        filler->fetch(name, tf, -1, market_now, options.history,
                      [this, key, epoch = slot_epoch[index]](backfill_result r) {
                        if (slot_epoch[key.symbol] == epoch) on_join_rows(key, std::move(r));
                      });
    }
    return true;
  }

  void on_join_rows(stream_key key, backfill_result r) {
    if (!start_stream(key, r, "backfill of newcomer")) return;
    changed.notify_all();
  }
};

binance_feed::binance_feed(binance_feed_options options)
    : impl_(std::make_unique<impl>(*this, std::move(options))) {
  try {
    impl_->start();
  } catch (...) {
    impl_->work.reset();
    impl_->io.stop();
    if (impl_->thread.joinable()) impl_->thread.join();
    throw;
  }
}

binance_feed::~binance_feed() {
  stop_it_();
  asio::post(impl_->io, [i = impl_.get()] {
    i->refresh_timer.cancel();
    for (auto& c : i->connections) c->stop();
    i->rest->stop();
  });
  impl_->work.reset();
  // Give the closes a moment, then stop the context for good.
  auto deadline = clock_type::now() + std::chrono::seconds(2);
  while (!impl_->io.stopped() && clock_type::now() < deadline)
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  impl_->io.stop();
  if (impl_->thread.joinable()) impl_->thread.join();
}

void binance_feed::attach_store(candle_store& store) {
  std::lock_guard lock(impl_->mutex);
  impl_->store = &store;
}

bool binance_feed::next_it_(closed_candle& out) {
  impl& m = *impl_;
  std::unique_lock lock(m.mutex);
  while (true) {
    // Newcomers' names reach symbols() before any candle naming them.
    if (!m.joined.empty()) {
      for (auto& name : m.joined) symbols_.push_back(std::move(name));
      m.joined.clear();
      ++symbols_version_;
    }
    if (!m.ready.empty()) {
      out = m.ready.front();
      m.ready.pop_front();
      if (out.bar.close_time > m.last_close) m.last_close = out.bar.close_time;
      return true;
    }
    if (m.stopped || !m.fatal.empty()) return false;
    // A reused slot is renamed only here, with every candle released before
    // (the leaver's) handed out, and before any batch with the newcomer's.
    if (!m.renamed.empty()) {
      for (auto& [index, name] : m.renamed) symbols_[index] = std::move(name);
      m.renamed.clear();
      ++symbols_version_;
    }
    const auto now = clock_type::now();
    sequencer_batch batch;
    clock_type::time_point wake;
    std::vector<gap_request> gaps;
    bool got = m.startup_done && m.sequencer.next_batch(now, batch, wake, gaps);
    for (const auto& g : gaps) asio::post(m.io, [&m, g] { m.fetch_gap(g); });
    if (got) {
      m.last_timing = {batch.close_time, batch.candles.size(), batch.first_arrival, batch.last_arrival, now};
      for (const auto& key : batch.late) {
        ++m.late;
        const std::int64_t from = batch.close_time + 1 - timeframe_ms(key.timeframe);
        asio::post(m.io, [&m, key, from] { m.fetch_range(key, from, true); });
      }
      if (!batch.late.empty())
        spdlog::info("binance: close {}: {} candles late after the grace, fetching them by REST",
                     batch.close_time, batch.late.size());
      if (m.store) {
        // The tick sees what a replay would: no forming candle of the batch's symbols
        // but what the scheduler derives from their closes.
        for (const auto& c : batch.candles)
          for (vyx_timeframe tf = 0; tf < VYX_TIMEFRAME_COUNT; ++tf)
            if ((m.store->timeframes() & (1u << tf)) && c.symbol_index < m.store->symbol_count())
              m.store->clear_forming(c.symbol_index, tf);
      }
      for (auto& c : batch.candles) {
        // The exchange's 24 h ticker as of this close: the newest array, when
        // within ticker_max_lag of the close (not for backfilled history: it is of today).
        if (c.symbol_index < m.exchange_tickers.size()) {
          auto& x = m.exchange_tickers[c.symbol_index];
          if (x.attached_close != c.bar.close_time && x.event_time >= c.bar.close_time - m.options.ticker_max_lag.count() &&
              x.event_time <= c.bar.close_time + m.options.ticker_max_lag.count()) {
            x.attached = x.ticker;
            x.attached_close = c.bar.close_time;
          }
          if (x.attached_close == c.bar.close_time) {
            c.has_ticker = true;
            c.ticker = x.attached;
          }
        }
        m.ready.push_back(c);
      }
      continue;
    }
    // Between ticks: the newest x=false candles into the forming slots.
    if (m.store) {
      std::size_t kept = 0;
      for (const std::uint32_t i : m.fresh_slots) {
        if (i >= m.forming.size()) continue;
        auto& slot = m.forming[i];
        if (!slot.fresh) continue;  // reset since, or listed twice
        const auto symbol = static_cast<std::uint32_t>(i / VYX_TIMEFRAME_COUNT);
        if (symbol >= m.store->symbol_count()) {  // a newcomer the store has not yet: later
          m.fresh_slots[kept++] = i;
          continue;
        }
        slot.fresh = false;
        const auto tf = static_cast<vyx_timeframe>(i % VYX_TIMEFRAME_COUNT);
        vyx_candles v = m.store->view(symbol, tf);
        if (v.count > 0 && v.open_time[v.count - 1] >= slot.bar.open_time) continue;  // closed already
        m.store->set_forming(symbol, tf, slot.bar);
      }
      m.fresh_slots.resize(kept);
    }
    m.changed.wait_until(lock, std::min(wake, now + std::chrono::milliseconds(200)));
    if (idle_ && m.ready.empty()) {
      // Unlocked: the I/O thread keeps queueing while the consumer works.
      lock.unlock();
      idle_();
      lock.lock();
    }
  }
}

std::size_t binance_feed::symbol_capacity_it_() const { return impl_->symbol_slots; }

bool binance_feed::batch_complete_it_() const {
  std::lock_guard lock(impl_->mutex);
  return impl_->ready.empty();
}

void binance_feed::stop_it_() {
  {
    std::lock_guard lock(impl_->mutex);
    impl_->stopped = true;
  }
  impl_->changed.notify_all();
}

bool binance_feed::wait_live(std::chrono::milliseconds limit) const {
  const impl& m = *impl_;
  std::unique_lock lock(m.mutex);
  return m.changed.wait_for(lock, limit, [&] {
    if (!m.startup_done || !m.fatal.empty()) return !m.fatal.empty();
    for (const auto& c : m.connections)
      if (c->health().state != connection_state::open) return false;
    return true;
  }) && m.fatal.empty();
}

std::int64_t binance_feed::joined_at(std::string_view symbol) const {
  std::lock_guard lock(impl_->mutex);
  auto it = impl_->joined_at.find(symbol);
  return it == impl_->joined_at.end() ? 0 : it->second;
}

std::string binance_feed::error() const {
  std::lock_guard lock(impl_->mutex);
  return impl_->fatal;
}

void binance_feed::roll_over_connections() {
  std::vector<std::shared_ptr<stream_connection>> connections;
  {
    std::lock_guard lock(impl_->mutex);
    connections = impl_->connections;
  }
  for (auto& c : connections) c->roll_over();
}

std::int64_t binance_feed::market_now() const { return impl_->market_now; }

binance_batch_timing binance_feed::last_batch_timing() const {
  std::lock_guard lock(impl_->mutex);
  return impl_->last_timing;
}

binance_health binance_feed::health() const {
  const impl& m = *impl_;
  binance_health h;
  std::vector<std::shared_ptr<stream_connection>> connections;
  {
    std::lock_guard lock(m.mutex);
    h.phase = !m.fatal.empty() ? "failed" : m.stopped ? "stopped" : m.startup_done ? "live" : "backfilling";
    h.error = m.fatal;
    h.duplicates = m.sequencer.duplicates();
    h.held = m.sequencer.held();
    connections = m.connections;
  }
  for (const auto& c : connections) {
    auto ch = c->health();
    h.connections.push_back({ch.id, to_string(ch.state), ch.streams, ch.messages, ch.reconnects, ch.rollovers});
    h.messages += ch.messages;
    h.reconnects += ch.reconnects;
  }
  h.backfilled = m.backfilled;
  h.missing = m.missing;
  h.late = m.late;
  h.malformed = m.malformed;
  h.universe_dropped = m.dropped;
  h.universe_newcomers = m.newcomers;
  h.universe_waiting = m.waiting;
  auto rs = m.rest->stats();
  h.rest_requests = rs.requests;
  h.rest_throttled = rs.throttled;
  h.last_close_ms = m.last_close;
  h.lag_ms = h.last_close_ms ? wall_ms() - h.last_close_ms : 0;
  {
    std::lock_guard lock(m.rate_mutex);
    auto now = clock_type::now();
    auto& [at, count] = m.rate_sample;
    double seconds = std::chrono::duration<double>(now - at).count();
    if (at == clock_type::time_point{}) {
      at = now;
      count = h.messages;
    } else if (seconds >= 1) {
      m.rate = static_cast<double>(h.messages - count) / seconds;
      at = now;
      count = h.messages;
    }
    h.messages_per_second = m.rate;
  }
  return h;
}

}  // namespace vyx::runtime
