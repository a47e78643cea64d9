// The page loop of `vyx data fetch` over the live feed's REST client and backfill.
#include "history_download.hpp"

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>

#include <algorithm>
#include <future>
#include <stdexcept>
#include <thread>

#include "feeds/binance/backfill.hpp"
#include "feeds/binance/endpoint.hpp"
#include "feeds/binance/rest_client.hpp"
#include "kline_history_file.hpp"
#include "vyx/runtime/market/timeframe.hpp"

namespace vyx::cli {
namespace asio = boost::asio;
using namespace vyx::runtime;

namespace {

constexpr std::int64_t day_ms = 86'400'000;

std::string describe(const binance::rest_response& r) {
  if (r.status == 0) return r.error;
  return "HTTP " + std::to_string(r.status) + ": " + r.body.substr(0, 200);
}

}  // namespace

struct history_download::impl {
  history_request request;
  asio::io_context io;
  asio::executor_work_guard<asio::io_context::executor_type> work = asio::make_work_guard(io);
  std::shared_ptr<binance::rest_client> rest;
  std::unique_ptr<binance::backfill> pages;
  std::thread thread;

  // The REST client's handlers run on the I/O thread; the page loop waits for each here.
  binance::rest_response get(const std::string& target, unsigned weight) {
    auto promise = std::make_shared<std::promise<binance::rest_response>>();
    auto answer = promise->get_future();
    rest->get(target, weight,
              [promise](const binance::rest_response& r) { promise->set_value(r); });
    return answer.get();
  }

  binance::backfill_result page(const std::string& symbol, vyx_timeframe tf, std::int64_t from_open,
                                std::int64_t until) {
    auto promise = std::make_shared<std::promise<binance::backfill_result>>();
    auto answer = promise->get_future();
    pages->fetch(symbol, tf, from_open, until, binance::backfill::page_limit,
                 [promise](binance::backfill_result r) { promise->set_value(std::move(r)); });
    return answer.get();
  }

  // The exchange's clock: "the last N days" and "closed" are the exchange's, not this machine's.
  std::int64_t server_now(std::string& error) {
    auto r = get("/api/v3/time", 1);
    const auto at = r.body.find("\"serverTime\":");
    if (r.status != 200 || at == std::string::npos) {
      error = "cannot read the exchange's time (/api/v3/time): " + describe(r);
      return 0;
    }
    return std::stoll(r.body.substr(at + 13));
  }

  // One file: from after its last row (or `days` back) to the last closed candle.
  std::string fetch_one(const std::string& symbol, vyx_timeframe tf, std::int64_t now,
                        history_progress& progress) {
    const std::int64_t period = timeframe_ms(tf);
    kline_history_file file(request.out / symbol / (std::string(timeframe_name(tf)) + ".csv"));
    const std::int64_t start = now - static_cast<std::int64_t>(request.days) * day_ms;
    std::int64_t next_open = start - start % period;
    if (auto last = file.last_open_time()) {
      next_open = *last + period;
      progress.resumed = true;
    }
    // One request per page: a window of exactly page_limit periods, so that
    // each page is on disk before the next is asked for.
    while (next_open + period <= now) {
      const std::int64_t window_end = std::min(
          now, next_open + static_cast<std::int64_t>(binance::backfill::page_limit) * period);
      auto result = page(symbol, tf, next_open, window_end);
      if (!result.error.empty())
        return symbol + " " + timeframe_name(tf) + ": " + result.error +
               (result.status == 418
                    ? " (the exchange banned this IP for a while: wait, then rerun)"
                    : "");
      if (result.rows.empty()) {
        next_open = window_end;  // a gap in the exchange's history (e.g. maintenance)
        continue;
      }
      file.append(result.rows);
      progress.rows_added += result.rows.size();
      next_open = result.rows.back().open_time + period;
    }
    return {};
  }
};

history_download::history_download(const history_request& request) : impl_(new impl()) {
  impl_->request = request;
  auto where = binance::parse_endpoint(request.base_url);
  if (!where)
    throw std::runtime_error("--base-url '" + request.base_url + "' is not an http(s) URL");
  std::shared_ptr<asio::ssl::context> tls;
  if (where->tls) {
    std::string error;
    tls = binance::make_tls_context(request.ca_file, error);
    if (!tls) throw std::runtime_error(error);
  }
  binance::rest_options options;
  options.sessions = 1;  // pages are asked for one at a time
  impl_->rest = std::make_shared<binance::rest_client>(impl_->io, *where, tls, options);
  impl_->pages = std::make_unique<binance::backfill>(impl_->rest);
  impl_->thread = std::thread([this] { impl_->io.run(); });
}

history_download::~history_download() {
  impl_->rest->stop();
  impl_->work.reset();
  impl_->io.stop();
  impl_->thread.join();
}

std::string history_download::run(const std::function<void(const history_progress&)>& on_done) {
  std::string error;
  const std::int64_t now = impl_->server_now(error);
  if (!error.empty()) return error;
  for (const auto& symbol : impl_->request.symbols)
    for (vyx_timeframe tf : impl_->request.timeframes) {
      history_progress progress{symbol, tf};
      error = impl_->fetch_one(symbol, tf, now, progress);
      on_done(progress);
      if (!error.empty()) return error;
    }
  return {};
}

}  // namespace vyx::cli
