// An in-process live session for the chaos tests: a mock Binance on the
// loopback, the real binance_feed, a recording of what it delivered, the
// real scheduler and sandboxed worker pool; then a replay of the recording
// through the same scheduler, so the two runs' signals can be compared.
#pragma once

#include <doctest/doctest.h>

#include <atomic>
#include <cmath>
#include <condition_variable>
#include <filesystem>
#include <map>
#include <mutex>
#include <sstream>
#include <thread>

#include "mock_binance.hpp"
#include "vyx/runtime/feeds/binance_feed.hpp"
#include "vyx/runtime/feeds/passthrough_feed.hpp"
#include "vyx/runtime/feeds/recording_feed.hpp"
#include "vyx/runtime/feeds/replay_feed.hpp"
#include "vyx/runtime/screening/scheduler.hpp"
#include "vyx/runtime/market/timeframe.hpp"

namespace vyx::test {

namespace fs = std::filesystem;
using namespace vyx::runtime;

inline fs::path fresh_dir(const std::string& name) {
  auto dir = fs::temp_directory_path() / ("vyx_live_" + name + "_" + std::to_string(::getpid()));
  fs::remove_all(dir);
  fs::create_directories(dir);
  return dir;
}

inline std::vector<trader_spec> test_traders() {
  return {{"probe_mtf", fs::path(VYX_LIVE_PLUGIN_DIR) / "probe_mtf.so", true},
          {"rising", fs::path(VYX_LIVE_PLUGIN_DIR) / "rising.so", true}};
}

using signal_key = std::tuple<std::string, std::string, int, std::int64_t, double, std::string>;

inline signal_key key_of(const trader_signal& s) {
  std::string values;
  for (const auto& v : s.values) values += v.name + "=" + std::to_string(v.value) + ";";
  return {s.trader, s.symbol, static_cast<int>(s.timeframe), s.close_time, s.price, values};
}

// Passes a feed through and remembers every candle per (symbol, timeframe).
class collecting_feed final : public passthrough_feed {
 public:
  explicit collecting_feed(feed& source) : passthrough_feed(source) {}
  std::map<std::pair<std::string, int>, std::vector<candle>> candles() const {
    std::lock_guard lock(m_);
    return candles_;
  }
  // Waits until `symbol`'s 1m candles reach `close` (e.g. a universe newcomer's first ones).
  bool wait_symbol(const std::string& symbol, std::int64_t close,
                   std::chrono::seconds limit = std::chrono::seconds(30)) {
    std::unique_lock lock(m_);
    return cv_.wait_for(lock, limit, [&] {
      auto it = candles_.find({symbol, VYX_TF_1M});
      return it != candles_.end() && !it->second.empty() && it->second.back().close_time >= close;
    });
  }
  // Waits until every (symbol, timeframe) outside `skip` delivered a candle closing at or after `close`.
  bool wait_close(std::int64_t close, vyx_timeframe_mask tfs, const std::vector<std::string>& skip = {},
                  std::chrono::seconds limit = std::chrono::seconds(30)) {
    std::unique_lock lock(m_);
    return cv_.wait_for(lock, limit, [&] {
      for (const auto& symbol : symbols_) {
        if (std::find(skip.begin(), skip.end(), symbol) != skip.end()) continue;
        for (vyx_timeframe tf = 0; tf < VYX_TIMEFRAME_COUNT; ++tf) {
          if (!(tfs & (1u << tf))) continue;
          auto it = candles_.find({symbol, tf});
          if (it == candles_.end() || it->second.empty() || it->second.back().close_time < close)
            return false;
        }
      }
      return true;
    });
  }

 protected:
  bool next_it_(closed_candle& out) override {
    if (!source_.next(out)) return false;
    std::lock_guard lock(m_);
    // A newcomer joined (appended, or in a leaver's slot).
    if (out.symbol_index >= symbols_.size() || source_.symbols_version() != version_) {
      symbols_ = source_.symbols();
      version_ = source_.symbols_version();
    }
    candles_[{symbols_[out.symbol_index], out.timeframe}].push_back(out.bar);
    cv_.notify_all();
    return true;
  }

 private:
  std::uint64_t version_ = 0;
  mutable std::mutex m_;
  std::condition_variable cv_;
  std::map<std::pair<std::string, int>, std::vector<candle>> candles_;
};

// These tests compare signals, not deadlines: on a loaded machine (CI runs
// them beside a sanitizer build) a worker can wait for a core longer than the
// production deadline and budgets, and a timed-out evaluation is a signal the
// replay has and the live run lacks. The deadlines have their own tests.
inline worker_pool_options unhurried_pool_options() {
  worker_pool_options o;
  o.deadline = std::chrono::seconds(20);
  o.trader_tick_budget = std::chrono::milliseconds(0);
  o.trader_window_budget = std::chrono::milliseconds(0);
  return o;
}

struct live_settings {
  std::size_t symbols = 6;         // the universe (SYMBOL_COUNT)
  std::size_t market_symbols = 0;  // on the exchange, ranked by volume (0: as many as `symbols`)
  vyx_timeframe_mask timeframes = (1u << VYX_TF_1M) | (1u << VYX_TF_5M);
  std::uint32_t history = 40;
  bool tls = false;
  // The session starts a day into the market (history to backfill) and steps
  // a minute at a time from there: the market must reach past that day.
  std::size_t minutes = 24 * 60 + 120;
};

// One session: construct, step() the market minute by minute, then check().
class live_session {
 public:
  explicit live_session(const std::string& name, live_settings settings = {},
                        std::function<void(binance_feed_options&, mock::mock_options&)> tune = {})
      : settings_(settings), dir_(fresh_dir(name)) {
    std::vector<std::string> names;
    for (std::size_t i = 0; i < std::max(settings.symbols, settings.market_symbols); ++i) names.push_back("C" + std::to_string(i) + "USDT");
    names_ = names;
    market_ = mock::generate_market(names, settings.timeframes, 1'767'225'600'000, settings.minutes);
    mock::mock_options mo;
    mo.ping_interval = std::chrono::milliseconds(300);  // pongs count against the 5 incoming messages a second
    mo.forming_interval_ms = 20'000;
    binance_feed_options fo;
    if (settings.tls) {
      auto ca = mock::make_test_ca(dir_ / "ca");
      mo.cert_file = ca.cert_file;
      mo.key_file = ca.key_file;
      fo.ca_file = ca.ca_file.string();
    }
    fo.timeframes = settings.timeframes;
    fo.history = settings.history;
    fo.grace = std::chrono::milliseconds(300);
    fo.idle_timeout = std::chrono::milliseconds(1500);
    fo.symbol_count = settings.symbols;
    fo.min_volume = 0;
    if (tune) tune(fo, mo);
    mock_ = std::make_unique<mock::mock_binance>(market_, mo);
    fo.api_url = mock_->api_url();
    fo.ws_url = mock_->ws_url();
    // Start mid-minute, a day into the market: history to backfill, candles to come.
    now_ = market_.first_open() + 86'400'000 + 30'000;
    mock_->publish_until(now_);
    feed_ = std::make_unique<binance_feed>(fo);
    recorder_ = std::make_unique<recording_feed>(*feed_, dir_ / "recording");
    collector_ = std::make_unique<collecting_feed>(*recorder_);
    store_ = std::make_unique<candle_store>(make_store_for(*collector_, 500));
    feed_->attach_store(*store_);
    pool_ = std::make_unique<worker_pool>(*store_, unhurried_pool_options());
    sched_ = std::make_unique<scheduler>(*collector_, *store_, *pool_);
    sched_->request_reload(test_traders());
    loop_ = std::thread([this] {
      tick_report tick;
      while (sched_->step(tick)) {
        std::lock_guard lock(m_);
        for (const auto& s : tick.signals) signals_.push_back(key_of(s));
        ++ticks_;
      }
      ended_ = true;
    });
    // Start-up done and every stream connection up, before the market moves.
    live_ = feed_->wait_live(std::chrono::seconds(30));
  }

  ~live_session() {
    stop();
    mock_.reset();
    std::error_code ec;
    fs::remove_all(dir_, ec);
  }

  mock::mock_binance& mock() { return *mock_; }
  binance_feed& feed() { return *feed_; }
  const std::vector<std::string>& names() const { return names_; }
  collecting_feed& delivered() { return *collector_; }
  std::int64_t now() const { return now_; }

  // Advances the market one minute and waits until every symbol's candles of
  // that close are delivered (through the streams, REST, or both).
  bool step(const std::vector<std::string>& skip = {}) {
    now_ += 60'000;
    mock_->publish_until(now_);
    const std::int64_t close = now_ - 30'000 - 1;
    bool ok = collector_->wait_close(close, 1u << VYX_TF_1M, skip);
    if (!ok) MESSAGE(describe(close));
    return ok;
  }

  // What the feed, the mock and the collector saw: printed when a step fails.
  std::string describe(std::int64_t close) {
    auto h = feed_->health();
    auto mc = mock_->counters();
    std::ostringstream out;
    out << "waiting for close " << close << "; feed phase " << h.phase << ", messages " << h.messages
        << ", reconnects " << h.reconnects << ", held " << h.held << ", late " << h.late
        << ", duplicates " << h.duplicates << ", last close " << h.last_close_ms
        << "; mock: accepted " << mc.connections_accepted << ", open " << mc.connections_open
        << ", sent " << mc.messages_sent << ", rate-limited " << mc.closed_by_rate_limit;
    for (const auto& c : h.connections) out << "; connection " << c.id << " " << c.state;
    for (const auto& [key, bars] : collector_->candles())
      out << "\n  " << key.first << " " << timeframe_name(key.second) << ": "
          << (bars.empty() ? 0 : bars.back().close_time);
    return out.str();
  }

  void stop() {
    if (stopped_) return;
    stopped_ = true;
    collector_->stop();
    if (loop_.joinable()) loop_.join();
  }

  // Zero missing, zero duplicated: every delivered run is the mock's, gap-free.
  void check_candles(const std::vector<std::string>& partial = {}) {
    auto delivered = collector_->candles();
    for (const auto& s : market_.symbols) {
      for (vyx_timeframe tf = 0; tf < VYX_TIMEFRAME_COUNT; ++tf) {
        if (!(settings_.timeframes & (1u << tf))) continue;
        auto it = delivered.find({s.name, tf});
        REQUIRE_MESSAGE(it != delivered.end(), s.name << " " << timeframe_name(tf));
        const auto& got = it->second;
        CHECK(got.size() >= settings_.history);
        for (std::size_t i = 1; i < got.size(); ++i)
          REQUIRE_MESSAGE(got[i].open_time == got[i - 1].open_time + timeframe_ms(tf),
                          s.name << " " << timeframe_name(tf) << " at " << got[i].open_time);
        // The same values as the exchange's.
        const auto& truth = s.bars[tf];
        auto first = std::lower_bound(truth.begin(), truth.end(), got.front().open_time,
                                      [](const candle& c, std::int64_t v) { return c.open_time < v; });
        REQUIRE(first != truth.end());
        for (std::size_t i = 0; i < got.size(); ++i) {
          const candle& t = *(first + static_cast<std::ptrdiff_t>(i));
          REQUIRE(got[i].open_time == t.open_time);
          REQUIRE(got[i].close == t.close);
          REQUIRE(got[i].volume == t.volume);
        }
        // Up to the last close the market reached (a delisted symbol: up to its delisting).
        if (std::find(partial.begin(), partial.end(), s.name) == partial.end()) {
          const std::int64_t last_close = now_ - 30'000 - 1;
          if (tf == VYX_TF_1M) CHECK(got.back().close_time == last_close);
        }
        // The store holds the same run, gap-free (a symbol whose slot went to another: nothing to see).
        auto index = std::find(collector_->symbols().begin(), collector_->symbols().end(), s.name) -
                     collector_->symbols().begin();
        if (static_cast<std::size_t>(index) >= store_->symbol_count()) continue;
        vyx_candles v = store_->view(static_cast<std::size_t>(index), tf);
        for (std::uint64_t i = 1; i < v.count; ++i)
          REQUIRE(v.open_time[i] == v.open_time[i - 1] + timeframe_ms(tf));
      }
    }
  }

  // The 24 h ticker the traders see in the live store now (after stop()).
  vyx_ticker live_ticker(const std::string& symbol) const {
    const auto& names = collector_->symbols();
    auto at = std::find(names.begin(), names.end(), symbol);
    REQUIRE(at != names.end());
    return *store_->ticker(static_cast<std::size_t>(at - names.begin()));
  }

  // The signals of the live run equal those of a replay of its recording
  // (and, with `tickers`, every symbol's final 24 h ticker in the two stores).
  void check_replay(bool tickers = false) {
    stop();
    replay_feed replay(dir_ / "recording");
    auto store = make_store_for(replay, 500);
    worker_pool pool(store, unhurried_pool_options());
    scheduler sched(replay, store, pool);
    sched.request_reload(test_traders());
    std::vector<signal_key> replayed;
    tick_report tick;
    while (sched.step(tick))
      for (const auto& s : tick.signals) replayed.push_back(key_of(s));
    std::vector<signal_key> live;
    {
      std::lock_guard lock(m_);
      live = signals_;
    }
    std::sort(live.begin(), live.end());
    std::sort(replayed.begin(), replayed.end());
    CHECK(!live.empty());
    CHECK(live.size() == replayed.size());
    CHECK(live == replayed);
    if (tickers) {
      auto same = [](double a, double b) { return a == b || (std::isnan(a) && std::isnan(b)); };
      for (std::size_t i = 0; i < store.symbol_count(); ++i) {
        const std::string name(store.symbol(i));
        const vyx_ticker r = *store.ticker(i), l = live_ticker(name);
        CHECK_MESSAGE(same(r.last_price, l.last_price), name);
        CHECK_MESSAGE(same(r.price_change_percent, l.price_change_percent), name);
        CHECK_MESSAGE(same(r.quote_volume, l.quote_volume), name);
      }
    }
    CHECK(replay.stats().duplicate == 0);
    CHECK(replay.stats().out_of_order == 0);
    CHECK(replay.stats().malformed == 0);
  }

  std::vector<signal_key> signals() const {
    std::lock_guard lock(m_);
    return signals_;
  }
  bool ended() const { return ended_; }
  bool went_live() const { return live_; }
  std::uint64_t ticks() const {
    std::lock_guard lock(m_);
    return ticks_;
  }

 private:
  live_settings settings_;
  fs::path dir_;
  std::vector<std::string> names_;
  mock::mock_market market_;
  std::unique_ptr<mock::mock_binance> mock_;
  std::unique_ptr<binance_feed> feed_;
  std::unique_ptr<recording_feed> recorder_;
  std::unique_ptr<collecting_feed> collector_;
  std::unique_ptr<candle_store> store_;
  std::unique_ptr<worker_pool> pool_;
  std::unique_ptr<scheduler> sched_;
  std::thread loop_;
  std::int64_t now_ = 0;
  bool stopped_ = false, live_ = false;
  std::atomic<bool> ended_{false};
  mutable std::mutex m_;
  std::vector<signal_key> signals_;
  std::uint64_t ticks_ = 0;
};

}  // namespace vyx::test
