// The platform's data shapes (types.Kline with its legacy fields, the
// simplified ticker, MarketData) and time.Time, and the builder that turns a
// vyx::Market into the MarketData a Go body receives: per timeframe the
// newest `window` closed candles (the host's vyx_market.window_bars, by
// default the platform's 250), the 24 h ticker (nil
// when the host has none), Timestamp = the evaluation moment.
#pragma once

#include "vyx/sdk/go/containers.hpp"
#include "vyx/sdk/market.hpp"
#include "vyx/sdk/state.hpp"

namespace vyx::go {

namespace time {
using Duration = long;
using Weekday = long;
using Month = long;

// Seconds since 0001-01-01 UTC (Go's zero Time) and nanoseconds; UTC only.
class Time {
 public:
  static constexpr long unix_to_internal = 62135596800l;
  static Time from_unix(long sec, long nsec) {
    Time t;
    sec += nsec / 1000000000l;
    nsec %= 1000000000l;
    if (nsec < 0) {
      nsec += 1000000000l;
      --sec;
    }
    t.sec_ = sec + unix_to_internal;
    t.nsec_ = nsec;
    return t;
  }
  long Unix() const { return sec_ - unix_to_internal; }
  long UnixMilli() const { return Unix() * 1000 + nsec_ / 1000000; }
  long UnixNano() const { return Unix() * 1000000000l + nsec_; }
  long Hour() const { return floor_mod(sec_, 86400) / 3600; }
  long Minute() const { return floor_mod(sec_, 3600) / 60; }
  long Second() const { return floor_mod(sec_, 60); }
  long Day() const { return civil().day; }
  long Month() const { return civil().month; }  // time.Month
  long Year() const { return civil().year; }
  long YearDay() const {
    const date d = civil();
    static constexpr int before[] = {0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334};
    const bool leap = (d.year % 4 == 0 && d.year % 100 != 0) || d.year % 400 == 0;
    return before[d.month - 1] + d.day + (leap && d.month > 2 ? 1 : 0);
  }
  long Weekday() const { return floor_mod(unix_days() + 4, 7); }  // time.Weekday; 1970-01-01 was a Thursday
  bool Before(const Time& u) const { return sec_ < u.sec_ || (sec_ == u.sec_ && nsec_ < u.nsec_); }
  bool After(const Time& u) const { return u.Before(*this); }
  bool Equal(const Time& u) const { return sec_ == u.sec_ && nsec_ == u.nsec_; }
  Duration Sub(const Time& u) const {
    return mul(sub(sec_, u.sec_), 1000000000l) + (nsec_ - u.nsec_);
  }
  Time Add(Duration d) const {
    Time t = *this;
    t.sec_ += d / 1000000000l;
    t.nsec_ += d % 1000000000l;
    if (t.nsec_ >= 1000000000l) {
      t.nsec_ -= 1000000000l;
      ++t.sec_;
    } else if (t.nsec_ < 0) {
      t.nsec_ += 1000000000l;
      --t.sec_;
    }
    return t;
  }
  bool IsZero() const { return sec_ == 0 && nsec_ == 0; }
  Time UTC() const { return *this; }
  Time Truncate(Duration d) const {
    if (d <= 0) return *this;
    const long ns = UnixNano();
    return from_unix(0, ns - floor_mod(ns, d));
  }
  friend bool operator==(const Time& a, const Time& b) { return a.Equal(b); }

 private:
  struct date {
    long year, month, day;
  };
  static long floor_mod(long a, long b) {
    const long r = a % b;
    return r < 0 ? r + b : r;
  }
  long unix_days() const {
    const long s = Unix();
    return (s - floor_mod(s, 86400)) / 86400;
  }
  // Civil date from days since 1970-01-01 (H. Hinnant's algorithm).
  date civil() const {
    long z = unix_days() + 719468;
    const long era = (z >= 0 ? z : z - 146096) / 146097;
    const long doe = z - era * 146097;
    const long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    const long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    const long mp = (5 * doy + 2) / 153;
    const long d = doy - (153 * mp + 2) / 5 + 1;
    const long m = mp < 10 ? mp + 3 : mp - 9;
    return {yoe + era * 400 + (m <= 2 ? 1 : 0), m, d};
  }
  long sec_ = 0;
  long nsec_ = 0;
};
inline Time Unix(long sec, long nsec) {
  return Time::from_unix(sec, nsec);
}
inline Time UnixMilli(long ms) {
  const long r = ms % 1000;
  return r < 0 ? Time::from_unix(ms / 1000 - 1, (r + 1000) * 1000000)
               : Time::from_unix(ms / 1000, r * 1000000);
}
inline double Duration_Seconds(Duration d) {
  return static_cast<double>(d / 1000000000l) +
         static_cast<double>(d % 1000000000l) / 1e9;
}
inline double Duration_Minutes(Duration d) {
  return static_cast<double>(d / 60000000000l) +
         static_cast<double>(d % 60000000000l) / 60e9;
}
inline double Duration_Hours(Duration d) {
  return static_cast<double>(d / 3600000000000l) +
         static_cast<double>(d % 3600000000000l) / 3600e9;
}
inline long Duration_Milliseconds(Duration d) {
  return d / 1000000;
}
}  // namespace time

namespace types {
struct Kline {
  long OpenTime{};
  double Open{}, High{}, Low{}, Close{};
  double Volume{};       // base asset volume
  double BuyVolume{};    // taker buy base volume
  double SellVolume{};   // Volume - BuyVolume
  double VolumeDelta{};  // BuyVolume - SellVolume
  double QuoteVolume{};
  long Trades{};
  long CloseTime{};
  friend bool operator==(const Kline&, const Kline&) = default;
};
struct Ticker {
  string Symbol, PriceChangePercent, LastPrice, QuoteVolume;
  long EventTime{};
  string BidPrice, AskPrice, OpenPrice, HighPrice, LowPrice;
};
struct SimplifiedTicker {
  double LastPrice{}, PriceChangePercent{}, QuoteVolume{};
  friend bool operator==(const SimplifiedTicker&, const SimplifiedTicker&) = default;
};
using KlineInterval = string;
struct MarketData {
  string Symbol;
  ptr<SimplifiedTicker> Ticker;
  map<string, slice<Kline>> Klines;
  time::Time Timestamp;
};
}  // namespace types

// The candles a Go trader sees per timeframe, like the platform's cache,
// unless the host asks for another window (vyx_market.window_bars).
inline constexpr long platform_window = 250;

class market_builder {
 public:
  explicit market_builder(const Market& m) {
    data_.Klines = map<string, slice<types::Kline>>::make();
    const vyx_market* raw = sdk_detail::state.market;
    if (raw != nullptr && raw->symbol != nullptr) {
      long n = 0;
      while (raw->symbol[n] != 0) ++n;
      data_.Symbol = string(raw->symbol, n);
    }
    const Ticker t = m.ticker();
    if (t.last_price == t.last_price)
      data_.Ticker = new_value(types::SimplifiedTicker{t.last_price, t.price_change_percent,
                                                       t.quote_volume});
    data_.Timestamp = time::UnixMilli(m.now_ms());
  }
  template <std::size_t N>
  void add(const char (&timeframe)[N], const Candles& c) {
    const vyx_candles* raw = sdk_detail::market_access::candles(c);
    const long count = c.size();
    const long from = count > window() ? count - window() : 0;
    slice<types::Kline> out = make_slice<types::Kline>(count - from, count - from);
    for (long i = from; i < count; ++i) {
      types::Kline& k = out[i - from];
      k.OpenTime = raw->open_time[i];
      k.Open = raw->open[i];
      k.High = raw->high[i];
      k.Low = raw->low[i];
      k.Close = raw->close[i];
      k.Volume = raw->volume[i];
      k.BuyVolume = raw->taker_buy_base_volume[i];
      k.SellVolume = k.Volume - k.BuyVolume;
      k.VolumeDelta = k.BuyVolume - k.SellVolume;
      k.QuoteVolume = raw->quote_volume[i];
      k.Trades = raw->trades[i];
      k.CloseTime = raw->close_time[i];
    }
    data_.Klines.ref(string(timeframe)) = out;
  }
  ptr<types::MarketData> done() const { return new_value(data_); }

 private:
  // The host's window_bars; 0 (a host that zeroes the market) is the platform's.
  static long window() {
    const vyx_market* raw = sdk_detail::state.market;
    return raw != nullptr && raw->window_bars != 0 ? static_cast<long>(raw->window_bars)
                                                   : platform_window;
  }

  types::MarketData data_;
};

}  // namespace vyx::go
