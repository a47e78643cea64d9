// What the Postgres benchmarks ship: a cluster with the platform's schema,
// our migrations, one user with a machine role and one trader; a candle
// store for the rows' klines; signals whose key never repeats; and the
// sink's options as a deployed machine has them (its machine role).
#pragma once

#include <cstddef>
#include <string>

#include "pg_cluster.hpp"
#include "platform_db.hpp"
#include "vyx/runtime/market/candle_store.hpp"
#include "vyx/runtime/sinks/postgres_outbox_sink.hpp"

namespace vyx::bench {

struct shipping_platform {
  test::pg_cluster cluster;
  test::platform_user user;
  std::string trader;
  shipping_platform();
};

// 8 symbols, 300 one-minute candles each, and a 24 h ticker.
runtime::candle_store make_shipping_store();
// The n-th signal: a distinct (symbol, candle) for every n.
runtime::trader_signal make_shipping_signal(const std::string& trader, std::size_t n);
// As the user's machine role. batch_rows 0: the sink's default.
runtime::postgres_sink_options shipping_sink_options(const shipping_platform& p,
                                                     const std::filesystem::path& outbox_file,
                                                     std::size_t klines, std::size_t batch_rows);

struct shipping_run {
  bool finished = false;    // the outbox emptied within the limit
  double seconds = 0;       // from the server's start to an empty outbox
  double fill_seconds = 0;  // writing the rows into the outbox
  runtime::postgres_sink_stats stats;
};
// The shipping of a backlog: with the server stopped, `rows` signals
// (make_shipping_signal) go into a new sink's outbox; then the server is
// started and the time until the outbox is empty is the run's.
shipping_run ship_backlog(shipping_platform& p, const std::filesystem::path& outbox_file,
                          std::size_t rows, std::size_t klines, std::size_t batch_rows);

}  // namespace vyx::bench
