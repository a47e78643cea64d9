// vyx::Series: a read-only, bounds-checked view of one column of numbers
// (a candle field or an indicator's output). Out-of-range reads give NaN.
#pragma once

#include <cstddef>
#include <cstdint>

#include "vyx/sdk/state.hpp"

namespace vyx {

namespace sdk_detail {
// Where a series came from: the host serves indicators only for candle
// columns it knows, everything else is computed in the plugin.
enum class column : std::uint8_t {
  none,
  open,
  high,
  low,
  close,
  volume,
  quote_volume,
  taker_buy_volume
};
struct series_access;
}  // namespace sdk_detail

class Series {
 public:
  class iterator {
   public:
    double operator*() const noexcept { return (*series_)[index_]; }
    iterator& operator++() noexcept {
      ++index_;
      return *this;
    }
    bool operator!=(const iterator& other) const noexcept { return index_ != other.index_; }
    bool operator==(const iterator& other) const noexcept { return index_ == other.index_; }

   private:
    friend class Series;
    iterator(const Series* series, int index) noexcept : series_(series), index_(index) {}
    const Series* series_;
    int index_;
  };

  constexpr Series() noexcept = default;

  int size() const noexcept { return size_; }
  bool empty() const noexcept { return size_ == 0; }
  // Oldest first: [0] is the oldest value, [size() - 1] the newest.
  double operator[](int i) const noexcept {
    return (i >= 0 && i < size_) ? data_[i] : sdk_detail::nan_value;
  }
  double at(int i) const noexcept { return (*this)[i]; }
  double last() const noexcept { return (*this)[size_ - 1]; }
  // n bars back from the newest: ago(0) == last(), ago(1) the one before.
  double ago(int n) const noexcept {
    return n < 0 ? sdk_detail::nan_value : (*this)[size_ - 1 - n];
  }
  // The newest n values (all of them when n >= size()).
  Series tail(int n) const noexcept {
    Series s = *this;
    if (n < 0) n = 0;
    if (n < size_) {
      s.data_ = data_ + (size_ - n);
      s.size_ = n;
      s.column_ = sdk_detail::column::none;  // no longer aligned with the candles
    }
    return s;
  }

  iterator begin() const noexcept { return iterator(this, 0); }
  iterator end() const noexcept { return iterator(this, size_); }

 private:
  friend struct sdk_detail::series_access;
  const double* data_ = nullptr;
  int size_ = 0;
  vyx_timeframe timeframe_ = 0;
  sdk_detail::column column_ = sdk_detail::column::none;
};

namespace sdk_detail {

struct series_access {
  static Series make(const double* data, std::size_t size, vyx_timeframe tf, column c) noexcept {
    Series s;
    s.data_ = data;
    s.size_ = size > 0x7fffffffu ? 0x7fffffff : static_cast<int>(size);
    s.timeframe_ = tf;
    s.column_ = c;
    if (data == nullptr) s.size_ = 0;
    return s;
  }
  static const double* data(const Series& s) noexcept { return s.data_; }
  static vyx_timeframe timeframe(const Series& s) noexcept { return s.timeframe_; }
  static column origin(const Series& s) noexcept { return s.column_; }
};

// A fresh series of n values in the arena (empty when the arena is full).
// `fill` writes the values.
template <class Fill>
Series make_series(int n, vyx_timeframe tf, Fill&& fill) noexcept {
  if (n <= 0) return series_access::make(nullptr, 0, tf, column::none);
  double* out = allocate(static_cast<std::size_t>(n));
  if (out == nullptr) return series_access::make(nullptr, 0, tf, column::none);
  fill(out);
  return series_access::make(out, static_cast<std::size_t>(n), tf, column::none);
}

// Element-wise combination aligned at the newest value (result length is
// the shorter of the two).
template <class Op>
Series combine(const Series& a, const Series& b, Op op) noexcept {
  const int n = a.size() < b.size() ? a.size() : b.size();
  const int da = a.size() - n, db = b.size() - n;
  return make_series(n, series_access::timeframe(a), [&](double* out) {
    for (int i = 0; i < n; ++i) out[i] = op(a[da + i], b[db + i]);
  });
}

template <class Op>
Series map(const Series& a, Op op) noexcept {
  return make_series(a.size(), series_access::timeframe(a), [&](double* out) {
    for (int i = 0; i < a.size(); ++i) out[i] = op(a[i]);
  });
}

}  // namespace sdk_detail

inline Series operator+(const Series& a, const Series& b) noexcept {
  return sdk_detail::combine(a, b, [](double x, double y) { return x + y; });
}
inline Series operator-(const Series& a, const Series& b) noexcept {
  return sdk_detail::combine(a, b, [](double x, double y) { return x - y; });
}
inline Series operator*(const Series& a, const Series& b) noexcept {
  return sdk_detail::combine(a, b, [](double x, double y) { return x * y; });
}
inline Series operator/(const Series& a, const Series& b) noexcept {
  return sdk_detail::combine(a, b, [](double x, double y) { return x / y; });
}
inline Series operator+(const Series& a, double k) noexcept {
  return sdk_detail::map(a, [k](double x) { return x + k; });
}
inline Series operator-(const Series& a, double k) noexcept {
  return sdk_detail::map(a, [k](double x) { return x - k; });
}
inline Series operator*(const Series& a, double k) noexcept {
  return sdk_detail::map(a, [k](double x) { return x * k; });
}
inline Series operator/(const Series& a, double k) noexcept {
  return sdk_detail::map(a, [k](double x) { return x / k; });
}
inline Series operator*(double k, const Series& a) noexcept {
  return a * k;
}
inline Series operator+(double k, const Series& a) noexcept {
  return a + k;
}

// Reductions over the newest n values (n <= 0 or an empty series gives NaN).
inline double sum_of(const Series& s, int n) noexcept {
  if (n <= 0 || s.empty()) return sdk_detail::nan_value;
  double sum = 0;
  for (double x : s.tail(n)) sum += x;
  return sum;
}
inline double mean_of(const Series& s, int n) noexcept {
  const Series t = s.tail(n);
  return t.empty() ? sdk_detail::nan_value : sum_of(t, t.size()) / t.size();
}
inline double max_of(const Series& s, int n) noexcept {
  const Series t = s.tail(n);
  if (n <= 0 || t.empty()) return sdk_detail::nan_value;
  double m = t[0];
  for (double x : t)
    if (x > m) m = x;
  return m;
}
inline double min_of(const Series& s, int n) noexcept {
  const Series t = s.tail(n);
  if (n <= 0 || t.empty()) return sdk_detail::nan_value;
  double m = t[0];
  for (double x : t)
    if (x < m) m = x;
  return m;
}

// a crosses above b between the previous and the newest bar.
inline bool crossover(const Series& a, const Series& b) noexcept {
  return a.ago(1) <= b.ago(1) && a.last() > b.last();
}
inline bool crossunder(const Series& a, const Series& b) noexcept {
  return a.ago(1) >= b.ago(1) && a.last() < b.last();
}
inline bool crossover(const Series& a, double level) noexcept {
  return a.ago(1) <= level && a.last() > level;
}
inline bool crossunder(const Series& a, double level) noexcept {
  return a.ago(1) >= level && a.last() < level;
}

}  // namespace vyx
