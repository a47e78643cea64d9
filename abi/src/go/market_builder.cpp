// The MarketData a translated Go trader reads (vyx/sdk/go/types.hpp),
// compiled once into the plugin archive rather than in every trader.
#include "vyx/sdk/go/types.hpp"

namespace vyx::go {
namespace {

// The host's window_bars; 0 (a host that zeroes the market) is the platform's.
long window() {
  const vyx_market* raw = sdk_detail::state.market;
  return raw != nullptr && raw->window_bars != 0 ? static_cast<long>(raw->window_bars)
                                                 : platform_window;
}

}  // namespace

market_builder::market_builder(const Market& m) {
  data_.Klines = map<string, slice<types::Kline>>::make();
  const vyx_market* raw = sdk_detail::state.market;
  if (raw != nullptr && raw->symbol != nullptr) {
    long n = 0;
    while (raw->symbol[n] != 0) ++n;
    data_.Symbol = string(raw->symbol, n);
  }
  const Ticker t = m.ticker();
  if (t.last_price == t.last_price)
    data_.Ticker =
        new_value(types::SimplifiedTicker{t.last_price, t.price_change_percent, t.quote_volume});
  data_.Timestamp = time::UnixMilli(m.now_ms());
}

slice<types::Kline> market_builder::newest_klines(const Candles& c) {
  const vyx_candles* raw = sdk_detail::market_access::candles(c);
  const long count = c.size();
  const long from = count > window() ? count - window() : 0;
  return slice<types::Kline>::view(raw, from, count - from);
}

void market_builder::add_window(string timeframe, const Candles& c) {
  data_.Klines.ref(timeframe) = newest_klines(c);
}

}  // namespace vyx::go
