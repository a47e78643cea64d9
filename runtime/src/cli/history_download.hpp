// Kline history from Binance's REST API into the replay layout, for `vyx
// data fetch`: page by page (1000 rows), each page appended and synced
// before the next is asked for, resuming after the last stored row. The
// HTTP side (keep-alive sessions, the weight budget, X-MBX-USED-WEIGHT-1M,
// Retry-After on 429, stop on 418) is the live feed's REST client.
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "vyx/abi.h"

namespace vyx::cli {

struct history_request {
  std::vector<std::string> symbols;  // Binance's names, e.g. BTCUSDT
  std::vector<vyx_timeframe> timeframes;
  unsigned days = 0;          // how far back from the exchange's now
  std::filesystem::path out;  // DATA: DATA/<SYMBOL>/<tf>.csv
  std::string base_url = "https://api.binance.com";
  std::string ca_file;  // empty = the system CA store
};

struct history_progress {
  std::string symbol;
  vyx_timeframe timeframe = 0;
  std::uint64_t rows_added = 0;  // by this run
  bool resumed = false;          // continued after rows already stored
};

class history_download {
 public:
  // Throws std::runtime_error on a bad URL or CA file.
  explicit history_download(const history_request& request);
  ~history_download();
  history_download(const history_download&) = delete;
  history_download& operator=(const history_download&) = delete;

  // Fetches every (symbol, timeframe), one after the other, calling
  // `on_done` after each. Empty on success, else why it stopped (what was
  // written until then stays and a rerun continues from it).
  std::string run(const std::function<void(const history_progress&)>& on_done);

 private:
  struct impl;
  std::unique_ptr<impl> impl_;
};

}  // namespace vyx::cli
