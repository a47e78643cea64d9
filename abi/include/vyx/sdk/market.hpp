// vyx::Market, vyx::Candles, vyx::Candle and vyx::Ticker: the read-only view
// of one symbol that `filter` and `series` receive. The series (close(), ...)
// hold closed candles only, so indicators never see a partial period; the
// forming candle, when the host has one, is read on its own with forming().
#pragma once

#include <cstdint>

#include "vyx/sdk/series.hpp"

namespace vyx {

class Market;

namespace sdk_detail {
// "1m" -> VYX_TF_1M ...; VYX_TIMEFRAME_COUNT for anything else. The checker
// has already rejected unknown literals; this is the run-time twin.
inline vyx_timeframe parse_timeframe(const char* tf) noexcept {
  if (tf == nullptr) return VYX_TIMEFRAME_COUNT;
#define VYX_SDK_TIMEFRAME_NAME(id, name, ms) name,
  static constexpr const char* names[VYX_TIMEFRAME_COUNT] = {VYX_TIMEFRAMES(VYX_SDK_TIMEFRAME_NAME)};
#undef VYX_SDK_TIMEFRAME_NAME
  for (vyx_timeframe i = 0; i < VYX_TIMEFRAME_COUNT; ++i) {
    const char* a = names[i];
    const char* b = tf;
    while (*a != 0 && *a == *b) {
      ++a;
      ++b;
    }
    if (*a == 0 && *b == 0) return i;
  }
  return VYX_TIMEFRAME_COUNT;
}
struct market_access;
}  // namespace sdk_detail

// One candle, copied out of the market (the forming candle). Prices and
// volumes are NaN and times 0 when there is no such candle.
struct Candle {
  std::int64_t open_time = 0;   // Unix ms, UTC
  std::int64_t close_time = 0;  // Unix ms, UTC: the period's end, also while forming
  double open = sdk_detail::nan_value;
  double high = sdk_detail::nan_value;
  double low = sdk_detail::nan_value;
  double close = sdk_detail::nan_value;  // while forming: the latest price
  double volume = sdk_detail::nan_value;
  double quote_volume = sdk_detail::nan_value;
  double taker_buy_volume = sdk_detail::nan_value;
  std::int64_t trades = 0;
};

// The candles of one timeframe, oldest first. Missing timeframe: size() == 0.
class Candles {
 public:
  // Closed candles only; the forming one is not counted.
  int size() const noexcept { return size_; }
  bool empty() const noexcept { return size_ == 0; }
  // The candle of the current, still open period, as of the evaluation
  // moment (e.g. the 1h candle so far when a 5m candle closes).
  bool has_forming() const noexcept { return candles_ != nullptr && candles_->has_forming == 1; }
  Candle forming() const noexcept {
    Candle c;
    if (!has_forming()) return c;
    const std::size_t i = candles_->count;
    c.open_time = candles_->open_time[i];
    c.close_time = candles_->close_time[i];
    c.open = candles_->open[i];
    c.high = candles_->high[i];
    c.low = candles_->low[i];
    c.close = candles_->close[i];
    c.volume = candles_->volume[i];
    c.quote_volume = candles_->quote_volume[i];
    c.taker_buy_volume = candles_->taker_buy_base_volume[i];
    c.trades = candles_->trades[i];
    return c;
  }
  Series open() const noexcept {
    return column(candles_ ? candles_->open : nullptr, sdk_detail::column::open);
  }
  Series high() const noexcept {
    return column(candles_ ? candles_->high : nullptr, sdk_detail::column::high);
  }
  Series low() const noexcept {
    return column(candles_ ? candles_->low : nullptr, sdk_detail::column::low);
  }
  Series close() const noexcept {
    return column(candles_ ? candles_->close : nullptr, sdk_detail::column::close);
  }
  Series volume() const noexcept {
    return column(candles_ ? candles_->volume : nullptr, sdk_detail::column::volume);
  }
  Series quote_volume() const noexcept {
    return column(candles_ ? candles_->quote_volume : nullptr, sdk_detail::column::quote_volume);
  }
  Series taker_buy_volume() const noexcept {
    return column(candles_ ? candles_->taker_buy_base_volume : nullptr,
                  sdk_detail::column::taker_buy_volume);
  }
  // Integer columns, converted to numbers (exact: ms timestamps < 2^53).
  Series open_time() const noexcept { return integers(candles_ ? candles_->open_time : nullptr); }
  Series close_time() const noexcept { return integers(candles_ ? candles_->close_time : nullptr); }
  Series trades() const noexcept { return integers(candles_ ? candles_->trades : nullptr); }

 private:
  friend struct sdk_detail::market_access;
  friend class Market;
  Series column(const double* data, sdk_detail::column c) const noexcept {
    return sdk_detail::series_access::make(data, static_cast<std::size_t>(size_), timeframe_, c);
  }
  Series integers(const std::int64_t* data) const noexcept {
    if (data == nullptr) return Series{};
    return sdk_detail::make_series(size_, timeframe_, [&](double* out) {
      for (int i = 0; i < size_; ++i) out[i] = static_cast<double>(data[i]);
    });
  }
  const vyx_candles* candles_ = nullptr;
  vyx_timeframe timeframe_ = 0;
  int size_ = 0;
};

// The platform's 24 h ticker as of the evaluation moment: the latest close,
// and the price change (percent) and quote volume over the trailing 24 h.
// NaN where the host has none (e.g. less than 24 h of history).
struct Ticker {
  double last_price = sdk_detail::nan_value;
  double price_change_percent = sdk_detail::nan_value;
  double quote_volume = sdk_detail::nan_value;
};

// A read-only piece of text (the symbol name).
class Text {
 public:
  int size() const noexcept {
    int n = 0;
    while (text_[n] != 0) ++n;
    return n;
  }
  bool operator==(const char* other) const noexcept { return compare(other, true); }
  bool starts_with(const char* prefix) const noexcept { return compare(prefix, false); }
  bool ends_with(const char* suffix) const noexcept {
    int n = size(), m = 0;
    while (suffix[m] != 0) ++m;
    if (m > n) return false;
    for (int i = 0; i < m; ++i)
      if (text_[n - m + i] != suffix[i]) return false;
    return true;
  }

 private:
  friend struct sdk_detail::market_access;
  friend class Market;
  bool compare(const char* other, bool whole) const noexcept {
    int i = 0;
    for (; other[i] != 0; ++i)
      if (text_[i] != other[i]) return false;
    return !whole || text_[i] == 0;
  }
  const char* text_ = "";
};

class Market {
 public:
  // The candles of a timeframe: "1m", "5m", "15m", "1h", "4h" or "1d" (a
  // string literal; the compiler records it as required).
  Candles klines(const char* timeframe) const noexcept {
    Candles c;
    const vyx_timeframe tf = sdk_detail::parse_timeframe(timeframe);
    if (market_ == nullptr || tf >= VYX_TIMEFRAME_COUNT) return c;
    const vyx_candles* candles = market_->timeframes[tf];
    if (candles == nullptr || candles->struct_size < sizeof(vyx_candles)) return c;
    c.candles_ = candles;
    c.timeframe_ = tf;
    c.size_ = candles->count > 0x7fffffffu ? 0x7fffffff : static_cast<int>(candles->count);
    return c;
  }
  Ticker ticker() const noexcept {
    Ticker t;
    const vyx_ticker* src = market_ ? market_->ticker : nullptr;
    if (src == nullptr || src->struct_size < sizeof(vyx_ticker)) return t;
    t.last_price = src->last_price;
    t.price_change_percent = src->price_change_percent;
    t.quote_volume = src->quote_volume;
    return t;
  }
  Text symbol() const noexcept {
    Text t;
    if (market_ != nullptr && market_->symbol != nullptr) t.text_ = market_->symbol;
    return t;
  }
  // The evaluation moment (close time of the tick), Unix ms UTC.
  std::int64_t now_ms() const noexcept { return market_ ? market_->now_ms : 0; }

 private:
  friend struct sdk_detail::market_access;
  const vyx_market* market_ = nullptr;
};

namespace sdk_detail {
struct market_access {
  static Market make(const vyx_market* m) noexcept {
    Market market;
    market.market_ = m;
    return market;
  }
  static const vyx_candles* candles(const Candles& c) noexcept { return c.candles_; }
  static vyx_timeframe timeframe(const Candles& c) noexcept { return c.timeframe_; }
};
}  // namespace sdk_detail

}  // namespace vyx
