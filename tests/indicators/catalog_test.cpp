// Catalog-wide tests, for every registered indicator: the TA-Lib fixtures
// within the README's tolerances, streaming against batch in chunks, and
// fuzzing with bad options and awkward inputs.
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <set>
#include <string>
#include <vector>

#include "test_data.hpp"
#include "vyx/abi.h"

namespace vyx::test {
namespace {

using ta::indicator_info;

void check_fixture(int n) {
  const fixture& f = public_fixture(n);
  const candles data = from_fixture(f);
  double typical_volume = 0;
  for (double v : f.volume) typical_volume += v / static_cast<double>(f.volume.size());
  CHECK(f.indicators.size() >= 25);
  for (const fixture_indicator& ind : f.indicators) {
    CAPTURE(f.id);
    CAPTURE(ind.id);
    std::vector<double> options(8);
    const auto params = ind.talib_params();
    const indicator_info* info = ta::match_talib(ind.talib_function, params, options.data());
    REQUIRE_MESSAGE(info != nullptr, "no catalog entry for " << ind.id);
    CHECK(info->lookback(options.data()) == ind.lookback);
    const batch_result r = run_batch(*info, data.columns(), options.data());
    REQUIRE(r.status == ta::status::ok);
    const tolerance_kind kind = kind_of(info->id);
    for (const auto& [name, talib_values] : ind.outputs) {
      CAPTURE(name);
      const auto at = std::find_if(info->outputs.begin(), info->outputs.end(),
                                   [&](const char* o) { return name == o; });
      REQUIRE(at != info->outputs.end());
      const std::vector<double>& ours =
          r.outputs[static_cast<std::size_t>(at - info->outputs.begin())];
      const std::vector<double>& reference = *ind.reference(name);
      int mismatches = 0;
      for (std::size_t i = 0; i < reference.size(); ++i) {
        const bool want_null = std::isnan(reference[i]);
        const double err = std::fabs(ours[i] - reference[i]);
        const bool ok = want_null
                            ? std::isnan(ours[i])
                            : std::isfinite(ours[i]) &&
                                  err <= allowed(kind, reference[i], f.close[i], typical_volume);
        if (!ok && mismatches++ < 3) {
          CAPTURE(i);
          CHECK_MESSAGE(ok, "ours " << ours[i] << " reference " << reference[i] << " talib "
                                    << talib_values[i]);
        }
      }
      CHECK(mismatches == 0);
    }
  }
}

TEST_CASE("catalog: every indicator of public_1 matches TA-Lib") {
  check_fixture(1);
}
TEST_CASE("catalog: every indicator of public_2 matches TA-Lib (exact bands on tiny prices)") {
  check_fixture(2);
}
TEST_CASE("catalog: every indicator of public_3 matches TA-Lib (flat stretches, exact outputs)") {
  check_fixture(3);
}

TEST_CASE("catalog: ids are unique and sorted, entries are complete") {
  const auto all = ta::catalog();
  REQUIRE(all.size() >= 32);
  for (std::size_t i = 1; i < all.size(); ++i)
    CHECK(std::string_view(all[i - 1].id) < std::string_view(all[i].id));
  for (const indicator_info& info : all) {
    CAPTURE(std::string(info.id));
    CHECK(ta::find_indicator(info.id) == &info);
    CHECK(!info.outputs.empty());
    CHECK(!info.inputs.empty());
    CHECK(info.options.size() <= 4);  // abi.h: VYX_INDICATOR_MAX_PARAMS
    CHECK(info.outputs.size() <= 4);  // abi.h: VYX_INDICATOR_MAX_OUTPUTS
    std::vector<double> options(info.options.size());
    ta::default_options(info, options.data());
    CHECK(info.validate(options.data()) == ta::status::ok);
    CHECK(info.lookback(options.data()) >= 0);
    CHECK(info.make_stream(options.data()) != nullptr);
    for (const auto& o : info.options) CHECK(o.min <= o.default_value);
  }
  CHECK(ta::find_indicator("no_such_indicator") == nullptr);
}

// Streams `data` through a fresh state in chunks of `chunk` bars; the first
// bar of every chunk is previewed first (with chunk 1, every bar is).
void check_stream(const indicator_info& info, const candles& data, const double* options,
                  std::size_t chunk) {
  const batch_result batch = run_batch(info, data.columns(), options);
  REQUIRE(batch.status == ta::status::ok);
  auto s = info.make_stream(options);
  REQUIRE(s != nullptr);
  CHECK(s->lookback() == info.lookback(options));
  const std::size_t k = info.outputs.size();
  std::vector<double> out(k), preview(k);
  int mismatches = 0;
  for (std::size_t start = 0; start < data.size(); start += chunk) {
    const std::size_t end = std::min(data.size(), start + chunk);
    for (std::size_t i = start; i < end; ++i) {
      const ta::bar b = data.bar_at(i);
      if (i == start) s->preview(b, preview.data());
      s->update(b, out.data());
      for (std::size_t j = 0; j < k; ++j) {
        bool ok = same_bits(out[j], batch.outputs[j][i]);
        if (i == start) ok = ok && same_bits(preview[j], out[j]);
        if (!ok && mismatches++ < 3) {
          CAPTURE(i);
          CAPTURE(j);
          CHECK_MESSAGE(ok, "stream " << out[j] << " preview " << preview[j] << " batch "
                                      << batch.outputs[j][i]);
        }
      }
    }
  }
  CHECK(mismatches == 0);
  // reset() gives a fresh state.
  s->reset();
  for (std::size_t i = 0; i < std::min<std::size_t>(data.size(), 60); ++i) {
    s->update(data.bar_at(i), out.data());
    for (std::size_t j = 0; j < k; ++j) CHECK(same_bits(out[j], batch.outputs[j][i]));
  }
}

TEST_CASE("catalog: every ABI indicator id has exactly one catalog entry (the host table's map)") {
  // VYX_IND_* are dense from 1 (abi.h, append-only); the last one is the highest.
  std::set<std::uint32_t> seen;
  for (const indicator_info& info : ta::catalog()) {
    if (info.abi_id == 0) continue;
    CHECK_MESSAGE(seen.insert(info.abi_id).second, "ABI id ", info.abi_id, " is on two entries");
  }
  for (std::uint32_t id = 1; id <= VYX_IND_STOCHRSI_SMOOTHED; ++id) {
    const indicator_info* info = ta::find_indicator_by_abi_id(id);
    REQUIRE_MESSAGE(info != nullptr, "VYX_IND id ", id, " has no catalog entry");
    CHECK(info->abi_id == id);
  }
  CHECK(seen.size() == VYX_IND_STOCHRSI_SMOOTHED);
  CHECK(ta::find_indicator_by_abi_id(0) == nullptr);
  CHECK(ta::find_indicator_by_abi_id(VYX_IND_STOCHRSI_SMOOTHED + 1) == nullptr);
  CHECK(std::string(ta::find_indicator_by_abi_id(VYX_IND_MACD)->id) == "macd");
}

TEST_CASE("catalog: streaming equals batch bit for bit, in chunks of 1, 2, 3, 7, 13 and all bars") {
  std::vector<candles> sets = {from_fixture(public_fixture(1)), from_fixture(public_fixture(2)),
                               from_fixture(public_fixture(3)), random_candles(7, 700, 100.0)};
  for (const indicator_info& info : ta::catalog()) {
    CAPTURE(std::string(info.id));
    std::vector<double> options(info.options.size());
    ta::default_options(info, options.data());
    for (std::size_t d = 0; d < sets.size(); ++d) {
      CAPTURE(d);
      for (std::size_t chunk : {std::size_t{1}, std::size_t{2}, std::size_t{3}, std::size_t{7},
                                std::size_t{13}, sets[d].size()})
        check_stream(info, sets[d], options.data(), chunk);
    }
  }
}

TEST_CASE("catalog: streaming equals batch with short periods (1 and 2)") {
  const candles data = random_candles(11, 300, 50.0);
  for (const indicator_info& info : ta::catalog()) {
    for (double period : {1.0, 2.0}) {
      CAPTURE(std::string(info.id));
      CAPTURE(period);
      std::vector<double> options(info.options.size());
      ta::default_options(info, options.data());
      for (std::size_t i = 0; i < options.size(); ++i)
        if (info.options[i].integer) options[i] = std::max(period, info.options[i].min);
      if (info.validate(options.data()) != ta::status::ok) continue;
      check_stream(info, data, options.data(), 1);
    }
  }
}

// Outputs are no_value exactly on the leading `lookback` bars and finite after.
void check_shape(const indicator_info& info, const candles& data, const double* options) {
  const batch_result r = run_batch(info, data.columns(), options);
  const int lookback = info.lookback(options);
  if (info.validate(options) != ta::status::ok) {
    CHECK(r.status == ta::status::invalid_option);
    CHECK(lookback == -1);
    CHECK(info.make_stream(options) == nullptr);
    for (const auto& o : r.outputs)
      for (double v : o) CHECK(std::isnan(v));
    return;
  }
  REQUIRE(lookback >= 0);
  if (data.size() == 0) {
    // An empty vector may hand out null column pointers.
    CHECK((r.status == ta::status::input_too_short || r.status == ta::status::invalid_input));
    return;
  }
  CHECK(r.status == (data.size() > static_cast<std::size_t>(lookback)
                         ? ta::status::ok
                         : ta::status::input_too_short));
  for (const auto& o : r.outputs)
    for (std::size_t i = 0; i < o.size(); ++i) {
      if (i < static_cast<std::size_t>(lookback)) {
        if (!std::isnan(o[i])) FAIL_CHECK("value during warm-up at " << i);
      } else if (!std::isfinite(o[i])) {
        FAIL_CHECK("not finite at " << i << ": " << o[i]);
      }
    }
  auto s = info.make_stream(options);
  REQUIRE(s != nullptr);
  std::vector<double> out(info.outputs.size());
  for (std::size_t i = 0; i < data.size(); ++i) {
    s->preview(data.bar_at(i), out.data());
    s->update(data.bar_at(i), out.data());
    for (double v : out)
      if (i >= static_cast<std::size_t>(lookback) && !std::isfinite(v))
        FAIL_CHECK("stream not finite at " << i);
  }
}

TEST_CASE("catalog: fuzz: bad options, tiny inputs, extreme prices, flat prices, zero volume") {
  std::vector<candles> sets = {random_candles(1, 0, 100),
                               random_candles(2, 1, 100),
                               random_candles(3, 2, 100),
                               random_candles(4, 300, 1e-8),
                               random_candles(5, 300, 2e5),
                               random_candles(6, 300, 123.45, true),
                               random_candles(7, 300, 99.0, false, true),
                               random_candles(8, 300, 7.0, true, true)};
  const double nan = std::numeric_limits<double>::quiet_NaN();
  const double inf = std::numeric_limits<double>::infinity();
  for (const indicator_info& info : ta::catalog()) {
    CAPTURE(std::string(info.id));
    std::vector<double> defaults(info.options.size());
    ta::default_options(info, defaults.data());
    std::vector<std::vector<double>> option_sets = {defaults};
    for (std::size_t i = 0; i < defaults.size(); ++i)
      for (double bad : {0.0, -1.0, nan, inf, -inf, 1e9, 2.5, 350.0, info.options[i].max}) {
        auto o = defaults;
        o[i] = bad;
        option_sets.push_back(o);
      }
    for (const auto& options : option_sets)
      for (std::size_t d = 0; d < sets.size(); ++d) {
        CAPTURE(d);
        check_shape(info, sets[d], options.data());
      }
  }
}

TEST_CASE("catalog: null input columns are refused, not read") {
  for (const indicator_info& info : ta::catalog()) {
    CAPTURE(std::string(info.id));
    std::vector<double> options(info.options.size());
    ta::default_options(info, options.data());
    const candles data = random_candles(3, 50, 10);
    for (ta::input missing : info.inputs) {
      if (missing == ta::input::open_time) continue;  // optional: one session
      ta::columns in = data.columns();
      switch (missing) {
        case ta::input::open:
          in.open = nullptr;
          break;
        case ta::input::high:
          in.high = nullptr;
          break;
        case ta::input::low:
          in.low = nullptr;
          break;
        case ta::input::close:
          in.close = nullptr;
          break;
        case ta::input::volume:
          in.volume = nullptr;
          break;
        case ta::input::taker_buy_volume:
          in.taker_buy_volume = nullptr;
          break;
        case ta::input::open_time:
          break;
      }
      CAPTURE(ta::to_string(missing));
      CHECK(run_batch(info, in, options.data()).status == ta::status::invalid_input);
    }
  }
}

TEST_CASE("catalog: match_talib maps TA-Lib names and refuses other MA types") {
  double options[4];
  const ta::talib_param macd[] = {
      {"optInFastPeriod", 5}, {"optInSlowPeriod", 35}, {"optInSignalPeriod", 5}};
  const indicator_info* info = ta::match_talib("MACD", macd, options);
  REQUIRE(info != nullptr);
  CHECK(std::string_view(info->id) == "macd");
  CHECK(options[0] == 5);
  CHECK(options[1] == 35);
  const ta::talib_param ema_ma[] = {
      {"optInTimePeriod", 20}, {"optInNbDevUp", 2}, {"optInNbDevDn", 2}, {"optInMAType", 1}};
  CHECK(ta::match_talib("BBANDS", ema_ma, options) == nullptr);
  const ta::talib_param unknown[] = {{"optInWhatever", 1}};
  CHECK(ta::match_talib("SMA", unknown, options) == nullptr);
  CHECK(ta::match_talib("NOPE", {}, options) == nullptr);
}

}  // namespace
}  // namespace vyx::test
