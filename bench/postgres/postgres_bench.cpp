// Postgres side benchmark (BENCHMARKS.md, "Postgres"): a local PostgreSQL 15
// started for the run. Prints its figures and the command.
//   1. shipping: N signals waiting in the outbox, Postgres started: rows/s
//      until the outbox is empty (full rows: 150 klines; and 0 klines);
//   2. the scheduler thread's sink cost per tick (write + fsync'd outbox
//      commit of 20 signals) with Postgres up, down, and slow (1 s per batch);
//   3. trader edit committed in Postgres -> first signal of the new code in
//      Postgres, through `vyx run` (LISTEN, local compile child), cold and cached.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <sstream>
#include <iostream>
#include <cstdlib>
#include <pqxx/pqxx>
#include <spdlog/spdlog.h>
#include <string>
#include <thread>
#include <vector>

#include "pg_cluster.hpp"
#include "platform_db.hpp"
#include "shipping_fixture.hpp"
#include "temp_dir.hpp"
#include "vyx/runtime/sinks/postgres_outbox_sink.hpp"
#include "vyx_process.hpp"

using namespace vyx::test;
using namespace vyx::runtime;
using namespace std::chrono_literals;
using steady = std::chrono::steady_clock;

namespace {

constexpr std::int64_t minute = 60'000;

double percentile(std::vector<double> v, double p) {
  std::sort(v.begin(), v.end());
  return v.empty() ? 0 : v[static_cast<std::size_t>(p * static_cast<double>(v.size() - 1))];
}

using platform = vyx::bench::shipping_platform;
std::size_t batch_rows = 0;  // --batch-rows: 0 = the sink's default

postgres_sink_options sink_options(const platform& p, const temp_dir& dir, std::size_t klines) {
  return vyx::bench::shipping_sink_options(p, dir / ("outbox-" + std::to_string(klines) + ".db"),
                                           klines, batch_rows);
}

void bench_shipping(std::size_t rows, std::size_t klines) {
  platform p;
  temp_dir dir;
  const auto run = vyx::bench::ship_backlog(p, dir / "outbox.db", rows, klines, batch_rows);
  if (!run.finished) std::cerr << "shipping did not finish\n";
  const double seconds = run.seconds, fill = run.fill_seconds;
  const auto& stats = run.stats;
  const auto bytes = std::stoll(p.cluster.query_value(
      "SELECT sum(pg_column_size(indicator_data)) FROM public.signals"));
  std::printf(
      "shipping, %zu klines per row: %zu rows in %.2f s = %.0f rows/s (%llu batches, %.1f KB "
      "indicator_data per row; outbox fill %.0f rows/s)\n",
      klines, rows, seconds, static_cast<double>(stats.shipped) / seconds,
      static_cast<unsigned long long>(stats.batches),
      static_cast<double>(bytes) / static_cast<double>(rows) / 1024.0,
      static_cast<double>(rows) / fill);
}

void bench_tick_cost() {
  platform p;
  temp_dir dir;
  auto store = vyx::bench::make_shipping_store();
  p.cluster.exec(R"sql(
    CREATE TABLE slow_flag (on_ boolean);
    CREATE FUNCTION slow_batch() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER AS $$
    BEGIN IF EXISTS (SELECT 1 FROM slow_flag) THEN PERFORM pg_sleep(1); END IF; RETURN NULL; END $$;
    CREATE TRIGGER slow AFTER INSERT ON public.signals FOR EACH STATEMENT EXECUTE FUNCTION slow_batch();
  )sql");
  auto options = sink_options(p, dir, 150);
  options.database.statement_timeout = 30s;
  postgres_outbox_sink sink(store, options);
  std::size_t n = 0;
  auto measure = [&](const char* name) {
    std::vector<double> ms;
    for (int tick = 0; tick < 200; ++tick) {
      const auto begin = steady::now();
      for (int i = 0; i < 20; ++i) sink.write(vyx::bench::make_shipping_signal(p.trader, n++));
      sink.flush();
      ms.push_back(std::chrono::duration<double, std::milli>(steady::now() - begin).count());
      std::this_thread::sleep_for(10ms);  // ticks are apart; the shipper runs in between
    }
    std::printf("sink cost per tick (20 signals), Postgres %s: p50 %.2f ms, p99 %.2f ms, max %.2f ms\n",
                name, percentile(ms, 0.5), percentile(ms, 0.99), percentile(ms, 1.0));
  };
  measure("up");
  p.cluster.exec("INSERT INTO slow_flag VALUES (true)");
  measure("slow (1 s per batch)");
  p.cluster.exec("DELETE FROM slow_flag");
  p.cluster.stop("immediate");
  measure("down");
  p.cluster.start();
  sink.wait_shipped(120s);
  std::printf("  after the outage: %llu rows shipped, backlog %llu\n",
              static_cast<unsigned long long>(sink.stats().shipped),
              static_cast<unsigned long long>(sink.stats().backlog));
}

std::string trader_filter(int version) {
  return R"({"code": "bool filter(const vyx::Market& m) {\n  if (m.klines(\"1m\").size() < 2) return false;\n  vyx::emit(\"version\", )" +
         std::to_string(version) + R"();\n  return true;\n}\n"})";
}

struct edit_result {
  double evaluated_ms = 0, in_postgres_ms = 0, ticks = 0;
  long long committed_at = 0;  // local time of day in ms, as the run's log writes it
  // From the run's log: commit -> the registry woke on the notification,
  // the trader fetch, the compile, commit -> the new set handed to the scheduler.
  double notified_ms = -1, fetch_ms = -1, compile_ms = -1, handed_over_ms = -1;
  // Inside a cold compile (the local compiler's debug line): its phases, and
  // the rest of its total (the compile child's start, the sandbox, the cache).
  double check_ms = -1, codegen_ms = -1, link_ms = -1, child_rest_ms = -1;
};

long long time_of_day_ms() {
  const auto now = std::chrono::system_clock::now();
  const std::time_t t = std::chrono::system_clock::to_time_t(now);
  std::tm local{};
  localtime_r(&t, &local);
  const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()) %
                  1000;
  return ((local.tm_hour * 60LL + local.tm_min) * 60 + local.tm_sec) * 1000 + ms.count();
}

// "[HH:MM:SS.mmm] ..." (main.cpp's log pattern) -> ms of the day, or -1.
long long log_time_ms(const std::string& line) {
  int h = 0, m = 0, sec = 0, ms = 0;
  if (std::sscanf(line.c_str(), "[%d:%d:%d.%d]", &h, &m, &sec, &ms) != 4) return -1;
  return ((h * 60LL + m) * 60 + sec) * 1000 + ms;
}

// Fills the phases of each edit from the run's log (edits are sequential:
// each one's lines come after its commit and before the next).
void read_phases(const std::string& log, std::vector<edit_result*> edits) {
  std::istringstream in(log);
  std::string line;
  std::size_t i = 0;
  while (i < edits.size() && std::getline(in, line)) {
    const long long at = log_time_ms(line);
    if (at < edits[i]->committed_at) continue;
    edit_result& e = *edits[i];
    if (e.notified_ms < 0 && line.find("reconciling (") != std::string::npos &&
        line.find("(0 notifications)") == std::string::npos)
      e.notified_ms = static_cast<double>(at - e.committed_at);
    double check = 0, codegen = 0, link = 0, total = 0;
    const auto local = line.find("local compile of ");
    if (local != std::string::npos) {
      const auto colon = line.find(": check ", local);
      if (colon != std::string::npos &&
          std::sscanf(line.c_str() + colon, ": check %lf ms, codegen %lf ms, link %lf ms, total %lf ms",
                      &check, &codegen, &link, &total) == 4) {
        e.check_ms = check;
        e.codegen_ms = codegen;
        e.link_ms = link;
        e.child_rest_ms = total - check - codegen - link;
      }
    }
    double fetch = 0, compile = 0;
    const auto changed = line.find("traders changed (fetch ");
    if (e.notified_ms >= 0 && changed != std::string::npos &&
        std::sscanf(line.c_str() + changed, "traders changed (fetch %lf ms, compile %lf ms)",
                    &fetch, &compile) == 2) {
      e.fetch_ms = fetch;
      e.compile_ms = compile;
      e.handed_over_ms = static_cast<double>(at - e.committed_at);
      ++i;
    }
  }
}

void bench_change_latency(int edits) {
  platform p;
  temp_dir dir;
  generate_market(dir / "market", 4, 2);
  const std::string trader = insert_trader(p.cluster, p.user.id, "edited", trader_filter(0));
  // 600x: a 1m tick every 100 ms of wall time.
  vyx_process run({"run", "--replay", (dir / "market").string(), "--speed", "600", "--port", "0",
                   "--address", "127.0.0.1", "--outbox", (dir / "outbox.db").string()},
                  {{"DATABASE_URL", p.cluster.url(p.user.role)},
                   {"VYX_LOG", "debug"},  // the registry's "reconciling" line
                   {"USER_ID", p.user.id},
                   {"XDG_CACHE_HOME", (dir / "cache").string()}},
                  dir / "run.out");
  // The candle close of the first signal of `version` after `after`, or 0.
  auto first_signal = [&](int version, long long after) {
    auto v = p.cluster.query_value(
        "SELECT min((extract(epoch FROM candle_time) * 1000)::bigint) FROM public.signals WHERE "
        "trader_id = " + sql_quote(trader) + " AND (indicator_data->'version'->0->>'y')::int = " +
        std::to_string(version) + " AND (extract(epoch FROM candle_time) * 1000)::bigint > " +
        std::to_string(after));
    return v.empty() ? 0LL : std::stoll(v);
  };
  // Edit committed -> the first tick that evaluated the new code, counted in
  // ticks from the last tick screened before the commit (1 = the next tick;
  // at 600x a tick is 100 ms of wall time), and the wall time until that
  // tick's signal was in Postgres (which adds the sink's batch delay).
  auto time_edit = [&](int version) {
    const long long at = static_cast<long long>(run.metric("vyx_last_candle_close_ms"));
    const auto begin = steady::now();
    const long long committed_at = time_of_day_ms();
    p.cluster.exec("UPDATE public.traders SET filter = " + sql_quote(trader_filter(version)) +
                   "::jsonb WHERE id = " + sql_quote(trader));
    long long first = 0;
    while ((first = first_signal(version, at)) == 0 && steady::now() - begin < 120s)
      std::this_thread::sleep_for(5ms);
    edit_result r;
    r.committed_at = committed_at;
    r.in_postgres_ms = std::chrono::duration<double, std::milli>(steady::now() - begin).count();
    r.ticks = static_cast<double>((first - at + minute / 2) / minute);
    r.evaluated_ms = r.ticks * 100;  // the tick's end, at most one tick after the evaluation
    return r;
  };
  for (const auto limit = steady::now() + 300s; first_signal(0, 0) == 0 && steady::now() < limit;)
    std::this_thread::sleep_for(20ms);
  std::vector<edit_result> cold, cached;
  for (int v = 1; v <= edits; ++v) cold.push_back(time_edit(v));
  for (int v = 1; v <= edits; ++v) cached.push_back(time_edit(v));  // the same code again
  std::vector<edit_result*> all;
  for (auto& r : cold) all.push_back(&r);
  for (auto& r : cached) all.push_back(&r);
  read_phases(run.child().stderr_text(), all);  // the log goes to stderr
  auto report = [&](const char* name, const std::vector<edit_result>& results) {
    std::vector<double> evaluated, in_postgres, ticks, notified, fetch, compile, handed, rest;
    std::vector<double> check, codegen, link, child_rest;
    for (const auto& r : results) {
      evaluated.push_back(r.evaluated_ms);
      in_postgres.push_back(r.in_postgres_ms);
      ticks.push_back(r.ticks);
      notified.push_back(r.notified_ms);
      fetch.push_back(r.fetch_ms);
      compile.push_back(r.compile_ms);
      handed.push_back(r.handed_over_ms);
      rest.push_back(r.evaluated_ms - r.handed_over_ms);
      check.push_back(r.check_ms);
      codegen.push_back(r.codegen_ms);
      link.push_back(r.link_ms);
      child_rest.push_back(r.child_rest_ms);
    }
    std::printf("  %s: first evaluation at tick p50 %.0f (%.0f ms), max %.0f (%.0f ms) after the "
                "change; its signal in Postgres p50 %.0f ms (%zu edits)\n",
                name, percentile(ticks, 0.5), percentile(evaluated, 0.5), percentile(ticks, 1.0),
                percentile(evaluated, 1.0), percentile(in_postgres, 0.5),
                results.size());
    std::printf("    phases p50 (ms; -1 = not in the log): notification read %.0f, trader fetch "
                "%.0f, compile %.0f, commit -> handed to the scheduler %.0f, then load + the "
                "next tick's end %.0f (tick granularity 100)\n",
                percentile(notified, 0.5), percentile(fetch, 0.5), percentile(compile, 0.5),
                percentile(handed, 0.5), percentile(rest, 0.5));
    if (percentile(check, 0.5) >= 0)
      std::printf("    inside the compile p50 (ms): check (parse with the precompiled SDK header) "
                  "%.0f, codegen %.0f, link %.0f, the rest (compile child's start: exec, the "
                  "clang libraries, the sandbox; the cache) %.0f\n",
                  percentile(check, 0.5), percentile(codegen, 0.5), percentile(link, 0.5),
                  percentile(child_rest, 0.5));
  };
  std::printf("trader edit committed -> first evaluation of the new code, `vyx run` with LISTEN "
              "and the local compile child (tick 100 ms, sink batch delay 200 ms):\n");
  report("cold compile", cold);
  report("cached build", cached);
  run.child().signal(SIGTERM);
  run.child().wait_exit();
}

}  // namespace

int main(int argc, char** argv) {
  // VYX_LOG=debug: the sink's line per batch (insert and outbox delete times).
  if (const char* level = std::getenv("VYX_LOG"); level && std::string(level) == "debug")
    spdlog::set_level(spdlog::level::debug);
  std::size_t rows = 100'000;
  int edits = 10;
  bool only_change = false, only_shipping = false;
  std::vector<std::size_t> kline_counts = {150, 0};
  const char* usage =
      "usage: vyx_bench_postgres [--rows N] [--klines N] [--edits N] [--batch-rows N] "
      "[--only-shipping | --only-change]\n"
      "  --rows N        signals per shipping run (default 100000)\n"
      "  --klines N      one shipping run, of rows with N klines (default: 150, then 0)\n"
      "  --edits N       trader edits timed through vyx run (default 10)\n"
      "  --batch-rows N  the sink's rows per batch (default: the sink's, 2000)\n";
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    auto value = [&]() -> std::string {
      if (i + 1 >= argc) {
        std::fprintf(stderr, "vyx_bench_postgres: %s needs a value\n%s", a.c_str(), usage);
        std::exit(2);
      }
      return argv[++i];
    };
    try {
      if (a == "--rows")
        rows = std::stoul(value());
      else if (a == "--klines")
        kline_counts = {std::stoul(value())};
      else if (a == "--edits")
        edits = std::stoi(value());
      else if (a == "--batch-rows")
        batch_rows = std::stoul(value());
      else if (a == "--only-change")
        only_change = true;
      else if (a == "--only-shipping")
        only_shipping = true;
      else if (a == "-h" || a == "--help") {
        std::printf("%s", usage);
        return 0;
      } else {
        std::fprintf(stderr, "vyx_bench_postgres: unknown argument '%s'\n%s", a.c_str(), usage);
        return 2;
      }
    } catch (const std::exception&) {
      std::fprintf(stderr, "vyx_bench_postgres: %s: not a number\n", a.c_str());
      return 2;
    }
  }
  std::printf("command:");
  for (int i = 0; i < argc; ++i) std::printf(" %s", argv[i]);
  std::printf("\n");
  if (!only_change) {
    for (const std::size_t klines : kline_counts) bench_shipping(rows, klines);
  }
  if (!only_change && !only_shipping) bench_tick_cost();
  if (!only_shipping) bench_change_latency(edits);
  return 0;
}
