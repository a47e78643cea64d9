// A vyx_market over generated candles, owned by the test, for calling plugins
// through the ABI exactly as the runtime does.
#pragma once

#include <cmath>
#include <cstdint>
#include <functional>
#include <vector>

#include "vyx/abi.h"

namespace vyx::test {

struct synthetic_timeframe {
  std::vector<std::int64_t> open_time, close_time, trades;
  std::vector<double> open, high, low, close, volume, quote_volume, taker_buy;
  vyx_candles view{};

  // `price(i)` gives each candle's close; the other fields follow from it.
  synthetic_timeframe(vyx_timeframe tf, int count, const std::function<double(int)>& price) {
    for (int i = 0; i < count; ++i) {
      const double c = price(i);
      const double o = i == 0 ? c : price(i - 1);
      open_time.push_back(1'700'000'000'000 + std::int64_t{i} * 60'000);
      close_time.push_back(open_time.back() + 59'999);
      trades.push_back(100 + i);
      open.push_back(o);
      close.push_back(c);
      high.push_back(std::fmax(o, c) + 0.5);
      low.push_back(std::fmin(o, c) - 0.5);
      volume.push_back(10 + i % 7);
      quote_volume.push_back(volume.back() * c);
      taker_buy.push_back(volume.back() / 2);
    }
    view.struct_size = sizeof(vyx_candles);
    view.timeframe = tf;
    view.count = static_cast<std::uint64_t>(count);
    view.open_time = open_time.data();
    view.close_time = close_time.data();
    view.open = open.data();
    view.high = high.data();
    view.low = low.data();
    view.close = close.data();
    view.volume = volume.data();
    view.quote_volume = quote_volume.data();
    view.taker_buy_base_volume = taker_buy.data();
    view.trades = trades.data();
  }
};

// A host that serves no indicator: the plugin computes everything itself.
inline vyx_status host_without_indicators(void*, const vyx_indicator_request*,
                                          vyx_indicator_result*) {
  return VYX_ERR_UNSUPPORTED;
}

struct synthetic_market {
  vyx_ticker ticker{sizeof(vyx_ticker), 0, 101.5, 1.25, 1e6};
  vyx_host_api host{sizeof(vyx_host_api), VYX_ABI_VERSION, host_without_indicators};
  vyx_market market{};
  std::vector<vyx_signal_value> values = std::vector<vyx_signal_value>(16);
  vyx_filter_output output{};

  synthetic_market() {
    market.struct_size = sizeof(vyx_market);
    market.symbol = "BTCUSDT";
    market.now_ms = 1'700'000'000'000;
    market.ticker = &ticker;
    market.host = &host;
  }
  void add(synthetic_timeframe& tf) { market.timeframes[tf.view.timeframe] = &tf.view; }
  vyx_filter_output& fresh_output() {
    output = vyx_filter_output{};
    output.struct_size = sizeof(vyx_filter_output);
    output.value_capacity = static_cast<std::uint32_t>(values.size());
    output.values = values.data();
    return output;
  }
};

}  // namespace vyx::test
