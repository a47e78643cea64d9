// The analysis queue in Postgres mode against a real PostgreSQL (the
// platform fixture and our migrations) and the mock provider: the registry
// reads auto_analyze_signals and the owner's tier, the queue stays in
// SQLite, verdicts land once in Postgres signal_analyses as the machine role.
#include <doctest/doctest.h>

#include <pqxx/pqxx>
#include <sqlite3.h>

#include <chrono>
#include <thread>

#include "../support/eventually.hpp"
#include "mock_provider.hpp"
#include "pg_cluster.hpp"
#include "platform_db.hpp"
#include "temp_dir.hpp"
#include "vyx/runtime/analysis/analysis_queue.hpp"
#include "vyx/runtime/analysis/analysis_sink.hpp"
#include "vyx/runtime/analysis/postgres_analysis_writer.hpp"
#include "vyx/runtime/registry/trader_registry.hpp"

using namespace vyx::runtime;
using namespace vyx::test;
using namespace std::chrono_literals;

namespace {

constexpr std::int64_t five_minutes = 300'000;
constexpr std::int64_t first_close = 1'700'000'100'000 - 1;

// Every trader "builds"; the analysis tests never run plugins.
class stand_in_compiler final : public trader_compiler {
 protected:
  trader_build build_it_(const trader_record& trader) override {
    trader_build build;
    build.ok = true;
    build.plugin = "/plugins/" + trader.id + ".so";
    return build;
  }
};

struct market {
  candle_store store = candle_store::create({{"BTCUSDT"}, 1u << VYX_TF_5M, 100});
  market() {
    for (int i = 0; i < 20; ++i) {
      candle c;
      c.close_time = first_close + i * five_minutes;
      c.open_time = c.close_time + 1 - five_minutes;
      c.open = c.low = 100 + i;
      c.close = c.high = 101 + i;
      c.volume = 10;
      store.append(0, VYX_TF_5M, c);
    }
  }
};

trader_signal make_signal(const std::string& trader, int candle) {
  trader_signal s;
  s.trader = trader;
  s.symbol = "BTCUSDT";
  s.timeframe = VYX_TF_5M;
  s.close_time = first_close + candle * five_minutes;
  s.price = 101 + candle;
  return s;
}

// The signal row as the outbox sink writes it (candle_time from the close time).
void insert_signal(const pg_cluster& cluster, const std::string& trader, const std::string& user, int candle) {
  cluster.exec("INSERT INTO public.signals (trader_id, user_id, symbol, interval, source, candle_time) VALUES (" +
               sql_quote(trader) + ", " + sql_quote(user) + ", 'BTCUSDT', '5m', 'cloud', 'epoch'::timestamptz + " +
               std::to_string(first_close + candle * five_minutes) + " * interval '1 millisecond')");
}

struct platform {
  pg_cluster cluster;
  platform_user elite, pro;
  std::string analysed, not_opted_in, pro_trader;
  platform() {
    apply_platform_schema(cluster);
    apply_migrations(cluster);
    elite = create_user(cluster, "elite1");
    pro = create_user(cluster, "pro1");
    // Tiers compare case-insensitively: "ELITE" is Elite.
    cluster.exec("UPDATE public.user_profiles SET subscription_tier = 'ELITE' WHERE id = " + sql_quote(elite.id));
    cluster.exec("UPDATE public.user_profiles SET subscription_tier = 'pro' WHERE id = " + sql_quote(pro.id));
    analysed = insert_trader(cluster, elite.id, "analysed", R"({"code":"a"})");
    not_opted_in = insert_trader(cluster, elite.id, "not opted in", R"({"code":"b"})");
    pro_trader = insert_trader(cluster, pro.id, "pro", R"({"code":"c"})");
    cluster.exec("UPDATE public.traders SET auto_analyze_signals = true, strategy = "
                 "'{\"instructions\":\"Buy breakouts.\"}' WHERE id IN (" +
                 sql_quote(analysed) + ", " + sql_quote(pro_trader) + ")");
  }
  std::string count(const std::string& sql) const { return cluster.query_value(sql); }
};

// A registry for `user`, logged in as its machine role, with the analysis settings.
std::unique_ptr<trader_registry> make_registry(const platform& p, const platform_user& user,
                                               stand_in_compiler& compiler) {
  registry_options options;
  options.database.url = p.cluster.url(user.role);
  options.user_id = user.id;
  options.read_analysis_settings = true;
  auto registry = std::make_unique<trader_registry>(options, compiler, [](std::vector<trader_spec>) {});
  std::string error;
  const auto specs = registry->load(error);
  REQUIRE(error.empty());
  REQUIRE(!specs.empty());
  return registry;
}

// The lookup `vyx run` builds from the registry (postgres_mode::analysis_subjects).
analysis_subject_lookup subjects_of(const trader_registry& registry, const std::string& user) {
  return [&registry, user](const std::string& trader) -> std::optional<analysis_subject> {
    auto settings = registry.analysis_settings(trader);
    if (!settings) return std::nullopt;
    return analysis_subject{user, registry.owner_tier(), settings->auto_analyze, settings->instructions};
  };
}

analysis_queue_options queue_options(const std::filesystem::path& db, const std::string& url,
                                      const platform& p, const platform_user& user) {
  analysis_queue_options o;
  o.database = db;
  o.provider.url = url;
  o.provider.api_key = "test-key";
  o.provider.model = "test/model";
  o.provider.timeout = 2000ms;
  o.requests_per_minute = 60'000;
  o.backoff_base = 20ms;
  o.backoff_cap = 200ms;
  pg_options database;
  database.url = p.cluster.url(user.role);
  o.writer = std::make_shared<postgres_analysis_writer>(database);
  return o;
}

// Every job back to pending, as if the process died before marking them done.
void reset_to_pending(const std::filesystem::path& db) {
  sqlite3* handle = nullptr;
  REQUIRE(sqlite3_open(db.c_str(), &handle) == SQLITE_OK);
  char* message = nullptr;
  const int rc = sqlite3_exec(handle, "UPDATE analysis_queue SET state = 'pending', next_attempt_at = 0",
                              nullptr, nullptr, &message);
  sqlite3_free(message);
  sqlite3_close(handle);
  REQUIRE(rc == SQLITE_OK);
}

// Both analysis test files poll with the same deadline.
template <class Condition>
bool eventually(Condition done) {
  return vyx::test::eventually(done, 20s);
}

}  // namespace

TEST_CASE("analysis/postgres: eligible signals analysed and stored once, ineligible ones not, a late signal waited for, "
          "and machine roles write their own user's analyses only") {
  platform p;
  stand_in_compiler compiler;
  auto elite_registry = make_registry(p, p.elite, compiler);
  auto pro_registry = make_registry(p, p.pro, compiler);
  CHECK(elite_registry->owner_tier() == "ELITE");
  CHECK(pro_registry->owner_tier() == "pro");
  REQUIRE(elite_registry->analysis_settings(p.analysed));
  CHECK(elite_registry->analysis_settings(p.analysed)->auto_analyze);
  CHECK(elite_registry->analysis_settings(p.analysed)->instructions == "Buy breakouts.");
  CHECK_FALSE(elite_registry->analysis_settings(p.not_opted_in)->auto_analyze);
  CHECK_FALSE(elite_registry->analysis_settings(p.pro_trader));  // another user's trader

  temp_dir dir;
  market m;
  mock_provider provider([](std::size_t, const mock_request&) {
    return answer(verdict_text("enter_trade", 81, "breakout with volume"));
  });
  for (int candle : {3, 4}) insert_signal(p.cluster, p.analysed, p.elite.id, candle);
  insert_signal(p.cluster, p.not_opted_in, p.elite.id, 3);
  insert_signal(p.cluster, p.pro_trader, p.pro.id, 3);
  // The platform's trigger no longer asks llm-proxy for rows a vyx machine wrote.
  CHECK(p.count("SELECT count(*) FROM public.analysis_requests") == "0");

  {
    analysis_queue elite_queue(queue_options(dir / "elite.db", provider.url(), p, p.elite));
    analysis_sink elite_sink(m.store, subjects_of(*elite_registry, p.elite.id), &elite_queue,
                             dir / "elite.db", 100);
    analysis_queue pro_queue(queue_options(dir / "pro.db", provider.url(), p, p.pro));
    analysis_sink pro_sink(m.store, subjects_of(*pro_registry, p.pro.id), &pro_queue, dir / "pro.db", 100);
    for (int candle : {3, 4}) elite_sink.write(make_signal(p.analysed, candle));
    elite_sink.write(make_signal(p.analysed, 3));  // the same signal again (a replayed tick)
    elite_sink.write(make_signal(p.not_opted_in, 3));
    elite_sink.flush();
    pro_sink.write(make_signal(p.pro_trader, 3));
    pro_sink.flush();
    CHECK(elite_sink.stats().ineligible == 1);
    CHECK(pro_sink.stats().ineligible == 1);
    CHECK(pro_sink.stats().enqueued == 0);
    REQUIRE(eventually([&] { return elite_queue.stats().stored == 2; }));
    CHECK(elite_queue.stats().requests == 2);
  }
  CHECK(provider.requests().size() == 2);
  CHECK(p.count("SELECT count(*) FROM public.signal_analyses") == "2");
  CHECK(p.count("SELECT count(DISTINCT signal_id) FROM public.signal_analyses a JOIN public.signals s "
                "ON s.id = a.signal_id WHERE s.trader_id = " + sql_quote(p.analysed) +
                " AND a.user_id = " + sql_quote(p.elite.id) +
                " AND a.decision = 'enter_trade' AND a.confidence = 81 AND a.model = 'test/model'") == "2");

  // Rows the platform's own writers make (no candle_time) still ask llm-proxy.
  p.cluster.exec("INSERT INTO public.signals (trader_id, user_id, symbol, interval) VALUES (" +
                 sql_quote(p.analysed) + ", " + sql_quote(p.elite.id) + ", 'ETHUSDT', '1h')");
  CHECK(p.count("SELECT count(*) FROM public.analysis_requests") == "1");
  {
    // A verdict for a signal not in Postgres yet waits for it without asking again.
    mock_provider later([](std::size_t, const mock_request&) {
      return answer(verdict_text("bad_setup", 20, "weak volume"));
    });
    auto options = queue_options(dir / "later.db", later.url(), p, p.elite);
    options.max_attempts = 1000;  // however slow this machine is, the job is still pending when the signal lands
    analysis_queue queue(options);
    analysis_sink sink(m.store, subjects_of(*elite_registry, p.elite.id), &queue, dir / "later.db", 100);
    sink.write(make_signal(p.analysed, 5));
    sink.flush();
    REQUIRE(eventually([&] { return queue.stats().retries >= 1; }));
    CHECK(queue.stats().stored == 0);
    insert_signal(p.cluster, p.analysed, p.elite.id, 5);  // the outbox ships it
    REQUIRE(eventually([&] { return queue.stats().stored == 1; }));
    CHECK(p.count("SELECT count(*) FROM public.signal_analyses WHERE decision = 'bad_setup' "
                  "AND confidence = 20 AND reasoning = 'weak volume'") == "1");
    // The verdict waited in SQLite: the provider was asked once, whatever the retries.
    CHECK(later.requests().size() == 1);
  }
  // A machine role stores analyses of its own user's signals only.
  insert_signal(p.cluster, p.analysed, p.elite.id, 6);
  const std::string signal = p.count("SELECT id FROM public.signals WHERE candle_time = 'epoch'::timestamptz + " +
                                     std::to_string(first_close + 6 * five_minutes) + " * interval '1 millisecond'");
  auto insert_as = [&](const platform_user& role, const std::string& user) -> std::string {
    try {
      pqxx::connection connection(p.cluster.url(role.role));
      pqxx::work work(connection);
      work.exec("INSERT INTO public.signal_analyses (signal_id, user_id, decision, confidence) VALUES (" +
                sql_quote(signal) + ", " + sql_quote(user) + ", 'wait', 10)");
      work.commit();
      return "";
    } catch (const std::exception& e) {
      return e.what();
    }
  };
  CHECK(insert_as(p.pro, p.pro.id).find("row-level security") != std::string::npos);
  CHECK(insert_as(p.pro, p.elite.id).find("row-level security") != std::string::npos);
  CHECK(insert_as(p.elite, p.elite.id).empty());
  CHECK(insert_as(p.elite, p.elite.id).find("signal_analyses_signal_key") != std::string::npos);
  // vyx.user_tier gives a machine its own user's tier only.
  pqxx::connection connection(p.cluster.url(p.pro.role));
  pqxx::work work(connection);
  CHECK(work.exec("SELECT vyx.user_tier(" + sql_quote(p.pro.id) + ")")[0][0].c_str() == std::string("pro"));
  CHECK(work.exec("SELECT vyx.user_tier(" + sql_quote(p.elite.id) + ")")[0][0].is_null());
}

TEST_CASE("analysis/postgres: restart mid-queue and a lost completion store no duplicate") {
  platform p;
  stand_in_compiler compiler;
  auto registry = make_registry(p, p.elite, compiler);
  temp_dir dir;
  const auto db = dir / "vyx.db";
  market m;
  for (int candle : {1, 2, 3}) insert_signal(p.cluster, p.analysed, p.elite.id, candle);
  {
    // The provider never answers: every job is in flight when the process stops.
    mock_provider silent([](std::size_t, const mock_request&) { return hang(); });
    auto options = queue_options(db, silent.url(), p, p.elite);
    options.concurrency = 3;
    analysis_queue queue(options);
    analysis_sink sink(m.store, subjects_of(*registry, p.elite.id), &queue, db, 100);
    for (int candle : {1, 2, 3}) sink.write(make_signal(p.analysed, candle));
    sink.flush();
    REQUIRE(silent.wait_requests(3, 10s));
  }
  CHECK(p.count("SELECT count(*) FROM public.signal_analyses") == "0");
  mock_provider provider([](std::size_t, const mock_request&) {
    return answer(verdict_text("wait", 40, "no follow-through yet"));
  });
  {
    analysis_queue queue(queue_options(db, provider.url(), p, p.elite));
    REQUIRE(eventually([&] { return queue.stats().stored == 3; }));
  }
  CHECK(p.count("SELECT count(*) FROM public.signal_analyses") == "3");
  // A crash between the Postgres insert and marking the job done: the job runs
  // again, and the idempotent insert leaves one analysis per signal.
  reset_to_pending(db);
  {
    analysis_queue queue(queue_options(db, provider.url(), p, p.elite));
    REQUIRE(eventually([&] { return queue.stats().stored == 3; }));
  }
  CHECK(provider.requests().size() == 6);
  CHECK(p.count("SELECT count(*) FROM public.signal_analyses") == "3");
}
