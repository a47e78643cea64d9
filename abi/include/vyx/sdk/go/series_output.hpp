// The platform's output contract for a trader's seriesCode, applied to the
// map it returns before anything reaches the chart: every value must be a
// []interface{} or []map[string]interface{} whose elements are maps with
// keys "x" and "y" holding numbers; otherwise the whole output is dropped
// (series() writes nothing and returns normally: the signal is kept).
// The platform marshals the map with encoding/json, so a value counts as a
// number the way it marshals as one: any integer or float, or a non-nil
// *float64 (its number). NaN and infinities make encoding/json fail, so
// they drop the output too. A nil y (nil, or a nil *float64) marshals as
// null: a gap in the line (NaN on the plot). The "every
// filter.indicators[].id is a key" half of the contract needs the filter,
// which the plugin does not see: the host applies it
// (vyx::runtime::platform_series_complete).
#pragma once

#include "vyx/sdk/go/any.hpp"
#include "vyx/sdk/outputs.hpp"

namespace vyx::go {

namespace series_detail {
enum class value_is { number, gap, invalid };

inline value_is json_value(const any& v, double& out) {
  if (const ptr<double>* p = v.as_float64_pointer()) {
    if (*p == nil) return value_is::gap;
    out = **p;
  } else if (v.is_nil()) {
    return value_is::gap;
  } else if (!v.number(out)) {
    return value_is::invalid;
  }
  return __builtin_isfinite(out) ? value_is::number : value_is::invalid;
}

// One point: x must be a number; y a number or nil.
inline bool point(const map<string, any>& m, double& x, double& y) {
  const tuple<any, bool> xv = m.lookup(string("x"));
  const tuple<any, bool> yv = m.lookup(string("y"));
  if (!get<1>(xv) || !get<1>(yv)) return false;
  if (json_value(get<0>(xv), x) != value_is::number) return false;
  const value_is y_is = json_value(get<0>(yv), y);
  if (y_is == value_is::gap) y = __builtin_nan("");
  return y_is != value_is::invalid;
}

// Calls each(i, point map) for every element of a series value; false when
// the value is not a slice of maps.
template <class F>
bool each_point(const any& value, F each) {
  if (const slice<map<string, any>>* maps = value.as_map_slice()) {
    for (long i = 0; i < maps->len(); ++i)
      if (!each(i, (*maps)[i])) return false;
    return true;
  }
  if (const slice<any>* items = value.as_slice()) {
    for (long i = 0; i < items->len(); ++i) {
      const map<string, any>* m = (*items)[i].as_map();
      if (m == nullptr || !each(i, *m)) return false;
    }
    return true;
  }
  return false;
}

inline long points_of(const any& value) {
  if (const slice<map<string, any>>* maps = value.as_map_slice()) return maps->len();
  if (const slice<any>* items = value.as_slice()) return items->len();
  return 0;
}

// The key as a NUL-terminated name (Plot cuts it to the name capacity).
inline const char* name_of(const string& key) {
  char* name = new char[key.len() + 1];
  for (long i = 0; i < key.len(); ++i) name[i] = key.bytes()[i];
  name[key.len()] = 0;
  return name;
}
}  // namespace series_detail

// True when `out` keeps the contract (a nil or empty map does).
inline bool series_output_valid(const map<string, any>& out) {
  double x = 0, y = 0;
  for (long i = 0; i < out.slots(); ++i)
    if (out.live(i) && !series_detail::each_point(out.value_at(i), [&](long, const map<string, any>& m) {
          return series_detail::point(m, x, y);
        }))
      return false;
  return true;
}

// Writes every key of `out` as a VYX_PLOT_POINTS series (in the map's
// order, each in its own panel) when the whole map keeps the contract;
// writes nothing otherwise. False when nothing was written for that reason.
inline bool write_series(const map<string, any>& out, Plot& plot) {
  if (!series_output_valid(out)) return false;
  for (long i = 0; i < out.slots(); ++i) {
    if (!out.live(i)) continue;
    const any& value = out.value_at(i);
    const long n = series_detail::points_of(value);
    double* xy = new double[n > 0 ? 2 * n : 1];
    series_detail::each_point(value, [&](long k, const map<string, any>& m) {
      return series_detail::point(m, xy[2 * k], xy[2 * k + 1]);
    });
    if (!plot.points(series_detail::name_of(out.key_at(i)), xy, n)) return true;
  }
  return true;
}

}  // namespace vyx::go
