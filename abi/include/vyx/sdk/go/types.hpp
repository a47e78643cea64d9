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
// The evaluation moment, as data.Timestamp: a backtest sees the clock a live
// run would have seen at that candle's close.
inline Time Now() {
  const vyx_market* m = sdk_detail::state.market;
  return UnixMilli(m != nullptr ? m->now_ms : 0);
}
inline Duration Since(const Time& t) {
  return Now().Sub(t);
}
inline Duration Until(const Time& t) {
  return t.Sub(Now());
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
}  // namespace types

// A []types.Kline is a view of the host's candle columns until something
// writes to it: the market's candles are read on every evaluation, mostly one
// or two fields of each, so copying the window into Kline structs first
// (12 fields x 250 candles per timeframe) cost more than a simple trader's
// whole logic and read every column from memory. Reads build the element
// from the columns (after inlining only the fields used are loaded); the
// first write (ref(), from generated code or the algorithms) copies the whole
// backing array once, shared by every slice of it, as Go's aliasing needs.
enum class kline_field { open, high, low, close, volume };

struct kline_backing {
  const vyx_candles* columns = nullptr;  // null when `copy` is all there is
  long first = 0;                        // column index of element 0
  types::Kline* copy = nullptr;
  long size = 0;

  types::Kline read(long i) const {
    if (copy != nullptr) return copy[i];
    const long j = first + i;
    const double volume = columns->volume[j], buy = columns->taker_buy_base_volume[j];
    const double sell = volume - buy;
    return types::Kline{columns->open_time[j], columns->open[j],   columns->high[j],
                        columns->low[j],       columns->close[j],  volume,
                        buy,                   sell,               buy - sell,
                        columns->quote_volume[j], columns->trades[j], columns->close_time[j]};
  }
  types::Kline* materialize() {
    if (copy == nullptr) {
      // An aggregate is an implicit-lifetime type: new[] storage holds the
      // objects, and every element is written here.
      auto* p = static_cast<types::Kline*>(
          ::operator new[](sizeof(types::Kline) * static_cast<std::size_t>(size > 0 ? size : 1)));
      for (long i = 0; i < size; ++i) p[i] = read(i);
      copy = p;
    }
    return copy;
  }
};

template <>
class slice<types::Kline> {
 public:
  slice() = default;
  slice(nil_t) {}
  // Storage of the plugin's own (make_slice, slice_of, append's growth).
  slice(types::Kline* p, long n, long c) : b_(new kline_backing{nullptr, 0, p, c}), n_(n), c_(c) {}
  // `n` candles of a timeframe from column index `first` on, read in place.
  static slice view(const vyx_candles* columns, long first, long n) {
    slice s;
    s.b_ = new kline_backing{columns, first, nullptr, n};
    s.n_ = s.c_ = n;
    return s;
  }
  long len() const { return n_; }
  long cap() const { return c_; }
  types::Kline operator[](long i) const {
    if (static_cast<unsigned long>(i) >= static_cast<unsigned long>(n_)) fault();
    return b_->read(off_ + i);
  }
  types::Kline& ref(long i) const {
    if (static_cast<unsigned long>(i) >= static_cast<unsigned long>(n_)) fault();
    return b_->materialize()[off_ + i];
  }
  // One field of every element, contiguous, for the indicator loops: the
  // host's column itself while nothing was written, else a copy.
  const double* field(kline_field f) const {
    if (b_ == nullptr || n_ == 0) return nullptr;
    if (b_->copy == nullptr) {
      const vyx_candles* c = b_->columns;
      const double* column = f == kline_field::open     ? c->open
                             : f == kline_field::high   ? c->high
                             : f == kline_field::low    ? c->low
                             : f == kline_field::close  ? c->close
                                                        : c->volume;
      return column + b_->first + off_;
    }
    auto* out = static_cast<double*>(::operator new[](sizeof(double) * static_cast<std::size_t>(n_)));
    for (long i = 0; i < n_; ++i) {
      const types::Kline& k = b_->copy[off_ + i];
      out[i] = f == kline_field::open     ? k.Open
               : f == kline_field::high   ? k.High
               : f == kline_field::low    ? k.Low
               : f == kline_field::close  ? k.Close
                                          : k.Volume;
    }
    return out;
  }
  // The host's columns when this slice is an unwritten view of them that
  // ends with their newest candle (a window the host can compute the
  // platform's indicators over for every trader at once); else null.
  const vyx_candles* newest_window() const {
    if (b_ == nullptr || b_->copy != nullptr || b_->columns == nullptr || n_ == 0) return nullptr;
    const long end = b_->first + off_ + n_;
    return static_cast<unsigned long>(end) == b_->columns->count ? b_->columns : nullptr;
  }
  // copy()'s overlap test compares these: both sides are materialized.
  types::Kline* data() const { return b_ == nullptr ? nullptr : b_->materialize() + off_; }
  slice reslice3(long lo, long hi, long max) const {
    if (lo < 0 || hi < lo || max < hi || max > c_) fault();
    return slice(b_, off_ + lo, hi - lo, max - lo);
  }
  slice reslice(long lo, long hi) const {
    if (lo < 0 || hi < lo || hi > c_) fault();
    return slice(b_, off_ + lo, hi - lo, c_ - lo);
  }
  slice reslice_from(long lo) const { return reslice(lo, n_); }
  friend bool operator==(const slice& s, nil_t) { return s.b_ == nullptr; }

 private:
  slice(kline_backing* b, long off, long n, long c) : b_(b), off_(off), n_(n), c_(c) {}
  kline_backing* b_ = nullptr;
  long off_ = 0, n_ = 0, c_ = 0;
};

namespace types {
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

// Builds the trader's MarketData from the market (emitted at the top of
// every translated function). Its work is in abi/src/go/market_builder.cpp,
// compiled once into the plugin archive.
class market_builder {
 public:
  explicit market_builder(const Market& m);
  // The newest window() candles of `c`, as data.Klines[timeframe].
  template <std::size_t N>
  void add(const char (&timeframe)[N], const Candles& c) {
    add_window(string(timeframe), c);
  }
  ptr<types::MarketData> done() const { return new_value(data_); }
  // The same window alone: what data.Klines[timeframe] holds. A function
  // that reads its MarketData only that way gets these as locals and no
  // MarketData (compiler/go/klines_only.go).
  static slice<types::Kline> newest_klines(const Candles& c);

 private:
  void add_window(string timeframe, const Candles& c);

  types::MarketData data_;
};

}  // namespace vyx::go
