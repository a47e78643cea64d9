// Close-to-signal latency through the mock exchange at full speed: for each
// 1m close, from the moment the feed parsed the last closed-candle frame of
// that close time (the definition) to the moment that tick's signals
// are written (JSON lines, flushed), with the real feed, scheduler and
// sandboxed worker pool. Also split into phases, to find where a tail goes:
// gating (last frame -> batch released), store (appends, forming candles,
// signals), run (the worker pool's tick), sink (write + flush); and, outside
// the figure, the mock's own sending (publish -> last frame parsed).
// By default half the traders (probe_mtf) match every symbol at each 5m
// close, the worst case the figure is measured with; --sparse runs
// every trader as plugins/sparse.c instead, which matches about 1% of symbols
// at each close, a realistic screener's rate.
//   build/bench/live_feed/live_latency_bench [--sparse] TRADERS SYMBOLS [closes]
#include <algorithm>
#include <array>
#include <condition_variable>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <string_view>
#include <thread>

#include "mock_binance.hpp"
#include "vyx/runtime/feeds/binance_feed.hpp"
#include "vyx/runtime/sinks/jsonl_sink.hpp"
#include "vyx/runtime/screening/scheduler.hpp"

using namespace vyx;
using namespace vyx::runtime;
namespace fs = std::filesystem;
using clock_type = std::chrono::steady_clock;

int main(int argc, char** argv) {
  const char* program = argv[0];
  const bool sparse = argc > 1 && std::string_view(argv[1]) == "--sparse";
  if (sparse) {
    --argc;
    ++argv;
  }
  const int traders = argc > 1 ? std::atoi(argv[1]) : 5;
  const int symbols = argc > 2 ? std::atoi(argv[2]) : 200;
  const int closes = argc > 3 ? std::atoi(argv[3]) : 200;
  std::vector<std::string> names;
  for (int i = 0; i < symbols; ++i) names.push_back("L" + std::to_string(i) + "USDT");
  // 1m, 5m and 1h as the platform's traders use them (probe_mtf reads all three).
  const vyx_timeframe_mask timeframes = (1u << VYX_TF_1M) | (1u << VYX_TF_5M) | (1u << VYX_TF_1H);
  auto market = mock::generate_market(names, timeframes, 1'767'225'600'000, 1440 + closes + 10);
  mock::mock_options mo;
  mo.forming_interval_ms = 1'000'000;  // closes only: the latency of a close
  mo.ticker_interval_ms = 1'000'000;
  mock::mock_binance exchange(market, mo);
  std::int64_t now = market.first_open() + 1440 * 60'000 + 30'000;
  exchange.publish_until(now);

  // Trader plugins: copies of the test traders, one file per trader id.
  auto dir = fs::temp_directory_path() / ("vyx_live_latency_" + std::to_string(::getpid()));
  fs::create_directories(dir);
  std::vector<trader_spec> specs;
  for (int t = 0; t < traders; ++t) {
    const char* plugin = sparse ? "sparse.so" : t % 2 ? "probe_mtf.so" : "rising.so";
    auto source = fs::path(VYX_BENCH_PLUGIN_DIR) / plugin;
    auto copy = dir / ("t" + std::to_string(t) + ".so");
    fs::copy_file(source, copy, fs::copy_options::overwrite_existing);
    specs.push_back({"t" + std::to_string(t), copy, true});
  }
  binance_feed_options fo;
  fo.api_url = exchange.api_url();
  fo.ws_url = exchange.ws_url();
  fo.timeframes = timeframes;
  fo.history = 60;
  fo.symbol_count = static_cast<std::size_t>(symbols);
  fo.min_volume = 0;
  binance_feed feed(fo);
  auto store = make_store_for(feed, 500);
  feed.attach_store(store);
  worker_pool pool(store, worker_pool_options{});
  scheduler sched(feed, store, pool);
  sched.request_reload(specs);
  jsonl_sink sink(dir / "signals.jsonl");

  struct phases {
    binance_batch_timing feed;
    clock_type::time_point stepped, done;
    std::chrono::nanoseconds run{0};
    vyx_timeframe_mask closed = 0;
  };
  std::mutex m;
  std::condition_variable cv;
  std::map<std::int64_t, phases> done;
  std::uint64_t signals = 0;
  std::size_t eligible = 0;  // traders the last tick evaluated: a refused plugin would time empty ticks
  std::thread loop([&] {
    tick_report tick;
    std::vector<const trader_signal*> batch;  // as vyx run's pipeline hands a tick to its sinks
    while (sched.step(tick)) {
      phases p;
      p.stepped = clock_type::now();
      p.feed = feed.last_batch_timing();
      p.run = tick.elapsed;
      p.closed = tick.closed;
      batch.clear();
      for (const auto& s : tick.signals) batch.push_back(&s);
      sink.write_all(batch);
      sink.flush();
      p.done = clock_type::now();
      std::lock_guard lock(m);
      signals += tick.signals.size();
      eligible = tick.traders.size();
      done[tick.close_time] = p;
      cv.notify_all();
    }
  });
  // Wait for the backfill's ticks to finish, and for every stream to be
  // subscribed (subscriptions are paced): a close published before that
  // misses the symbols of the streams still subscribing, and its batch waits
  // out the grace for them. The default traders' backfill ticks took long
  // enough to hide this; --sparse ones do not.
  {
    std::unique_lock lock(m);
    cv.wait_for(lock, std::chrono::seconds(120), [&] { return done.count(now - 30'000 - 1) > 0; });
  }
  if (!feed.wait_live(std::chrono::seconds(120))) {
    std::fprintf(stderr, "the feed is not live after 120 s (see the log): no figures\n");
    return 1;
  }
  auto ms = [](clock_type::duration d) { return std::chrono::duration<double, std::milli>(d).count(); };
  struct sample {
    std::int64_t close;
    vyx_timeframe_mask closed;
    std::size_t candles;
    double total, sending, gating, store, run, sink;
  };
  std::vector<sample> samples;
  for (int i = 0; i < closes; ++i) {
    now += 60'000;
    const std::int64_t close = now - 30'000 - 1;
    auto sent = clock_type::now();
    exchange.publish_until(now);
    std::unique_lock lock(m);
    if (!cv.wait_for(lock, std::chrono::seconds(30), [&] { return done.count(close) > 0; })) {
      std::fprintf(stderr, "close %lld never ticked\n", static_cast<long long>(close));
      break;
    }
    const phases& p = done[close];
    if (p.feed.close_time != close) {
      std::fprintf(stderr, "close %lld: the feed's last batch is of %lld\n", static_cast<long long>(close),
                   static_cast<long long>(p.feed.close_time));
      break;
    }
    samples.push_back({close, p.closed, p.feed.candles, ms(p.done - p.feed.last_frame),
                       ms(p.feed.last_frame - sent), ms(p.feed.released - p.feed.last_frame),
                       ms(p.stepped - p.feed.released) - ms(p.run), ms(p.run), ms(p.done - p.stepped)});
  }
  feed.stop();
  loop.join();
  if (eligible != static_cast<std::size_t>(traders)) {
    std::fprintf(stderr, "only %zu of %d traders were evaluated (see the log): no figures\n", eligible, traders);
    return 1;
  }
  auto column = [&](double sample::*field) {
    std::vector<double> v;
    for (const auto& x : samples) v.push_back(x.*field);
    std::sort(v.begin(), v.end());
    auto pct = [&](double p) { return v.empty() ? 0 : v[std::min(v.size() - 1, static_cast<std::size_t>(p * v.size()))]; };
    return std::array<double, 3>{pct(0.50), pct(0.99), v.empty() ? 0 : v.back()};
  };
  std::printf(
      "live close-to-signals latency, %d traders (%s) x %d symbols, %zu closes, %llu signals:\n",
      traders, sparse ? "sparse, ~1% match" : "rising + probe_mtf", symbols, samples.size(),
      static_cast<unsigned long long>(signals));
  const std::pair<const char*, double sample::*> rows[] = {
      {"total (last frame parsed -> signals flushed)", &sample::total},
      {"  gating (last frame -> batch released)", &sample::gating},
      {"  store (appends, forming, signals)", &sample::store},
      {"  run (worker pool tick)", &sample::run},
      {"  sink (write + flush)", &sample::sink},
      {"not in total: mock sending (publish -> last frame)", &sample::sending}};
  for (const auto& [name, field] : rows) {
    auto [p50, p99, max] = column(field);
    std::printf("  %-50s p50 %7.2f ms  p99 %7.2f ms  max %7.2f ms\n", name, p50, p99, max);
  }
  // The slowest closes, phase by phase: which timeframes closed and where the time went.
  auto worst = samples;
  std::sort(worst.begin(), worst.end(), [](const sample& a, const sample& b) { return a.total > b.total; });
  for (std::size_t i = 0; i < std::min<std::size_t>(5, worst.size()); ++i) {
    const sample& x = worst[i];
    std::printf("  slow close %lld (%s%s%s, %zu candles): total %.2f = gating %.2f + store %.2f + run %.2f + sink %.2f ms\n",
                static_cast<long long>(x.close), x.closed & (1u << VYX_TF_1M) ? "1m" : "",
                x.closed & (1u << VYX_TF_5M) ? " 5m" : "", x.closed & (1u << VYX_TF_1H) ? " 1h" : "",
                x.candles, x.total, x.gating, x.store, x.run, x.sink);
  }
  std::printf("command: %s%s %d %d %d\n", program, sparse ? " --sparse" : "", traders, symbols,
              closes);
  std::error_code ec;
  fs::remove_all(dir, ec);
  return samples.size() == static_cast<std::size_t>(closes) ? 0 : 1;
}
