// Test trader written with the SDK (built here straight from C++, no
// compiler): needs 5m and 1h, always matches, and emits the forming 1h
// candle and the ticker it sees, so a test can check them against the data.
#include "vyx/trader.hpp"

bool filter(const vyx::Market& m) {
  const auto& h1 = m.klines("1h");
  vyx::emit("now", static_cast<double>(m.now_ms()));
  vyx::emit("h1_count", h1.size());
  vyx::emit("has_forming", h1.has_forming() ? 1 : 0);
  if (h1.has_forming()) {
    const vyx::Candle c = h1.forming();
    vyx::emit("f_open_time", static_cast<double>(c.open_time));
    vyx::emit("f_close_time", static_cast<double>(c.close_time));
    vyx::emit("f_open", c.open);
    vyx::emit("f_high", c.high);
    vyx::emit("f_low", c.low);
    vyx::emit("f_close", c.close);
    vyx::emit("f_volume", c.volume);
    vyx::emit("f_quote_volume", c.quote_volume);
    vyx::emit("f_taker_buy", c.taker_buy_volume);
    vyx::emit("f_trades", static_cast<double>(c.trades));
  }
  const vyx::Ticker t = m.ticker();
  vyx::emit("t_last", t.last_price);
  vyx::emit("t_change", t.price_change_percent);
  vyx::emit("t_quote_volume", t.quote_volume);
  return true;
}

// What vyxc adds after the user's code: the C adapters, then the descriptor.
#include "vyx/sdk/entry.hpp"

static const vyx_plugin descriptor = {sizeof(vyx_plugin),
                                      VYX_ABI_VERSION,
                                      "forming_probe",
                                      VYX_SDK_VERSION,
                                      (1u << VYX_TF_5M) | (1u << VYX_TF_1H),
                                      1,
                                      16,
                                      0,
                                      vyx_sdk_filter,
                                      nullptr};

extern "C" __attribute__((visibility("default"))) const vyx_plugin* vyx_plugin_entry(void) {
  return &descriptor;
}
