// The Postgres outbox sink on a real PostgreSQL: the row the web app reads,
// idempotent re-sends (a plain insert, sent again skipping duplicates when it
// meets one), Postgres down (signals wait on disk and arrive once), a
// statement timeout, PgBouncer in transaction mode, and a restart with a
// non-empty outbox.
#include <doctest/doctest.h>

#include <chrono>

#include "../support/eventually.hpp"
#include "pg_cluster.hpp"
#include "platform_db.hpp"
#include "temp_dir.hpp"
#include "vyx/runtime/sinks/postgres_outbox_sink.hpp"

using namespace vyx::test;
using namespace vyx::runtime;
using namespace std::chrono_literals;

namespace {

constexpr std::int64_t minute = 60'000;
constexpr std::int64_t start_ms = 1'709'251'200'000;  // 2024-03-01T00:00Z

// A store with two symbols and 200 one-minute candles each, and a ticker.
candle_store make_store() {
  candle_store_layout layout;
  layout.symbols = {"BTCUSDT", "ETHUSDT"};
  layout.timeframes = 1u << VYX_TF_1M;
  layout.capacity = 500;
  auto store = candle_store::create(layout);
  for (std::size_t s = 0; s < 2; ++s) {
    for (int i = 0; i < 200; ++i) {
      candle c;
      c.open_time = start_ms + i * minute;
      c.close_time = c.open_time + minute - 1;
      c.open = 100 + i;
      c.high = 102 + i;
      c.low = 99 + i;
      c.close = 101 + i;
      c.volume = 10 + static_cast<double>(s);
      c.quote_volume = c.volume * c.close;
      store.append(s, VYX_TF_1M, c);
    }
    vyx_ticker t{sizeof(vyx_ticker), 0, 300.0, 2.5, 123456.0};
    store.set_ticker(s, t);
  }
  return store;
}

trader_signal make_signal(const std::string& trader, const std::string& symbol, int candle) {
  trader_signal s;
  s.trader = trader;
  s.symbol = symbol;
  s.timeframe = VYX_TF_1M;
  s.close_time = start_ms + candle * minute + minute - 1;
  s.price = 101 + candle;
  s.values = {{"rsi", 28.5}};
  return s;
}

struct platform {
  pg_cluster cluster;
  platform_user user;
  std::string trader;
  platform() {
    apply_platform_schema(cluster);
    apply_migrations(cluster);
    user = create_user(cluster, "sink");
    trader = insert_trader(cluster, user.id, "sink trader", R"({"code":"x"})");
  }
  long long count() const { return std::stoll(cluster.query_value("SELECT count(*) FROM public.signals")); }
  // Signals of distinct candles: equal to count() when none is there twice.
  long long distinct_candles() const {
    return std::stoll(cluster.query_value("SELECT count(DISTINCT candle_time) FROM public.signals"));
  }
};

// Rows an earlier run left in the outbox (or put back, as a kill -9 between
// the commit and their removal would).
void put_in_outbox(const std::filesystem::path& file, const std::vector<std::string>& rows) {
  outbox box(file);
  std::string error;
  REQUIRE_MESSAGE(box.append(rows, error), error);
}

postgres_sink_options options_for(const std::string& url, const platform& p, const temp_dir& dir) {
  postgres_sink_options o;
  o.database.url = url;
  o.database.statement_timeout = 2000ms;
  o.database.backoff_min = 50ms;
  o.database.backoff_max = 400ms;
  o.database.connect_timeout = std::chrono::seconds(2);
  o.outbox_file = dir / "outbox.db";
  o.rows.user_id = p.user.id;
  o.batch_delay = 50ms;
  o.drain_on_close = 100ms;
  return o;
}

// How long rows may take to arrive (Postgres has no push for "rows arrived": polled).
constexpr std::chrono::seconds arrival_limit{30};

}  // namespace

TEST_CASE("signals arrive with the columns the web app reads, once") {
  platform p;
  temp_dir dir;
  auto store = make_store();
  {
    postgres_outbox_sink sink(store, options_for(p.cluster.url(p.user.role), p, dir));
    sink.write(make_signal(p.trader, "BTCUSDT", 199));
    sink.write(make_signal(p.trader, "ETHUSDT", 199));
    sink.write(make_signal("not-a-uuid", "ETHUSDT", 199));  // a folder trader: skipped
    sink.flush();
    REQUIRE(sink.wait_shipped(30s));
    sink.write(make_signal(p.trader, "BTCUSDT", 199));  // the same candle again: no new row
    sink.flush();
    REQUIRE(sink.wait_shipped(30s));
    auto stats = sink.stats();
    CHECK(stats.outboxed == 4);
    CHECK(stats.shipped == 4);
    CHECK(stats.inserted == 2);
    CHECK(stats.dead_letters == 0);
  }
  CHECK(p.count() == 2);
  const std::string where = " FROM public.signals WHERE symbol = 'BTCUSDT'";
  CHECK(p.cluster.query_value("SELECT source" + where) == "cloud");
  CHECK(p.cluster.query_value("SELECT user_id" + where) == p.user.id);
  CHECK(p.cluster.query_value("SELECT fly_app_id" + where) == p.user.fly_app_id);
  CHECK(p.cluster.query_value("SELECT interval" + where) == "1m");
  CHECK(p.cluster.query_value("SELECT count" + where) == "1");
  CHECK(p.cluster.query_value("SELECT price_at_signal" + where) == "300");
  CHECK(p.cluster.query_value("SELECT change_percent_at_signal" + where) == "2.5");
  CHECK(p.cluster.query_value("SELECT volume_at_signal" + where) == "123456");
  CHECK(p.cluster.query_value("SELECT (extract(epoch from candle_time) * 1000)::bigint" + where) ==
        std::to_string(start_ms + 200 * minute - 1));
  CHECK(p.cluster.query_value("SELECT jsonb_array_length(indicator_data->'klines')" + where) ==
        "150");
  CHECK(p.cluster.query_value("SELECT indicator_data->'klines'->149" + where) ==
        R"({"c": 300, "h": 301, "l": 298, "o": 299, "v": 10, "x": )" +
            std::to_string(start_ms + 200 * minute - 1) + "}");
  CHECK(p.cluster.query_value("SELECT indicator_data->'rsi'->0->>'y'" + where) == "28.5");
}

TEST_CASE("Postgres down: screening does not wait, signals wait on disk and arrive once") {
  platform p;
  temp_dir dir;
  auto store = make_store();
  p.cluster.stop("immediate");
  {
    postgres_outbox_sink sink(store, options_for(p.cluster.url(), p, dir));
    for (int candle = 0; candle < 200; ++candle) {
      const auto begin = std::chrono::steady_clock::now();
      sink.write(make_signal(p.trader, "BTCUSDT", candle));
      sink.flush();
      // An fsync'd SQLite commit, never a network wait: well under the 2 s connect timeout.
      CHECK(std::chrono::steady_clock::now() - begin < 1s);
    }
    CHECK(sink.stats().backlog == 200);
    CHECK_FALSE(sink.wait_shipped(300ms));
    p.cluster.start();
    REQUIRE(sink.wait_shipped(30s));
    CHECK(sink.stats().failures > 0);
  }
  CHECK(p.count() == 200);
  CHECK(p.distinct_candles() == 200);
}

TEST_CASE("signals left in the outbox by one process are shipped by the next") {
  platform p;
  temp_dir dir;
  auto store = make_store();
  p.cluster.stop("immediate");
  {
    postgres_outbox_sink sink(store, options_for(p.cluster.url(), p, dir));
    for (int candle = 0; candle < 50; ++candle) sink.write(make_signal(p.trader, "ETHUSDT", candle));
    sink.flush();
  }  // gives up draining after drain_on_close: the rows stay on disk
  p.cluster.start();
  postgres_outbox_sink next(store, options_for(p.cluster.url(), p, dir));
  CHECK(next.stats().backlog == 50);
  REQUIRE(next.wait_shipped(30s));
  CHECK(p.count() == 50);
}

TEST_CASE("a statement timeout fails the batch, which is retried until it passes") {
  platform p;
  temp_dir dir;
  auto store = make_store();
  // A slow insert while the flag row exists (a lock wait or a busy server).
  p.cluster.exec(R"sql(
    CREATE TABLE slow_flag (on_ boolean);
    INSERT INTO slow_flag VALUES (true);
    CREATE FUNCTION slow_insert() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      IF EXISTS (SELECT 1 FROM slow_flag) THEN PERFORM pg_sleep(1); END IF;
      RETURN NEW;
    END $$;
    CREATE TRIGGER slow BEFORE INSERT ON public.signals FOR EACH ROW EXECUTE FUNCTION slow_insert();
  )sql");
  auto options = options_for(p.cluster.url(), p, dir);
  options.database.statement_timeout = 200ms;
  postgres_outbox_sink sink(store, options);
  for (int candle = 0; candle < 20; ++candle) sink.write(make_signal(p.trader, "BTCUSDT", candle));
  sink.flush();
  REQUIRE(eventually([&] { return sink.stats().failures >= 2; }, arrival_limit));
  CHECK_MESSAGE(sink.stats().last_error.find("statement timeout") != std::string::npos,
                sink.stats().last_error);
  CHECK(p.count() == 0);
  p.cluster.exec("DELETE FROM slow_flag");
  REQUIRE(sink.wait_shipped(30s));
  CHECK(p.count() == 20);
}

TEST_CASE("through PgBouncer in transaction mode (the Supabase pooler's mode)") {
  platform p;
  pgbouncer bouncer(p.cluster);
  temp_dir dir;
  auto store = make_store();
  {
    postgres_outbox_sink sink(store, options_for(bouncer.url(), p, dir));
    for (int round = 0; round < 5; ++round) {
      for (int candle = round * 20; candle < round * 20 + 20; ++candle)
        sink.write(make_signal(p.trader, "BTCUSDT", candle));
      sink.flush();
      REQUIRE(sink.wait_shipped(30s));
    }
    std::vector<trader_status> statuses(2);
    statuses[0].id = p.trader;
    statuses[0].loaded = true;
    statuses[0].evaluations = 42;
    statuses[1].id = "a-local-file";  // not the platform's: no status row, and no failure
    statuses[1].loaded = true;
    sink.write_statuses(statuses);
    REQUIRE(eventually([&] {
      return p.cluster.query_value("SELECT evaluations FROM public.trader_runtime_status") == "42";
    }, arrival_limit));
    CHECK(sink.stats().failures == 0);
  }
  CHECK(p.count() == 100);
  CHECK(p.cluster.query_value("SELECT state FROM public.trader_runtime_status") == "running");
  CHECK(p.cluster.query_value("SELECT count(*) FROM public.trader_runtime_status") == "1");
}

TEST_CASE("the outbox removes a shipped run of rows by id range, not rows appended later") {
  temp_dir dir;
  outbox box(dir / "outbox.db");
  std::string error;
  REQUIRE(box.append({"a", "b", "c", "d", "e"}, error));
  const auto first = box.peek(2, 1 << 20);
  REQUIRE(first.size() == 2);
  const auto second = box.peek(2, 1 << 20, first.back().id);
  REQUIRE(second.size() == 2);
  CHECK(second[0].row == "c");
  CHECK(second[1].row == "d");
  REQUIRE(box.append({"f"}, error));  // appended while the two batches are in flight
  REQUIRE(box.remove_range(second.front().id, second.back().id, error));
  REQUIRE(box.remove_range(first.front().id, first.back().id, error));
  const auto left = box.peek(10, 1 << 20);
  REQUIRE(left.size() == 2);
  CHECK(left[0].row == "e");
  CHECK(left[1].row == "f");
  CHECK(box.backlog() == 2);
}

TEST_CASE("a backlog of many batches ships on two connections, each row once, bad rows aside") {
  platform p;
  temp_dir dir;
  auto store = make_store();
  auto options = options_for(p.cluster.url(), p, dir);
  options.batch_rows = 25;
  {
    // Rows from an earlier run, one of them unreadable for Postgres (not
    // JSON): it must be set aside without holding up the batches around it.
    signal_row_context context;
    context.user_id = p.user.id;
    context.klines = 0;
    signal_row_renderer renderer(store, context);
    std::vector<std::string> rows;
    for (int candle = 0; candle < 180; ++candle) {
      rows.push_back(renderer.render(make_signal(p.trader, "BTCUSDT", candle)));
      if (candle == 90) rows.push_back("{not json");
    }
    put_in_outbox(options.outbox_file, rows);
  }
  postgres_outbox_sink sink(store, options);
  REQUIRE(sink.wait_shipped(30s));
  const auto stats = sink.stats();
  CHECK(stats.shipped == 180);
  CHECK(stats.inserted == 180);
  CHECK(stats.dead_letters == 1);
  CHECK(stats.batches >= 180 / 25);
  CHECK(p.count() == 180);
  CHECK(p.distinct_candles() == 180);
  // Both connections took batches (each backend's application_name is vyx).
  CHECK(p.cluster.query_value(
            "SELECT count(*) FROM pg_stat_activity WHERE application_name = 'vyx'") == "2");
}

TEST_CASE("rows Postgres already has are skipped by a second send, then plain inserts resume") {
  platform p;
  temp_dir dir;
  auto store = make_store();
  postgres_outbox_sink sink(store, options_for(p.cluster.url(p.user.role), p, dir));
  auto ship = [&](int first, int last) {
    for (int candle = first; candle <= last; ++candle)
      sink.write(make_signal(p.trader, "BTCUSDT", candle));
    sink.flush();
    REQUIRE(sink.wait_shipped(arrival_limit));
  };
  ship(0, 9);  // all new: a plain insert
  CHECK(sink.stats().duplicate_resends == 0);
  ship(5, 14);  // half of them shipped before: the plain insert fails, the resend skips them
  CHECK(sink.stats().duplicate_resends == 1);
  CHECK(sink.stats().inserted == 15);
  ship(0, 4);  // duplicates still expected: skipped at the first send
  CHECK(sink.stats().duplicate_resends == 1);
  ship(15, 19);  // every row new: the next batch is plain again
  CHECK(sink.stats().duplicate_resends == 1);
  ship(19, 19);  // so a duplicate costs a resend again
  const auto stats = sink.stats();
  CHECK(stats.duplicate_resends == 2);
  CHECK(stats.shipped == 31);
  CHECK(stats.inserted == 20);
  CHECK(stats.dead_letters == 0);
  CHECK(stats.failures == 0);
  CHECK(p.count() == 20);
  CHECK(p.distinct_candles() == 20);
}

TEST_CASE("a start with a backlog skips rows an earlier run committed without a resend") {
  platform p;
  temp_dir dir;
  auto store = make_store();
  auto options = options_for(p.cluster.url(p.user.role), p, dir);
  {
    postgres_outbox_sink sink(store, options);
    for (int candle = 0; candle < 20; ++candle)
      sink.write(make_signal(p.trader, "ETHUSDT", candle));
    sink.flush();
    REQUIRE(sink.wait_shipped(arrival_limit));
  }
  {
    // As after a kill -9 between the commit and the removal: the rows are back in the outbox.
    signal_row_context context;
    context.user_id = p.user.id;
    signal_row_renderer renderer(store, context);
    std::vector<std::string> rows;
    for (int candle = 10; candle < 30; ++candle)
      rows.push_back(renderer.render(make_signal(p.trader, "ETHUSDT", candle)));
    put_in_outbox(options.outbox_file, rows);
  }
  postgres_outbox_sink next(store, options);
  REQUIRE(next.wait_shipped(arrival_limit));
  const auto stats = next.stats();
  CHECK(stats.shipped == 20);
  CHECK(stats.inserted == 10);
  CHECK(stats.duplicate_resends == 0);
  CHECK(p.count() == 30);
}

TEST_CASE("numbers are stored with every digit the row has, as the platform's JSON inserts were") {
  platform p;
  temp_dir dir;
  auto store = make_store();
  // 17 significant digits: a cast through float8 would keep 15.
  store.set_ticker(0, vyx_ticker{sizeof(vyx_ticker), 0, 0.12345678901234568, -3.0000000000000004,
                                 1234567890.1234567});
  postgres_outbox_sink sink(store, options_for(p.cluster.url(p.user.role), p, dir));
  sink.write(make_signal(p.trader, "BTCUSDT", 199));
  sink.flush();
  REQUIRE(sink.wait_shipped(arrival_limit));
  const std::string from = " FROM public.signals";
  CHECK(p.cluster.query_value("SELECT price_at_signal" + from) == "0.12345678901234568");
  CHECK(p.cluster.query_value("SELECT change_percent_at_signal" + from) == "-3.0000000000000004");
  CHECK(p.cluster.query_value("SELECT volume_at_signal" + from) == "1234567890.1234567");
}
