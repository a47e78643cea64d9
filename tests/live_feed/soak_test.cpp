// The live feed's soak test (label `soak`, about two minutes): the mock
// exchange's clock runs at 100x with 200 symbols x 4 timeframes, through the
// real feed, scheduler and sandboxed worker pool, for 200 market minutes.
// Asserts zero missing and zero duplicated candles, that the feed stays live
// and the screening loop never ends, and that this process' resident memory
// at the end is within 5% of what it was after the warm-up (the workers are
// processes of their own; the store is sized so its rings are full from the
// start: growth would be a leak, not a filling ring).
//   ctest --test-dir build -L soak --output-on-failure
#include <doctest/doctest.h>

#include <unistd.h>

#include <condition_variable>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <sstream>
#include <thread>

#include "mock_binance.hpp"
#include "vyx/runtime/feeds/binance_feed.hpp"
#include "vyx/runtime/feeds/passthrough_feed.hpp"
#include "vyx/runtime/market/timeframe.hpp"
#include "vyx/runtime/screening/scheduler.hpp"

using namespace vyx;
using namespace vyx::runtime;
namespace fs = std::filesystem;

namespace {

// This process' resident set, in bytes (/proc/self/statm's second field).
std::size_t resident_bytes() {
  std::ifstream statm("/proc/self/statm");
  std::size_t size = 0, resident = 0;
  statm >> size >> resident;
  return resident * static_cast<std::size_t>(::sysconf(_SC_PAGESIZE));
}

// Passes a feed through and checks continuity per (symbol, timeframe) as the
// candles go by, in constant memory (a soak must not measure its own log).
class continuity_feed final : public passthrough_feed {
 public:
  explicit continuity_feed(feed& source) : passthrough_feed(source) {
    last_open_.assign(symbols_.size() * VYX_TIMEFRAME_COUNT, -1);
  }
  std::uint64_t gaps() const {
    std::lock_guard lock(m_);
    return gaps_;
  }
  std::uint64_t repeats() const {
    std::lock_guard lock(m_);
    return repeats_;
  }
  std::uint64_t candles() const {
    std::lock_guard lock(m_);
    return candles_;
  }
  std::string first_problem() const {
    std::lock_guard lock(m_);
    return first_problem_;
  }
  // Waits until every (symbol, timeframe) delivered its candle closing at or
  // after `close` for its timeframe (the latest that closes by then).
  bool wait_close(std::int64_t close, std::chrono::seconds limit) {
    std::unique_lock lock(m_);
    return cv_.wait_for(lock, limit, [&] {
      for (std::size_t s = 0; s < symbols_.size(); ++s)
        for (vyx_timeframe tf = 0; tf < VYX_TIMEFRAME_COUNT; ++tf) {
          if (!(timeframes_ & (1u << tf))) continue;
          const std::int64_t ms = timeframe_ms(tf);
          const std::int64_t due_open = (close + 1) / ms * ms - ms;  // the last period closing by `close`
          if (last_open_[s * VYX_TIMEFRAME_COUNT + tf] < due_open) return false;
        }
      return true;
    });
  }

 protected:
  bool next_it_(closed_candle& out) override {
    if (!source_.next(out)) return false;
    std::lock_guard lock(m_);
    ++candles_;
    if (out.symbol_index < symbols_.size() && out.timeframe < VYX_TIMEFRAME_COUNT) {
      std::int64_t& last = last_open_[out.symbol_index * VYX_TIMEFRAME_COUNT + out.timeframe];
      const std::int64_t ms = timeframe_ms(out.timeframe);
      if (last >= 0 && out.bar.open_time != last + ms) {
        (out.bar.open_time <= last ? repeats_ : gaps_) += 1;
        if (first_problem_.empty())
          first_problem_ = symbols_[out.symbol_index] + " " + timeframe_name(out.timeframe) + ": " +
                           std::to_string(out.bar.open_time) + " after " + std::to_string(last);
      }
      if (out.bar.open_time > last) last = out.bar.open_time;
    }
    cv_.notify_all();
    return true;
  }

 private:
  mutable std::mutex m_;
  std::condition_variable cv_;
  std::vector<std::int64_t> last_open_;  // by symbol * VYX_TIMEFRAME_COUNT + tf
  std::uint64_t candles_ = 0, gaps_ = 0, repeats_ = 0;
  std::string first_problem_;
};

}  // namespace

TEST_CASE("soak: 200 symbols x 4 timeframes at 100x for 200 market minutes, memory flat, nothing missed") {
  constexpr int symbols = 200;
  constexpr double speed = 100;            // market ms per wall ms
  constexpr std::int64_t warm_up = 20;     // market minutes (12 s)
  constexpr std::int64_t duration = 200;   // market minutes (2 min)
  constexpr std::uint32_t history = 24;    // a day of 1h candles at start
  const vyx_timeframe_mask timeframes =
      (1u << VYX_TF_1M) | (1u << VYX_TF_5M) | (1u << VYX_TF_15M) | (1u << VYX_TF_1H);

  std::vector<std::string> names;
  for (int i = 0; i < symbols; ++i) names.push_back("S" + std::to_string(i) + "USDT");
  auto market = mock::generate_market(names, timeframes, 1'767'225'600'000, 1440 + duration + 30);
  mock::mock_options mo;
  // Forming updates and ticker arrays every 30 and 10 market seconds: at 100x
  // that is about 2,700 frames a wall second, enough to exercise the forming
  // slots without taking a core from the tests running beside this one.
  mo.forming_interval_ms = 30'000;
  mo.ticker_interval_ms = 10'000;
  mo.ping_interval = std::chrono::milliseconds(5'000);
  mock::mock_binance exchange(market, mo);
  const std::int64_t start = market.first_open() + 1440 * 60'000 + 30'000;
  exchange.publish_until(start);

  binance_feed_options fo;
  fo.api_url = exchange.api_url();
  fo.ws_url = exchange.ws_url();
  fo.timeframes = timeframes;
  fo.history = history;
  fo.symbol_count = symbols;
  fo.min_volume = 0;
  fo.universe_refresh = std::chrono::hours(1);
  binance_feed live(fo);
  continuity_feed checked(live);
  // Rings as long as the backfill: full from the first tick, so the store's
  // resident pages stay as they are.
  auto store = make_store_for(checked, history);
  live.attach_store(store);
  worker_pool pool(store, worker_pool_options{});
  scheduler sched(checked, store, pool);
  sched.request_reload({{"probe_mtf", fs::path(VYX_LIVE_PLUGIN_DIR) / "probe_mtf.so", true},
                        {"rising", fs::path(VYX_LIVE_PLUGIN_DIR) / "rising.so", true}});
  std::mutex m;
  std::uint64_t ticks = 0, signals = 0;
  std::atomic<bool> ended{false};
  std::thread loop([&] {
    tick_report tick;
    while (sched.step(tick)) {
      std::lock_guard lock(m);
      ++ticks;
      signals += tick.signals.size();
    }
    ended = true;
  });
  REQUIRE(live.wait_live(std::chrono::seconds(60)));
  exchange.run_clock(start, speed);

  // Every 10 market minutes: every stream's candles are in, and the RSS.
  std::vector<std::size_t> rss;
  std::ostringstream trace;
  for (std::int64_t minute = warm_up; minute <= duration; minute += 10) {
    const std::int64_t close = start - 30'000 + minute * 60'000 - 1;
    const bool in = checked.wait_close(close, std::chrono::seconds(60));
    REQUIRE_MESSAGE(in, "market minute " << minute << " not delivered; feed " << live.health().phase);
    rss.push_back(resident_bytes());
    trace << " " << minute << "m:" << rss.back() / 1024 << "KiB";
  }
  const auto health = live.health();
  CHECK(!ended);
  CHECK(health.phase == "live");
  CHECK(exchange.counters().connections_accepted == health.connections.size());  // no reconnect
  live.stop();
  loop.join();

  MESSAGE("RSS after warm-up and every 10 market minutes:" << trace.str() << "; " << checked.candles()
                                                         << " candles, " << ticks << " ticks, " << signals
                                                         << " signals");
  CHECK_MESSAGE(checked.gaps() == 0, checked.first_problem());
  CHECK_MESSAGE(checked.repeats() == 0, checked.first_problem());
  CHECK(health.missing == 0);
  CHECK(health.reconnects == 0);
  CHECK(signals > 0);
  const double warm = static_cast<double>(rss.front()), end = static_cast<double>(rss.back());
  CHECK_MESSAGE(end <= warm * 1.05, trace.str());
  CHECK_MESSAGE(end >= warm * 0.95, trace.str());
}
