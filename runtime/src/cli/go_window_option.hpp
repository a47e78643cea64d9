// `--window N` of `vyx run` and `vyx backtest`: the newest closed candles per
// timeframe a Go (platform) trader sees, as the platform's window does.
// Dialect traders see every candle the store keeps and ignore it.
#pragma once

#include <boost/program_options.hpp>

#include <cstdint>

namespace vyx::cli {

inline constexpr std::uint32_t platform_go_window = 250;
inline constexpr std::uint32_t max_go_window = 100'000;

// Parsed as a signed number so that "-1" is refused, not wrapped to a huge window.
void add_go_window_option(boost::program_options::options_description& options,
                          std::int64_t& window);

// The window checked against 1..max_go_window; throws std::runtime_error
// naming the option and the range otherwise (a startup error).
std::uint32_t checked_go_window(std::int64_t window);

// Warns when the store keeps fewer candles than the window (an explicit
// --capacity): a Go trader then sees the candles the store has.
void warn_window_over_capacity(std::uint32_t window, std::uint32_t capacity);

}  // namespace vyx::cli
