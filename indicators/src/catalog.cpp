// The catalog: every indicator registered once, with its inputs, options
// (ranges, defaults, TA-Lib names) and outputs. Add an indicator by adding
// its option table (if new) and one entry<...>() line in the list below.
#include "vyx/indicators/catalog.hpp"

#include <algorithm>
#include <array>
#include <cstring>
#include <string>
#include <vector>

#include "catalog_entry.hpp"
#include "vyx/abi.h"
#include "vyx/indicators.hpp"

namespace vyx::ta {
namespace {

using detail::entry;
using detail::no_options;

// ---- input lists ----
constexpr input in_close[] = {input::close};
constexpr input in_volume[] = {input::volume};
constexpr input in_hl[] = {input::high, input::low};
constexpr input in_hlc[] = {input::high, input::low, input::close};
constexpr input in_hlcv[] = {input::high, input::low, input::close, input::volume};
constexpr input in_cv[] = {input::close, input::volume};
constexpr input in_hlcv_time[] = {input::high, input::low, input::close, input::volume,
                                  input::open_time};
constexpr input in_high[] = {input::high};
constexpr input in_low[] = {input::low};
constexpr input in_volume_buy[] = {input::volume, input::taker_buy_volume};

// ---- output name lists ----
constexpr const char* out_value[] = {"value"};

// ---- option tables ----
// Periods follow TA-Lib's upper bound (100000); lower bounds are ours (TA-Lib
// refuses period 1 for some averages, where it is simply the identity here).
// Defaults are TA-Lib's, except where a chart convention is what users expect
// (BBANDS 20, STOCH 14-3-3, STOCHRSI 14-14-3).
constexpr double max_period = 100000;
constexpr double max_multiplier = 1000;
constexpr option_info opt_period_14[] = {{"period", 1, max_period, 14, true, "optInTimePeriod"}};
constexpr option_info opt_period_20[] = {{"period", 1, max_period, 20, true, "optInTimePeriod"}};
constexpr option_info opt_period_30[] = {{"period", 1, max_period, 30, true, "optInTimePeriod"}};
constexpr option_info opt_window_20[] = {{"period", 1, max_period, 20, true, nullptr}};
constexpr option_info opt_macd[] = {{"fast", 1, max_period, 12, true, "optInFastPeriod"},
                                    {"slow", 1, max_period, 26, true, "optInSlowPeriod"},
                                    {"signal", 1, max_period, 9, true, "optInSignalPeriod"}};
constexpr option_info opt_bbands[] = {{"period", 1, max_period, 20, true, "optInTimePeriod"},
                                      {"mult_up", 0, max_multiplier, 2, false, "optInNbDevUp"},
                                      {"mult_down", 0, max_multiplier, 2, false, "optInNbDevDn"}};
constexpr option_info opt_stoch[] = {{"k", 1, max_period, 14, true, "optInFastK_Period"},
                                     {"slow_k", 1, max_period, 3, true, "optInSlowK_Period"},
                                     {"d", 1, max_period, 3, true, "optInSlowD_Period"}};
constexpr option_info opt_stochrsi[] = {{"rsi", 1, max_period, 14, true, "optInTimePeriod"},
                                        {"k", 1, max_period, 14, true, "optInFastK_Period"},
                                        {"d", 1, max_period, 3, true, "optInFastD_Period"}};
constexpr option_info opt_stochrsi_smoothed[] = {
    {"rsi", 1, max_period, 14, true, "rsi.optInTimePeriod"},
    {"stoch", 1, max_period, 14, true, "stoch.optInFastK_Period"},
    {"k", 1, max_period, 3, true, "stoch.optInSlowK_Period"},
    {"d", 1, max_period, 3, true, "stoch.optInSlowD_Period"}};

constexpr const char* out_macd[] = {"macd", "signal", "hist"};
constexpr const char* out_bbands[] = {"upper", "middle", "lower"};
constexpr const char* out_stoch[] = {"slowk", "slowd"};
constexpr const char* out_stochrsi[] = {"fastk", "fastd"};
constexpr const char* out_k_d[] = {"k", "d"};
constexpr const char* out_buy_sell[] = {"buy", "sell", "delta"};

// Period bounds of the volatility, trend and oscillator family follow TA-Lib:
// ATR, NATR, ROC, MOM from 1, the others from 2.
constexpr option_info opt_period_14_from_2[] = {
    {"period", 2, max_period, 14, true, "optInTimePeriod"}};
constexpr option_info opt_period_20_from_2[] = {
    {"period", 2, max_period, 20, true, "optInTimePeriod"}};
constexpr option_info opt_period_10[] = {{"period", 1, max_period, 10, true, "optInTimePeriod"}};
constexpr option_info opt_sar[] = {{"acceleration", 0, 1, 0.02, false, "optInAcceleration"},
                                   {"maximum", 0, 1, 0.2, false, "optInMaximum"}};
constexpr const char* out_aroon[] = {"down", "up"};
// ---- every indicator: entry<NAME_stream, NAME, NAME_lookback, inputs, options, outputs>(id,
// TA-Lib name, description, VYX_IND_* id or none) ----
constexpr indicator_info entries[] = {
    entry<sma_stream, sma, sma_lookback, in_close, opt_period_30, out_value>(
        "sma", "SMA", "Simple moving average of close", VYX_IND_SMA),
    entry<ema_stream, ema, ema_lookback, in_close, opt_period_30, out_value>(
        "ema", "EMA", "Exponential moving average of close, seeded with the SMA", VYX_IND_EMA),
    entry<wma_stream, wma, wma_lookback, in_close, opt_period_30, out_value>(
        "wma", "WMA", "Linearly weighted moving average of close", VYX_IND_WMA),
    entry<dema_stream, dema, dema_lookback, in_close, opt_period_30, out_value>(
        "dema", "DEMA", "Double exponential moving average", VYX_IND_DEMA),
    entry<tema_stream, tema, tema_lookback, in_close, opt_period_30, out_value>(
        "tema", "TEMA", "Triple exponential moving average", VYX_IND_TEMA),
    entry<kama_stream, kama, kama_lookback, in_close, opt_period_30, out_value>(
        "kama", "KAMA", "Kaufman adaptive moving average (fast 2, slow 30)", VYX_IND_KAMA),
    entry<rsi_stream, rsi, rsi_lookback, in_close, opt_period_14, out_value>(
        "rsi", "RSI", "Relative strength index (Wilder)", VYX_IND_RSI),
    entry<macd_stream, macd, macd_lookback, in_close, opt_macd, out_macd>(
        "macd", "MACD", "MACD line, signal and histogram (TA-Lib seeding)", VYX_IND_MACD),
    entry<bbands_stream, bbands, bbands_lookback, in_close, opt_bbands, out_bbands>(
        "bbands", "BBANDS",
        "Bollinger bands: SMA +/- multiples of the population standard deviation", VYX_IND_BBANDS),
    entry<stoch_stream, stoch, stoch_lookback, in_hlc, opt_stoch, out_stoch>(
        "stoch", "STOCH", "Slow stochastic: SMA-smoothed %K and its SMA %D", VYX_IND_STOCH),
    entry<stochrsi_stream, stochrsi, stochrsi_lookback, in_close, opt_stochrsi, out_stochrsi>(
        "stochrsi", "STOCHRSI", "Stochastic of RSI, TA-Lib's (fastk not smoothed)",
        VYX_IND_STOCHRSI),
    entry<stochrsi_smoothed_stream, stochrsi_smoothed, stochrsi_smoothed_lookback, in_close,
          opt_stochrsi_smoothed, out_k_d>("stochrsi_smoothed", "STOCH(RSI(close))",
                                          "Chart-style Stoch RSI: smoothed k and its SMA d",
                                          VYX_IND_STOCHRSI_SMOOTHED),
    entry<vwap_stream, vwap, vwap_lookback, in_hlcv_time, no_options, out_value>(
        "vwap", nullptr, "Volume-weighted typical price, restarting each UTC day", VYX_IND_VWAP),
    entry<vwap_rolling_stream, vwap_rolling, vwap_rolling_lookback, in_hlcv, opt_window_20,
          out_value>("vwap_rolling", nullptr, "Volume-weighted typical price over the last N bars",
                     VYX_IND_VWAP_ROLLING),
    entry<avg_volume_stream, avg_volume, avg_volume_lookback, in_volume, opt_window_20, out_value>(
        "avg_volume", nullptr, "Mean volume over the last N bars", VYX_IND_AVG_VOLUME),
    entry<buy_sell_volume_stream, buy_sell_volume, buy_sell_volume_lookback, in_volume_buy,
          no_options, out_buy_sell>("buy_sell_volume", nullptr,
                                    "Taker buy volume, sell = volume - buy, delta = buy - sell"),
    entry<highest_stream, highest, highest_lookback, in_high, opt_window_20, out_value>(
        "highest", nullptr, "Highest high over the last N bars", VYX_IND_HIGHEST),
    entry<lowest_stream, lowest, lowest_lookback, in_low, opt_window_20, out_value>(
        "lowest", nullptr, "Lowest low over the last N bars", VYX_IND_LOWEST),
    entry<trange_stream, trange, trange_lookback, in_hlc, no_options, out_value>(
        "trange", "TRANGE", "True range: high-low widened to the previous close", VYX_IND_TRANGE),
    entry<atr_stream, atr, atr_lookback, in_hlc, opt_period_14, out_value>(
        "atr", "ATR", "Average true range (Wilder smoothing)", VYX_IND_ATR),
    entry<natr_stream, natr, natr_lookback, in_hlc, opt_period_14, out_value>(
        "natr", "NATR", "Normalised average true range, percent of close", VYX_IND_NATR),
    entry<plus_di_stream, plus_di, plus_di_lookback, in_hlc, opt_period_14_from_2, out_value>(
        "plus_di", "PLUS_DI", "Plus directional indicator", VYX_IND_PLUS_DI),
    entry<minus_di_stream, minus_di, minus_di_lookback, in_hlc, opt_period_14_from_2, out_value>(
        "minus_di", "MINUS_DI", "Minus directional indicator", VYX_IND_MINUS_DI),
    entry<adx_stream, adx, adx_lookback, in_hlc, opt_period_14_from_2, out_value>(
        "adx", "ADX", "Average directional index", VYX_IND_ADX),
    entry<cci_stream, cci, cci_lookback, in_hlc, opt_period_20_from_2, out_value>(
        "cci", "CCI", "Commodity channel index", VYX_IND_CCI),
    entry<mfi_stream, mfi, mfi_lookback, in_hlcv, opt_period_14_from_2, out_value>(
        "mfi", "MFI", "Money flow index", VYX_IND_MFI),
    entry<obv_stream, obv, obv_lookback, in_cv, no_options, out_value>(
        "obv", "OBV", "On-balance volume", VYX_IND_OBV),
    entry<willr_stream, willr, willr_lookback, in_hlc, opt_period_14_from_2, out_value>(
        "willr", "WILLR", "Williams %R", VYX_IND_WILLR),
    entry<roc_stream, roc, roc_lookback, in_close, opt_period_10, out_value>(
        "roc", "ROC", "Rate of change, percent", VYX_IND_ROC),
    entry<mom_stream, mom, mom_lookback, in_close, opt_period_10, out_value>(
        "mom", "MOM", "Momentum: close minus the close period bars ago", VYX_IND_MOM),
    entry<sar_stream, sar, sar_lookback, in_hl, opt_sar, out_value>(
        "sar", "SAR", "Parabolic stop and reverse", VYX_IND_SAR),
    entry<aroon_stream, aroon, aroon_lookback, in_hl, opt_period_14_from_2, out_aroon>(
        "aroon", "AROON", "Aroon down and up", VYX_IND_AROON),
};

std::vector<indicator_info> build_sorted() {
  std::vector<indicator_info> all;
  all.insert(all.end(), std::begin(entries), std::end(entries));
  std::sort(all.begin(), all.end(), [](const indicator_info& a, const indicator_info& b) {
    return std::strcmp(a.id, b.id) < 0;
  });
  return all;
}

}  // namespace

const char* to_string(input i) noexcept {
  switch (i) {
    case input::open:
      return "open";
    case input::high:
      return "high";
    case input::low:
      return "low";
    case input::close:
      return "close";
    case input::volume:
      return "volume";
    case input::open_time:
      return "open_time";
    case input::taker_buy_volume:
      return "taker_buy_volume";
  }
  return "unknown";
}

std::span<const indicator_info> catalog() noexcept {
  static const std::vector<indicator_info> sorted = build_sorted();
  return sorted;
}

const indicator_info* find_indicator(std::string_view id) noexcept {
  for (const indicator_info& info : catalog())
    if (id == info.id) return &info;
  return nullptr;
}

const indicator_info* find_indicator_by_abi_id(std::uint32_t abi_id) noexcept {
  if (abi_id == 0) return nullptr;
  for (const indicator_info& info : catalog())
    if (info.abi_id == abi_id) return &info;
  return nullptr;
}

void default_options(const indicator_info& info, double* options) noexcept {
  for (std::size_t i = 0; i < info.options.size(); ++i) options[i] = info.options[i].default_value;
}

const indicator_info* match_talib(std::string_view function, std::span<const talib_param> params,
                                  double* options) noexcept {
  for (const indicator_info& info : catalog()) {
    if (info.talib_function == nullptr || function != info.talib_function) continue;
    default_options(info, options);
    bool matched = true;
    for (const talib_param& p : params) {
      const std::string_view leaf =
          p.name.substr(p.name.rfind('.') == std::string_view::npos ? 0 : p.name.rfind('.') + 1);
      if (leaf.ends_with("MAType")) {
        if (p.value != 0) matched = false;  // only the simple moving average is implemented
        continue;
      }
      bool found = false;
      for (std::size_t i = 0; i < info.options.size(); ++i) {
        const char* name = info.options[i].talib_name;
        if (name != nullptr && p.name == name) {
          options[i] = p.value;
          found = true;
        }
      }
      if (!found) matched = false;
    }
    if (matched) return &info;
  }
  return nullptr;
}

}  // namespace vyx::ta
