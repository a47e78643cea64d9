// How close the outbox sink ships to what Postgres itself can take on this
// machine (BENCHMARKS.md, "Postgres"). One cluster with the platform's
// schema and our migrations; in the same minutes, rounds of three ways to
// put N new rows into `signals` as the user's machine role, each on two
// connections, in transactions of 2,000 rows:
//   in-server  INSERT ... SELECT FROM generate_series: no client and nothing
//              to parse per row (one indicator_data for all), only the
//              table's own work per row (its keys, indexes, trigger and
//              policies);
//   copy       the sink's way (COPY into a temporary table, then INSERT ...
//              SELECT joined to traders) from columns formatted before the
//              clock starts: the least a client can do that way;
//   sink       postgres_outbox_sink shipping an outbox of N signals (as
//              vyx_bench_postgres --only-shipping does).
// Before each, `signals` is emptied and the server restarted (cold shared
// buffers for all three). Prints each round, the medians and the command.
#include <algorithm>
#include <array>
#include <chrono>
#include <cstdio>
#include <exception>
#include <ctime>
#include <functional>
#include <memory>
#include <pqxx/pqxx>
#include <spdlog/spdlog.h>
#include <string>
#include <thread>
#include <vector>

#include "shipping_fixture.hpp"
#include "temp_dir.hpp"

using namespace vyx;
using namespace std::chrono_literals;
using steady = std::chrono::steady_clock;

namespace {

constexpr std::size_t connections = 2;
constexpr std::size_t batch_rows = 2000;
// Candle times of the generated rows: far from the sink's, and each
// connection's own range, so no key repeats within a measure.
constexpr long long first_candle_s = 1'900'000'000;

std::string indicator_data(long long close_ms) {
  const std::string x = std::to_string(close_ms);
  return R"({"rsi":[{"x":)" + x + R"(,"y":28.5}],"ema":[{"x":)" + x +
         R"(,"y":101.5}],"klines":[]})";
}

// Runs work(connection index) on each connection at once; seconds of wall time.
double on_connections(const bench::shipping_platform& p,
                      const std::function<void(pqxx::connection&, std::size_t)>& work) {
  std::vector<std::unique_ptr<pqxx::connection>> open;
  for (std::size_t c = 0; c < connections; ++c)
    open.push_back(std::make_unique<pqxx::connection>(p.cluster.url(p.user.role)));
  const auto begin = steady::now();
  std::vector<std::thread> threads;
  std::vector<std::exception_ptr> failed(connections);
  for (std::size_t c = 0; c < connections; ++c)
    threads.emplace_back([&, c] {
      try {
        work(*open[c], c);
      } catch (...) {
        failed[c] = std::current_exception();
      }
    });
  for (auto& t : threads) t.join();
  for (const auto& e : failed)
    if (e) std::rethrow_exception(e);
  return std::chrono::duration<double>(steady::now() - begin).count();
}

double in_server(const bench::shipping_platform& p, std::size_t rows) {
  // One indicator_data for all rows: parsed once per statement, not per row.
  const std::string head =
      "INSERT INTO public.signals (trader_id, user_id, symbol, interval, timestamp, candle_time, "
      "price_at_signal, change_percent_at_signal, volume_at_signal, count, source, fly_app_id, "
      "indicator_data) SELECT '" +
      p.trader + "', '" + p.user.id +
      "', 'BTCUSDT', '1m', now(), to_timestamp(c), 400.5, 1.25, 9.87e7, 1, 'cloud', '" +
      p.user.fly_app_id + "', '" + indicator_data(0) + "'::jsonb FROM generate_series(";
  return on_connections(p, [&](pqxx::connection& connection, std::size_t c) {
    const long long first = first_candle_s + static_cast<long long>(c * rows) * 60;
    for (std::size_t done = 0; done < rows / connections; done += batch_rows) {
      const long long from = first + static_cast<long long>(done) * 60;
      const long long to = from + static_cast<long long>(batch_rows - 1) * 60;
      pqxx::work w(connection);
      w.exec(head + std::to_string(from) + "::bigint, " + std::to_string(to) + ", 60) c");
      w.commit();
    }
  });
}

double copy_client(const bench::shipping_platform& p, std::size_t rows) {
  // The columns of the sink's temporary table (fly_app_id NULL: the join fills it).
  using fields = std::array<std::string, 10>;
  std::vector<std::vector<fields>> lines(connections);
  for (std::size_t c = 0; c < connections; ++c)
    for (std::size_t i = 0; i < rows / connections; ++i) {
      const long long close_s = first_candle_s + static_cast<long long>(c * rows + i) * 60;
      const std::time_t t = close_s;
      std::tm utc{};
      gmtime_r(&t, &utc);
      char candle_time[32];
      std::strftime(candle_time, sizeof candle_time, "%Y-%m-%d %H:%M:%S+00", &utc);
      lines[c].push_back({indicator_data(close_s * 1000 - 1), p.trader, p.user.id, "BTCUSDT", "1m",
                          "2026-12-07 05:00:00+00", candle_time, "400.5", "1.25", "98700000"});
    }
  return on_connections(p, [&](pqxx::connection& connection, std::size_t c) {
    for (std::size_t done = 0; done < lines[c].size(); done += batch_rows) {
      pqxx::work w(connection);
      w.exec(R"sql(
        CREATE TEMP TABLE IF NOT EXISTS batch (indicator_data jsonb, trader_id uuid,
          user_id uuid, symbol text, interval text, timestamp timestamptz, candle_time timestamptz,
          price_at_signal numeric, change_percent_at_signal numeric, volume_at_signal numeric,
          fly_app_id uuid) ON COMMIT DELETE ROWS)sql");
      {
        pqxx::stream_to copy(w, "batch");
        const std::size_t end = std::min(lines[c].size(), done + batch_rows);
        for (std::size_t i = done; i < end; ++i) {
          const fields& f = lines[c][i];
          copy << std::make_tuple(f[0].c_str(), f[1].c_str(), f[2].c_str(), f[3].c_str(),
                                  f[4].c_str(), f[5].c_str(), f[6].c_str(), f[7].c_str(),
                                  f[8].c_str(), f[9].c_str(), nullptr);
        }
        copy.complete();
      }
      w.exec(R"sql(
        INSERT INTO public.signals (trader_id, user_id, symbol, interval, timestamp, candle_time,
          price_at_signal, change_percent_at_signal, volume_at_signal, count, source, fly_app_id,
          indicator_data)
        SELECT t.id, r.user_id, r.symbol, r.interval, r.timestamp, r.candle_time,
          r.price_at_signal, r.change_percent_at_signal, r.volume_at_signal, 1, 'cloud',
          coalesce(r.fly_app_id, f.id), r.indicator_data
        FROM batch r JOIN public.traders t ON t.id = r.trader_id
        LEFT JOIN public.user_fly_apps f ON f.user_id = r.user_id)sql");
      w.commit();
    }
  });
}

double sink(bench::shipping_platform& p, std::size_t rows) {
  test::temp_dir dir;
  const auto run = bench::ship_backlog(p, dir / "outbox.db", rows, 0, 0);
  if (!run.finished) throw std::runtime_error("the sink did not ship within 600 s");
  if (run.stats.inserted != rows) throw std::runtime_error("the sink inserted fewer rows");
  return run.seconds;
}

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v[v.size() / 2];
}

}  // namespace

int main(int argc, char** argv) {
  // The sink's warnings while the server is stopped for its outbox fill are expected.
  spdlog::set_level(spdlog::level::err);
  std::size_t rows = 100'000;
  int rounds = 3;
  const char* usage =
      "usage: vyx_bench_postgres_ceiling [--rows N] [--rounds N]\n"
      "  --rows N    rows per measure, a multiple of 4000 (default 100000)\n"
      "  --rounds N  rounds of the three measures, in turn (default 3)\n";
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    if (a == "-h" || a == "--help") {
      std::printf("%s", usage);
      return 0;
    }
    if ((a != "--rows" && a != "--rounds") || i + 1 >= argc) {
      std::fprintf(stderr, "vyx_bench_postgres_ceiling: bad argument '%s'\n%s", a.c_str(), usage);
      return 2;
    }
    try {
      const long long v = std::stoll(argv[++i]);
      if (v <= 0) throw std::invalid_argument("not positive");
      if (a == "--rows")
        rows = static_cast<std::size_t>(v);
      else
        rounds = static_cast<int>(v);
    } catch (const std::exception&) {
      std::fprintf(stderr, "vyx_bench_postgres_ceiling: %s: not a positive number\n", a.c_str());
      return 2;
    }
  }
  if (rows % (connections * batch_rows) != 0) {
    std::fprintf(stderr, "vyx_bench_postgres_ceiling: --rows must be a multiple of %zu\n",
                 connections * batch_rows);
    return 2;
  }
  std::printf("command:");
  for (int i = 0; i < argc; ++i) std::printf(" %s", argv[i]);
  std::printf("\n");

  try {
    bench::shipping_platform p;
    struct measure {
      const char* name;
      std::function<double()> run;
      std::vector<double> rates;
    };
    std::vector<measure> measures = {
        {"in-server", [&] { return in_server(p, rows); }, {}},
        {"copy", [&] { return copy_client(p, rows); }, {}},
        {"sink", [&] { return sink(p, rows); }, {}},
    };
    for (int round = 0; round < rounds; ++round) {
      std::printf("round %d:", round + 1);
      // A different one first in each round.
      for (std::size_t k = 0; k < measures.size(); ++k) {
        auto& m = measures[(k + static_cast<std::size_t>(round)) % measures.size()];
        p.cluster.exec("TRUNCATE public.signals CASCADE");
        p.cluster.stop("fast");
        p.cluster.start();
        const double seconds = m.run();
        const auto stored =
            std::stoull(p.cluster.query_value("SELECT count(*) FROM public.signals"));
        if (stored != rows) throw std::runtime_error(std::string(m.name) + ": rows missing");
        m.rates.push_back(static_cast<double>(rows) / seconds);
        std::printf("  %s %.0f rows/s", m.name, m.rates.back());
        std::fflush(stdout);
      }
      std::printf("\n");
    }
    const double ceiling = median(measures[0].rates);
    std::printf("median of %d rounds, %zu rows each, %zu connections:\n", rounds, rows,
                connections);
    for (const auto& m : measures)
      std::printf("  %-9s %7.0f rows/s  (%.0f %% of in-server)\n", m.name, median(m.rates),
                  100 * median(m.rates) / ceiling);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "vyx_bench_postgres_ceiling: %s\n", e.what());
    return 1;
  }
  return 0;
}
