// The symbols to screen: the top `count` USDT pairs in status TRADING by
// 24 h quote volume above `min_volume`, leveraged tokens excluded by their
// suffix only (UPUSDT, DOWNUSDT, BULLUSDT, BEARUSDT: JUPUSDT stays), or a
// pinned list (SYMBOLS=a,b).
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace vyx::runtime::binance {

struct universe_rules {
  std::size_t count = 100;
  double min_volume = 100'000;
  std::vector<std::string> pinned;  // when set, exactly these (if trading)
};

bool is_leveraged_token(std::string_view symbol);

// From the bodies of /api/v3/exchangeInfo and /api/v3/ticker/24hr. Sorted by
// name (the store's order). Empty with `error` set when a body is not what Binance sends.
std::vector<std::string> select_universe(std::string_view exchange_info, std::string_view tickers,
                                         const universe_rules& rules, std::string& error);

}  // namespace vyx::runtime::binance
