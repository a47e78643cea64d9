// What the Postgres benchmarks ship (shipping_fixture.hpp).
#include "shipping_fixture.hpp"

#include <chrono>
#include <vector>

namespace vyx::bench {
using namespace std::chrono_literals;

namespace {
constexpr std::int64_t minute = 60'000;
constexpr std::int64_t start_ms = 1'709'251'200'000;
const std::vector<std::string> symbols = {"BTCUSDT", "ETHUSDT", "SOLUSDT",  "BNBUSDT",
                                          "XRPUSDT", "ADAUSDT", "DOGEUSDT", "TRXUSDT"};
}  // namespace

shipping_platform::shipping_platform() {
  test::apply_platform_schema(cluster);
  test::apply_migrations(cluster);
  user = test::create_user(cluster, "bench");
  trader = test::insert_trader(cluster, user.id, "bench", R"({"code":"x"})");
}

runtime::candle_store make_shipping_store() {
  runtime::candle_store_layout layout;
  layout.symbols = symbols;
  layout.timeframes = 1u << VYX_TF_1M;
  layout.capacity = 500;
  auto store = runtime::candle_store::create(layout);
  for (std::size_t s = 0; s < symbols.size(); ++s) {
    for (int i = 0; i < 300; ++i) {
      runtime::candle c;
      c.open_time = start_ms + i * minute;
      c.close_time = c.open_time + minute - 1;
      c.open = 100.123456 + i;
      c.high = 102.654321 + i;
      c.low = 99.5 + i;
      c.close = 101.25 + i;
      c.volume = 1234.5678 + i;
      store.append(s, VYX_TF_1M, c);
    }
    store.set_ticker(s, vyx_ticker{sizeof(vyx_ticker), 0, 400.5, 1.25, 9.87e7});
  }
  return store;
}

runtime::trader_signal make_shipping_signal(const std::string& trader, std::size_t n) {
  runtime::trader_signal s;
  s.trader = trader;
  s.symbol = symbols[n % symbols.size()];
  s.timeframe = VYX_TF_1M;
  // Distinct candles: the key (trader, symbol, interval, candle) never repeats.
  s.close_time = start_ms + static_cast<std::int64_t>(n / symbols.size() + 300) * minute - 1;
  s.price = 101;
  s.values = {{"rsi", 28.5}, {"ema", 101.5}};
  return s;
}

runtime::postgres_sink_options shipping_sink_options(const shipping_platform& p,
                                                     const std::filesystem::path& outbox_file,
                                                     std::size_t klines, std::size_t batch_rows) {
  runtime::postgres_sink_options o;
  if (batch_rows) o.batch_rows = batch_rows;
  // As the user's machine role, as a deployed machine connects (its RLS
  // policies are part of the insert's cost).
  o.database.url = p.cluster.url(p.user.role);
  o.database.backoff_min = 20ms;
  o.database.backoff_max = 50ms;
  o.database.connect_timeout = 2s;
  o.outbox_file = outbox_file;
  o.rows.user_id = p.user.id;
  o.rows.klines = klines;
  o.drain_on_close = 0ms;
  return o;
}

shipping_run ship_backlog(shipping_platform& p, const std::filesystem::path& outbox_file,
                          std::size_t rows, std::size_t klines, std::size_t batch_rows) {
  using steady = std::chrono::steady_clock;
  auto store = make_shipping_store();
  p.cluster.stop("fast");
  runtime::postgres_outbox_sink sink(store,
                                     shipping_sink_options(p, outbox_file, klines, batch_rows));
  shipping_run run;
  const auto fill_begin = steady::now();
  for (std::size_t n = 0; n < rows; ++n) {
    sink.write(make_shipping_signal(p.trader, n));
    if (n % 1000 == 999) sink.flush();
  }
  sink.flush();
  run.fill_seconds = std::chrono::duration<double>(steady::now() - fill_begin).count();
  p.cluster.start();
  const auto begin = steady::now();
  run.finished = sink.wait_shipped(600s);
  run.seconds = std::chrono::duration<double>(steady::now() - begin).count();
  run.stats = sink.stats();
  return run;
}

}  // namespace vyx::bench
