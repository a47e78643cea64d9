// deploy/supabase/migrations on the platform fixture: they apply twice, keep
// what the web app relies on, and a machine role reaches only its user's rows.
#include <doctest/doctest.h>

#include <pqxx/pqxx>

#include "pg_cluster.hpp"
#include "platform_db.hpp"

using namespace vyx::test;

namespace {

// Runs one statement as `role` (logged in as it); returns the error text, "" on success.
std::string try_as(const pg_cluster& cluster, const std::string& role, const std::string& sql,
                   std::size_t* rows = nullptr) {
  try {
    pqxx::connection connection(cluster.url(role));
    pqxx::work work(connection);
    pqxx::result r = work.exec(sql);
    work.commit();
    if (rows) *rows = r.affected_rows() ? r.affected_rows() : r.size();
    return "";
  } catch (const std::exception& e) {
    return e.what();
  }
}

std::string signal_insert(const std::string& trader, const std::string& user) {
  return "INSERT INTO public.signals (trader_id, user_id, symbol, interval, source, candle_time) "
         "VALUES (" +
         sql_quote(trader) + ", " + sql_quote(user) + ", 'BTCUSDT', '5m', 'cloud', now())";
}

}  // namespace

TEST_CASE("migrations apply on the platform fixture, twice") {
  pg_cluster cluster;
  apply_platform_schema(cluster);
  REQUIRE(migration_files().size() >= 4);
  apply_migrations(cluster);
  apply_migrations(cluster);  // idempotent
  CHECK(cluster.query_value("SELECT count(*) FROM information_schema.columns WHERE table_name = "
                            "'signals' AND column_name = 'candle_time'") == "1");
  CHECK(cluster.query_value("SELECT indisunique FROM pg_index i JOIN pg_class c ON c.oid = "
                            "i.indexrelid WHERE c.relname = "
                            "'signals_trader_symbol_interval_candle_key'") == "t");
  CHECK(cluster.query_value("SELECT count(*) FROM pg_trigger WHERE tgname = "
                            "'vyx_traders_notify'") == "1");
  CHECK(cluster.query_value("SELECT relrowsecurity FROM pg_class WHERE relname = "
                            "'trader_runtime_status'") == "t");
  // What the web app relies on is still there: its columns, its Realtime publication.
  CHECK(cluster.query_value("SELECT count(*) FROM pg_publication_tables WHERE pubname = "
                            "'supabase_realtime' AND tablename = 'signals'") == "1");

  // The idempotency key: the same (trader, symbol, interval, candle) lands once.
  auto user = create_user(cluster, "a1");
  auto trader = insert_trader(cluster, user.id, "t", R"({"code":"x"})");
  const std::string row =
      "INSERT INTO public.signals (trader_id, user_id, symbol, interval, source, candle_time) "
      "VALUES (" +
      sql_quote(trader) + ", " + sql_quote(user.id) +
      ", 'ETHUSDT', '1h', 'cloud', '2026-01-01T00:59:59.999Z') ON CONFLICT DO NOTHING";
  cluster.exec(row);
  cluster.exec(row);
  CHECK(cluster.query_value("SELECT count(*) FROM public.signals") == "1");
  // Older rows without a candle time are not constrained.
  cluster.exec("INSERT INTO public.signals (trader_id, user_id, symbol, interval) VALUES (" +
               sql_quote(trader) + ", " + sql_quote(user.id) + ", 'ETHUSDT', '1h')");
  cluster.exec("INSERT INTO public.signals (trader_id, user_id, symbol, interval) VALUES (" +
               sql_quote(trader) + ", " + sql_quote(user.id) + ", 'ETHUSDT', '1h')");
  CHECK(cluster.query_value("SELECT count(*) FROM public.signals") == "3");
}

TEST_CASE("a machine policy looks its user up once per statement, not once per row") {
  pg_cluster cluster;
  apply_platform_schema(cluster);
  apply_migrations(cluster);
  // Every machine policy calls vyx.machine_user_id() only inside a scalar
  // subquery (an InitPlan): a bare call ran for every row checked.
  CHECK(cluster.query_value("SELECT count(*) FROM pg_policies WHERE 'vyx_machine' = ANY (roles)") ==
        "11");
  CHECK(
      cluster.query_value("SELECT count(*) FROM pg_policies WHERE 'vyx_machine' = ANY (roles) AND "
                          "regexp_replace(coalesce(qual, '') || ' ' || coalesce(with_check, ''), "
                          "'\\(\\s*SELECT\\s+vyx\\.machine_user_id\\(\\)', '', 'g') LIKE "
                          "'%machine_user_id()%'") == "0");
  // And the plan of a machine's signal insert says so.
  auto user = create_user(cluster, "p1");
  auto trader = insert_trader(cluster, user.id, "t", R"({"code":"x"})");
  pqxx::connection connection(cluster.url(user.role));
  pqxx::work work(connection);
  std::string plan;
  for (const auto& row : work.exec("EXPLAIN (COSTS OFF) " + signal_insert(trader, user.id)))
    plan += row[0].as<std::string>() + "\n";
  CHECK_MESSAGE(plan.find("InitPlan") != std::string::npos, plan);
}

TEST_CASE("the fixture reproduces the platform's recursive admin policy") {
  pg_cluster cluster;
  apply_platform_schema(cluster);
  apply_migrations(cluster);
  auto user = create_user(cluster, "r1");
  std::string error;
  try {
    pqxx::connection connection(cluster.url());
    pqxx::work work(connection);
    work.exec("SET LOCAL ROLE authenticated");
    work.exec("SELECT set_config('request.jwt.claim.sub', " + sql_quote(user.id) + ", true)");
    work.exec("SELECT * FROM public.traders");
  } catch (const std::exception& e) {
    error = e.what();
  }
  CHECK(error.find("infinite recursion") != std::string::npos);
}

TEST_CASE("a machine role reaches only its own user's rows") {
  pg_cluster cluster;
  apply_platform_schema(cluster);
  apply_migrations(cluster);
  auto alice = create_user(cluster, "alice");
  auto bob = create_user(cluster, "bob");
  auto alice_trader = insert_trader(cluster, alice.id, "alice's", R"({"code":"a"})");
  auto bob_trader = insert_trader(cluster, bob.id, "bob's", R"({"code":"b"})");
  auto built_in = insert_trader(cluster, "", "built-in", R"({"code":"c"})", "go", true);

  SUBCASE("reads its user's traders and the built-ins, never another user's") {
    pqxx::connection connection(cluster.url(alice.role));
    pqxx::work work(connection);
    auto rows = work.exec("SELECT id::text FROM public.traders ORDER BY name");
    std::vector<std::string> ids;
    for (const auto& row : rows) ids.push_back(row[0].c_str());
    CHECK(ids == std::vector<std::string>{alice_trader, built_in});
    CHECK(work.exec("SELECT 1 FROM public.traders WHERE id = " + sql_quote(bob_trader)).empty());
  }
  SUBCASE("inserts its user's signals only") {
    std::size_t rows = 0;
    CHECK(try_as(cluster, alice.role, signal_insert(alice_trader, alice.id), &rows) == "");
    CHECK(rows == 1);
    CHECK(try_as(cluster, alice.role, signal_insert(built_in, alice.id)) == "");
    CHECK(try_as(cluster, alice.role, signal_insert(bob_trader, bob.id))
              .find("row-level security") != std::string::npos);
    CHECK(try_as(cluster, alice.role, signal_insert(bob_trader, alice.id))
              .find("row-level security") != std::string::npos);
    CHECK(try_as(cluster, alice.role, signal_insert(alice_trader, bob.id))
              .find("row-level security") != std::string::npos);
    CHECK(cluster.query_value("SELECT count(*) FROM public.signals") == "2");
    // It reads back its own user's signals only (migration 0007: the analysis
    // writer looks its signal up), and touches no other table.
    CHECK(try_as(cluster, bob.role, signal_insert(bob_trader, bob.id)) == "");
    CHECK(cluster.query_value("SELECT count(*) FROM public.signals") == "3");
    {
      pqxx::connection connection(cluster.url(alice.role));
      pqxx::work work(connection);
      const auto seen = work.exec("SELECT user_id::text FROM public.signals");
      CHECK(seen.size() == 2);
      for (const auto& row : seen) CHECK(std::string(row[0].c_str()) == alice.id);
    }
    CHECK(try_as(cluster, alice.role, "SELECT * FROM public.user_profiles")
              .find("permission denied") != std::string::npos);
    CHECK(try_as(cluster, alice.role, "DELETE FROM public.traders").find("permission denied") !=
          std::string::npos);
  }
  SUBCASE("cannot write the mapping table or create roles") {
    CHECK(try_as(cluster, alice.role,
                 "INSERT INTO vyx.machine_roles (role_name, user_id) VALUES ('vyx_m_x', " +
                     sql_quote(bob.id) + ")")
              .find("permission denied") != std::string::npos);
    CHECK(try_as(cluster, alice.role,
                 "UPDATE vyx.machine_roles SET user_id = " + sql_quote(bob.id))
              .find("permission denied") != std::string::npos);
    CHECK(try_as(cluster, alice.role, "DELETE FROM vyx.machine_roles").find("permission denied") !=
          std::string::npos);
    CHECK(try_as(cluster, alice.role,
                 "SELECT vyx.create_machine_role('vyx_m_evil', " + sql_quote(bob.id) + ", 'x')")
              .find("permission denied") != std::string::npos);
    std::size_t rows = 0;
    CHECK(try_as(cluster, alice.role, "SELECT * FROM vyx.machine_roles", &rows) == "");
    CHECK(rows == 1);  // its own mapping only
  }
  SUBCASE("writes its own status rows and heartbeat only") {
    std::size_t rows = 0;
    CHECK(try_as(cluster, alice.role,
                 "INSERT INTO public.trader_runtime_status (trader_id, user_id, state) VALUES (" +
                     sql_quote(alice_trader) + ", " + sql_quote(alice.id) + ", 'running')") == "");
    CHECK(try_as(cluster, alice.role,
                 "INSERT INTO public.trader_runtime_status (trader_id, user_id, state) VALUES (" +
                     sql_quote(bob_trader) + ", " + sql_quote(bob.id) + ", 'running')")
              .find("row-level security") != std::string::npos);
    CHECK(try_as(cluster, alice.role,
                 "UPDATE public.user_fly_apps SET last_health_check = now(), health_status = "
                 "'healthy'",
                 &rows) == "");
    CHECK(rows == 1);  // its own row, not bob's
    CHECK(cluster.query_value("SELECT health_status FROM public.user_fly_apps WHERE user_id = " +
                              sql_quote(bob.id)) == "unknown");
    CHECK(try_as(cluster, alice.role, "UPDATE public.user_fly_apps SET status = 'deleted'")
              .find("permission denied") != std::string::npos);
  }
}

TEST_CASE("a trader change is notified on vyx_traders") {
  pg_cluster cluster;
  apply_platform_schema(cluster);
  apply_migrations(cluster);
  auto user = create_user(cluster, "n1");
  struct receiver : pqxx::notification_receiver {
    using pqxx::notification_receiver::notification_receiver;
    std::vector<std::string> payloads;
    void operator()(const std::string& payload, int) override { payloads.push_back(payload); }
  };
  pqxx::connection listener(cluster.url());
  receiver r(listener, "vyx_traders");
  auto id = insert_trader(cluster, user.id, "n", R"({"code":"x"})");
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (r.payloads.empty() && std::chrono::steady_clock::now() < deadline)
    listener.await_notification(1, 0);
  REQUIRE(r.payloads.size() == 1);
  CHECK(r.payloads[0].find("\"op\" : \"insert\"") != std::string::npos);
  CHECK(r.payloads[0].find(id) != std::string::npos);
}
