// Forward returns and signal quality against a case computed by hand, and
// the candle history that keeps the whole run when the store keeps less.
#include <doctest/doctest.h>

#include <cmath>

#include "vyx/runtime/backtest/candle_history.hpp"
#include "vyx/runtime/backtest/forward_returns.hpp"
#include "vyx/runtime/backtest/signal_quality.hpp"

using vyx::runtime::add_forward_returns;
using vyx::runtime::candle;
using vyx::runtime::candle_history;
using vyx::runtime::candle_store;
using vyx::runtime::forward_horizons;
using vyx::runtime::horizon_quality;
using vyx::runtime::measure_signal_quality;
using vyx::runtime::return_sample;
using vyx::runtime::return_stats;
using vyx::runtime::summarize_returns;
using vyx::runtime::trader_quality;
using vyx::runtime::trader_signal;

namespace {

// Closes of six candles. Returns after one candle from each t:
//   t0 110/100-1 = +0.1      t1 99/110-1 = -0.1     t2 99/99-1 = 0
//   t3 121/99-1 = +2/9       t4 110/121-1 = -1/11   t5 past the end
const std::vector<double> six_closes{100, 110, 99, 99, 121, 110};

return_stats stats_after(std::vector<std::size_t> at, std::size_t horizon) {
  return_sample sample;
  add_forward_returns(six_closes, at, horizon, sample);
  return summarize_returns(sample);
}

}  // namespace

TEST_CASE("forward returns after chosen candles: mean, median, hit rate, best, worst") {
  // Signals at t0, t2, t4, horizon 1: +0.1, 0, -1/11.
  // mean (0.1 + 0 - 1/11) / 3 = 1/330; sorted -1/11, 0, 0.1: median 0;
  // hits: only +0.1 (0 is not a hit) = 1/3; best 0.1; worst -1/11.
  const return_stats h1 = stats_after({0, 2, 4}, 1);
  CHECK(h1.count == 3);
  CHECK(h1.past_end == 0);
  CHECK(h1.mean == doctest::Approx(1.0 / 330));
  CHECK(h1.median == doctest::Approx(0.0));
  CHECK(h1.hit_rate == doctest::Approx(1.0 / 3));
  CHECK(h1.best == doctest::Approx(0.1));
  CHECK(h1.worst == doctest::Approx(-1.0 / 11));

  // Horizon 5: only t0 reaches t5 (110/100-1 = 0.1); t2 and t4 run past the end.
  const return_stats h5 = stats_after({0, 2, 4}, 5);
  CHECK(h5.count == 1);
  CHECK(h5.past_end == 2);
  CHECK(h5.mean == doctest::Approx(0.1));
  CHECK(h5.median == doctest::Approx(0.1));
  CHECK(h5.hit_rate == doctest::Approx(1.0));

  // An even count: t1 and t3 give -0.1 and +2/9, median (−0.1 + 2/9) / 2 = 11/180.
  CHECK(stats_after({1, 3}, 1).median == doctest::Approx(11.0 / 180));

  // Horizon 20 runs past six candles from everywhere: no statistics, all counted.
  const return_stats h20 = stats_after({0, 2, 4}, 20);
  CHECK(h20.count == 0);
  CHECK(h20.past_end == 3);
  CHECK(std::isnan(h20.mean));
  CHECK(std::isnan(h20.median));
  CHECK(std::isnan(h20.hit_rate));
}

TEST_CASE("the baseline takes the forward return after every candle") {
  // +0.1, -0.1, 0, +2/9, -1/11 (t5 past the end): mean (2/9 - 1/11) / 5 = 13/495;
  // sorted -0.1, -1/11, 0, 0.1, 2/9: median 0; hits 2 of 5; best 2/9; worst -0.1.
  return_sample sample;
  add_forward_returns(six_closes, 1, sample);
  const return_stats baseline = summarize_returns(sample);
  CHECK(baseline.count == 5);
  CHECK(baseline.past_end == 1);
  CHECK(baseline.mean == doctest::Approx(13.0 / 495));
  CHECK(baseline.median == doctest::Approx(0.0));
  CHECK(baseline.hit_rate == doctest::Approx(0.4));
  CHECK(baseline.best == doctest::Approx(2.0 / 9));
  CHECK(baseline.worst == doctest::Approx(-0.1));
}

TEST_CASE("a zero close gives no return and is not counted as past the end") {
  return_sample sample;
  add_forward_returns(std::vector<double>{0, 5, 10}, 1, sample);
  CHECK(sample.returns == std::vector<double>{1.0});  // 10/5-1; from 0 there is none
  CHECK(sample.past_end == 1);                        // the last candle only
}

namespace {

candle minute_at(std::int64_t i, double close) {
  candle c;
  c.open_time = i * 60'000;
  c.close_time = c.open_time + 59'999;
  c.open = c.high = c.low = c.close = close;
  return c;
}

// Two symbols with the six_closes above (A) and a flat one (B), replayed tick by
// tick into a store that keeps only two candles; the history keeps all six.
candle_history record_six_minutes(candle_store& store) {
  candle_history history(2, 1u << VYX_TF_1M);
  for (std::size_t i = 0; i < six_closes.size(); ++i) {
    const auto t = static_cast<std::int64_t>(i);
    store.append(0, VYX_TF_1M, minute_at(t, six_closes[i]));
    store.append(1, VYX_TF_1M, minute_at(t, 50));
    history.record_tick(store, minute_at(t, 0).close_time, 1u << VYX_TF_1M);
  }
  return history;
}

trader_signal signal_at_minute(const std::string& trader, const std::string& symbol,
                               std::int64_t i) {
  return trader_signal{trader, symbol, VYX_TF_1M, minute_at(i, 0).close_time, 0, {}, {}};
}

}  // namespace

TEST_CASE("signal quality: a trader's signals against every candle, pooled and per symbol") {
  candle_store store = candle_store::create({{"A", "B"}, 1u << VYX_TF_1M, 2});
  const candle_history history = record_six_minutes(store);
  REQUIRE(history.candles(0, VYX_TF_1M).size() == 6);
  CHECK(history.index_of(0, VYX_TF_1M, minute_at(4, 0).close_time) == 4u);
  CHECK_FALSE(history.index_of(0, VYX_TF_1M, 12345).has_value());

  const std::vector<trader_signal> signals{
      signal_at_minute("t", "A", 0),
      signal_at_minute("t", "A", 2),
      signal_at_minute("t", "A", 4),
      signal_at_minute("t", "B", 1),
      signal_at_minute("other", "B", 3),  // another trader's: ignored
      trader_signal{"t", "B", VYX_TF_5M, minute_at(1, 0).close_time, 0, {}, {}},  // another timeframe
      signal_at_minute("t", "A", 99)};  // a candle the history does not hold
  const trader_quality q = measure_signal_quality("t", VYX_TF_1M, signals, history, {"A", "B"});
  CHECK(q.signals == 4);
  CHECK(q.unplaced == 2);
  REQUIRE(q.horizons.size() == forward_horizons.size());

  // Horizon 1, pooled: A's +0.1, 0, -1/11 and B's flat 0: mean (0.1 - 1/11) / 4 = 1/440;
  // sorted -1/11, 0, 0, 0.1: median 0, one hit in four.
  const horizon_quality& h1 = q.horizons[0];
  CHECK(h1.horizon == 1);
  CHECK(h1.signals.count == 4);
  CHECK(h1.signals.mean == doctest::Approx(1.0 / 440));
  CHECK(h1.signals.hit_rate == doctest::Approx(0.25));
  // Baseline: A's five returns (sum 13/99) and B's five zeros: mean 13/990, 2 hits of 10,
  // one candle per symbol past the end.
  CHECK(h1.baseline.count == 10);
  CHECK(h1.baseline.past_end == 2);
  CHECK(h1.baseline.mean == doctest::Approx(13.0 / 990));
  CHECK(h1.baseline.hit_rate == doctest::Approx(0.2));

  // Per symbol: A first (3 signals), each against its own candles.
  REQUIRE(q.symbols.size() == 2);
  CHECK(q.symbols[0].symbol == "A");
  CHECK(q.symbols[0].signals == 3);
  CHECK(q.symbols[0].horizons[0].signals.mean == doctest::Approx(1.0 / 330));
  CHECK(q.symbols[0].horizons[0].baseline.mean == doctest::Approx(13.0 / 495));
  CHECK(q.symbols[0].horizons[1].signals.past_end == 2);
  CHECK(q.symbols[1].symbol == "B");
  CHECK(q.symbols[1].horizons[0].signals.best == doctest::Approx(0.0));
  CHECK(q.symbols[1].horizons[0].baseline.hit_rate == doctest::Approx(0.0));
}
