// Selecting the symbol universe from exchangeInfo and the 24 h tickers.
#include "symbol_universe.hpp"

#include <simdjson.h>

#include <algorithm>
#include <map>
#include <set>

#include "message_parser.hpp"

namespace vyx::runtime::binance {

// Leveraged tokens are <BASE><UP|DOWN|BULL|BEAR>USDT with a base of at least
// two letters: JUPUSDT (the token JUP) is not one, although it ends in UPUSDT.
std::string_view leveraged_base(std::string_view symbol) {
  for (std::string_view suffix : {"UPUSDT", "DOWNUSDT", "BULLUSDT", "BEARUSDT"})
    if (symbol.size() >= suffix.size() + 2 && symbol.ends_with(suffix))
      return symbol.substr(0, symbol.size() - suffix.size());
  return {};
}

bool is_leveraged_token(std::string_view symbol) {
  return !leveraged_base(symbol).empty();
}

std::vector<std::string> select_universe(std::string_view exchange_info, std::string_view tickers,
                                         const universe_rules& rules, std::string& error) {
  simdjson::dom::parser parser;
  simdjson::dom::element info;
  simdjson::dom::array symbols;
  if (parser.parse(exchange_info.data(), exchange_info.size()).get(info) ||
      info["symbols"].get(symbols)) {
    error = "exchangeInfo: no symbols array";
    return {};
  }
  std::set<std::string> trading;
  for (auto s : symbols) {
    std::string_view name, status, quote;
    if (s["symbol"].get(name) || s["status"].get(status)) continue;
    if (s["quoteAsset"].get(quote)) quote = {};
    if (status == "TRADING") trading.emplace(name);
  }
  std::vector<std::string> out;
  if (!rules.pinned.empty()) {
    for (const auto& p : rules.pinned)
      if (trading.count(p)) out.push_back(p);
    std::sort(out.begin(), out.end());
    if (out.empty()) error = "none of the pinned SYMBOLS is trading";
    return out;
  }
  simdjson::dom::parser ticker_parser;
  simdjson::dom::element doc;
  simdjson::dom::array rows;
  if (ticker_parser.parse(tickers.data(), tickers.size()).get(doc) || doc.get(rows)) {
    error = "ticker/24hr: not an array";
    return {};
  }
  std::vector<std::pair<double, std::string>> ranked;
  for (auto row : rows) {
    std::string_view name, volume_text;
    double volume = 0;
    if (row["symbol"].get(name) || row["quoteVolume"].get(volume_text) ||
        !parse_decimal(volume_text, volume))
      continue;
    std::string symbol(name);
    if (!trading.count(symbol) || symbol.size() <= 4 || symbol.compare(symbol.size() - 4, 4, "USDT") != 0 ||
        symbol.find('_') != std::string::npos || volume <= rules.min_volume)
      continue;
    // A leveraged token's base trades itself (BTCUP: BTCUSDT), which tells it
    // from a token whose name merely ends so (SYRUPUSDT: there is no SYRUSDT).
    if (const std::string_view base = leveraged_base(symbol);
        !base.empty() && trading.count(std::string(base) + "USDT"))
      continue;
    ranked.emplace_back(volume, std::move(symbol));
  }
  std::sort(ranked.begin(), ranked.end(), [](const auto& a, const auto& b) {
    return a.first != b.first ? a.first > b.first : a.second < b.second;
  });
  for (std::size_t i = 0; i < ranked.size() && i < rules.count; ++i) out.push_back(ranked[i].second);
  std::sort(out.begin(), out.end());
  if (out.empty()) error = "no USDT symbol is trading above MIN_VOLUME";
  return out;
}

}  // namespace vyx::runtime::binance
