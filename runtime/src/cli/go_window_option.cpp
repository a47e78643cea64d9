// Parses and checks `--window` (see go_window_option.hpp).
#include "go_window_option.hpp"

#include <spdlog/spdlog.h>

#include <stdexcept>
#include <string>

namespace vyx::cli {

void add_go_window_option(boost::program_options::options_description& options,
                          std::int64_t& window) {
  options.add_options()(
      "window", boost::program_options::value(&window)->default_value(platform_go_window),
      "Go (platform) traders only: the newest closed candles per timeframe they see, 1 to "
      "100000 (the platform's 250); raises the default --capacity to it. C++ traders see every "
      "candle kept");
}

std::uint32_t checked_go_window(std::int64_t window) {
  if (window < 1 || window > max_go_window)
    throw std::runtime_error("--window " + std::to_string(window) + ": must be 1 to " +
                             std::to_string(max_go_window) +
                             " (closed candles per timeframe a Go trader sees)");
  return static_cast<std::uint32_t>(window);
}

void warn_window_over_capacity(std::uint32_t window, std::uint32_t capacity) {
  if (window > capacity)
    spdlog::warn("--window {} is more than --capacity {}: Go traders see at most {} candles",
                 window, capacity, capacity);
}

}  // namespace vyx::cli
