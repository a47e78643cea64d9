// The trader registry inside the real `vyx run`: traders inserted, edited,
// disabled, deleted and broken in Postgres while a replay is screened, each
// effective at the tick after its notification (plus the compile), and
// picked up by the reconcile alone when notifications are lost.
#include <doctest/doctest.h>

#include <iostream>
#include <thread>

#include "pg_cluster.hpp"
#include "platform_db.hpp"
#include "temp_dir.hpp"
#include "vyx_process.hpp"

using namespace vyx::test;
using namespace std::chrono_literals;
namespace fs = std::filesystem;

namespace {

constexpr long long minute = 60'000;

std::string trader_filter(int version) {
  // The filter document as the platform stores it, with C++ dialect code.
  return R"({"code": "bool filter(const vyx::Market& m) {\n  if (m.klines(\"1m\").size() < 2) return false;\n  vyx::emit(\"version\", )" +
         std::to_string(version) +
         R"();\n  return true;\n}\n", "requiredTimeframes": ["1m"], "description": ["always"]})";
}

template <class F>
bool eventually(F done, std::chrono::milliseconds limit = 60s) {
  const auto deadline = std::chrono::steady_clock::now() + limit;
  while (!done()) {
    if (std::chrono::steady_clock::now() > deadline) return false;
    std::this_thread::sleep_for(20ms);
  }
  return true;
}

struct registry_run {
  temp_dir dir;
  pg_cluster cluster;
  platform_user user;
  std::string steady;  // a trader that runs throughout
  std::unique_ptr<vyx_process> vyx;

  explicit registry_run(std::vector<std::string> extra = {}) {
    generate_market(dir / "market", 2, 1);
    apply_platform_schema(cluster);
    apply_migrations(cluster);
    user = create_user(cluster, "reg");
    steady = insert_trader(cluster, user.id, "steady", trader_filter(100));
    // 60x: one 1m tick per wall second.
    std::vector<std::string> args = {"run", "--replay", (dir / "market").string(), "--speed", "60",
                                     "--port", "0", "--address", "127.0.0.1", "--outbox",
                                     (dir / "outbox.db").string()};
    args.insert(args.end(), extra.begin(), extra.end());
    const std::map<std::string, std::string> env = {{"DATABASE_URL", cluster.url(user.role)},
                                                    {"USER_ID", user.id},
                                                    {"XDG_CACHE_HOME", VYX_TEST_CACHE_DIR}};
    vyx = std::make_unique<vyx_process>(args, env, dir / "run.out");
  }
  ~registry_run() {
    if (vyx) {
      vyx->child().signal(SIGTERM);
      vyx->child().wait_exit();
    }
  }
  long long last_close() const {
    return static_cast<long long>(vyx->metric("vyx_last_candle_close_ms"));
  }
  // The earliest candle at which `trader` signalled with `version`, or 0.
  long long first_signal(const std::string& trader, int version) const {
    auto v = cluster.query_value(
        "SELECT min((extract(epoch FROM candle_time) * 1000)::bigint) FROM public.signals WHERE "
        "trader_id = " +
        sql_quote(trader) + " AND (indicator_data->'version'->0->>'y')::int = " +
        std::to_string(version));
    return v.empty() ? 0 : std::stoll(v);
  }
  long long last_signal(const std::string& trader) const {
    auto v = cluster.query_value(
        "SELECT max((extract(epoch FROM candle_time) * 1000)::bigint) FROM public.signals WHERE "
        "trader_id = " +
        sql_quote(trader));
    return v.empty() ? 0 : std::stoll(v);
  }
};

// The first signal waits for the first build, which may include the SDK's
// precompiled header: minutes under the sanitizers, seconds otherwise.
constexpr std::chrono::seconds first_build{300};
#if defined(__SANITIZE_ADDRESS__)
// An instrumented compile child takes several times as long, at one tick a second.
constexpr long long max_ticks = 40;
#else
constexpr long long max_ticks = 10;
#endif

// Ticks between the change (the tick screened when it was made) and its effect.
long long ticks_after(long long change_close, long long effect_close) {
  return (effect_close - change_close + minute / 2) / minute;
}

}  // namespace

TEST_CASE("registry: insert, edit, disable, delete and a broken edit while screening") {
  registry_run r;
  REQUIRE(eventually([&] { return r.first_signal(r.steady, 100) > 0; }, first_build));

  // Insert.
  long long at = r.last_close();
  const auto t0 = std::chrono::steady_clock::now();
  const std::string added = insert_trader(r.cluster, r.user.id, "added", trader_filter(1));
  REQUIRE(eventually([&] { return r.first_signal(added, 1) > 0; }));
  const auto insert_latency = std::chrono::steady_clock::now() - t0;
  long long ticks = ticks_after(at, r.first_signal(added, 1));
  MESSAGE("insert effective " << ticks << " ticks after the change ("
                              << std::chrono::duration<double>(insert_latency).count() << " s)");
  CHECK(ticks >= 1);
  CHECK(ticks <= max_ticks);  // the next tick once compiled; a cold compile takes a few 1 s ticks here

  // Edit: the new code from one tick on, the old one never after it.
  at = r.last_close();
  r.cluster.exec("UPDATE public.traders SET filter = " + sql_quote(trader_filter(2)) +
                 "::jsonb, updated_at = now() WHERE id = " + sql_quote(added));
  REQUIRE(eventually([&] { return r.first_signal(added, 2) > 0; }));
  const long long switched = r.first_signal(added, 2);
  ticks = ticks_after(at, switched);
  MESSAGE("edit effective " << ticks << " ticks after the change");
  CHECK(ticks >= 1);
  CHECK(ticks <= max_ticks);
  CHECK(r.cluster.query_value("SELECT count(*) FROM public.signals WHERE trader_id = " +
                              sql_quote(added) +
                              " AND (indicator_data->'version'->0->>'y')::int = 1 AND "
                              "(extract(epoch FROM candle_time) * 1000)::bigint >= " +
                              std::to_string(switched)) == "0");

  // A broken edit: the reason is recorded, the previous build keeps running, others too.
  r.cluster.exec("UPDATE public.traders SET filter = '{\"code\": \"bool filter(const "
                 "vyx::Market& m) { return nope; }\"}'::jsonb WHERE id = " +
                 sql_quote(added));
  REQUIRE(eventually([&] {
    return !r.cluster.query_value("SELECT last_error FROM public.trader_runtime_status WHERE "
                                  "trader_id = " + sql_quote(added)).empty();
  }));
  CHECK(r.cluster.query_value("SELECT last_error FROM public.trader_runtime_status WHERE "
                              "trader_id = " + sql_quote(added))
            .find("nope") != std::string::npos);
  at = r.last_close();
  REQUIRE(eventually([&] { return r.last_signal(added) > at + minute; }));
  REQUIRE(eventually([&] { return r.last_signal(r.steady) > at + minute; }));

  // Disable: no evaluation from the next tick on.
  at = r.last_close();
  r.cluster.exec("UPDATE public.traders SET enabled = false WHERE id = " + sql_quote(added));
  const long long disabled_at = at;
  REQUIRE(eventually([&] { return r.last_close() > disabled_at + 5 * minute; }));
  ticks = ticks_after(disabled_at, r.last_signal(added));
  MESSAGE("disable effective " << ticks << " ticks after the change");
  CHECK(ticks <= 2);  // the next tick; one more when it lands during a tick
  CHECK(r.last_signal(r.steady) > disabled_at + 4 * minute);  // the other trader goes on

  // Delete: gone from the pool at the next tick.
  at = r.last_close();
  r.cluster.exec("DELETE FROM public.traders WHERE id = " + sql_quote(added));
  REQUIRE(eventually([&] {
    return r.vyx->metric("vyx_trader_evaluations_total{trader=\"" + added + "\"}") < 0;
  }));
  CHECK(r.last_close() - at <= 2 * minute);
  CHECK(r.last_signal(r.steady) >= at);
}

TEST_CASE("registry: with notifications lost, the reconcile picks changes up") {
  registry_run r({"--no-listen", "--reconcile-ms", "1000"});
  REQUIRE(eventually([&] { return r.first_signal(r.steady, 100) > 0; }, first_build));
  const auto t0 = std::chrono::steady_clock::now();
  const std::string added = insert_trader(r.cluster, r.user.id, "added", trader_filter(7));
  REQUIRE(eventually([&] { return r.first_signal(added, 7) > 0; }, 30s));
  MESSAGE("insert without LISTEN effective after "
          << std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count() << " s");
  CHECK(r.vyx->metric("vyx_registry_listening") == 0);
  CHECK(r.vyx->metric("vyx_registry_reconciles_total") >= 2);
  r.cluster.exec("UPDATE public.traders SET enabled = false WHERE id = " + sql_quote(r.steady));
  const long long at = r.last_close();
  REQUIRE(eventually([&] { return r.last_close() > at + 5 * minute; }));
  CHECK(r.last_signal(r.steady) <= at + 3 * minute);  // within the 1 s period (+1 tick)
}

TEST_CASE("registry: a go trader and both filter encodings") {
  registry_run r;
  REQUIRE(eventually([&] { return r.first_signal(r.steady, 100) > 0; }, first_build));
  // Double-encoded: a JSON string holding the document.
  const std::string encoded = r.cluster.query_value("SELECT to_jsonb(" +
                                                    sql_quote(trader_filter(5)) + "::text)");
  const std::string doubled = insert_trader(r.cluster, r.user.id, "doubled", encoded);
  REQUIRE(eventually([&] { return r.first_signal(doubled, 5) > 0; }));
  // language go: routed to the compiler's Go entry; its answer lands in the status table.
  const std::string go = insert_trader(r.cluster, r.user.id, "go trader",
                                       R"({"code": "return len(data.Klines[\"1m\"]) > 1"})", "go");
  REQUIRE(eventually([&] {
    return !r.cluster.query_value("SELECT coalesce(last_error, state) FROM "
                                  "public.trader_runtime_status WHERE trader_id = " +
                                  sql_quote(go)).empty();
  }));
  const auto status = r.cluster.query_value(
      "SELECT state || ': ' || coalesce(last_error, '') FROM public.trader_runtime_status WHERE "
      "trader_id = " + sql_quote(go));
  MESSAGE("go trader: " << status);
  // Either the Go front end built it (it signals) or the reason says why not.
  CHECK((r.first_signal(go, 0) >= 0));
  CHECK((status.find("error: ") == 0 || status.find("starting") == 0 ||
         status.find("running") == 0));
}

TEST_CASE("registry: a go trader's seriesCode lands in indicator_data when every indicator id "
          "is a series - otherwise the signal is saved without series") {
  registry_run r;
  REQUIRE(eventually([&] { return r.first_signal(r.steady, 100) > 0; }, first_build));
  // seriesCode: the last two 1m closes at their open times.
  auto go_filter = [](const std::string& indicators) {
    return R"({"code": "return len(data.Klines[\"1m\"]) > 1", "requiredTimeframes": ["1m"], )"
           R"("seriesCode": "k := data.Klines[\"1m\"]\nif len(k) < 2 {\n    return nil\n}\n)"
           R"(points := []map[string]interface{}{}\nfor _, c := range k[len(k)-2:] {\n)"
           R"(    points = append(points, map[string]interface{}{\"x\": c.OpenTime, \"y\": c.Close})\n}\n)"
           R"(return map[string]interface{}{\"closes\": points}\n", "indicators": )" +
           indicators + "}";
  };
  const std::string complete =
      insert_trader(r.cluster, r.user.id, "complete", go_filter(R"([{"id": "closes"}])"), "go");
  const std::string missing = insert_trader(
      r.cluster, r.user.id, "missing", go_filter(R"([{"id": "closes"}, {"id": "ema20"}])"), "go");
  REQUIRE(eventually([&] { return r.last_signal(complete) > 0 && r.last_signal(missing) > 0; },
                     first_build));
  auto one = [&](const std::string& trader, const std::string& expression) {
    return r.cluster.query_value("SELECT " + expression + " FROM public.signals WHERE trader_id = " +
                                 sql_quote(trader) + " ORDER BY candle_time DESC LIMIT 1");
  };
  CHECK(one(complete, "jsonb_array_length(indicator_data->'closes')") == "2");
  // The newest point is the signal's own candle (x = its open time, candle_time its close).
  CHECK(one(complete, "(indicator_data->'closes'->1->>'x')::bigint + 60000 - 1 = "
                      "(extract(epoch FROM candle_time) * 1000)::bigint") == "t");
  CHECK(one(complete, "(indicator_data->'closes'->1->>'y')::float8 = "
                      "(indicator_data->'klines'->-1->>'c')::float8") == "t");
  CHECK(one(missing, "indicator_data ? 'closes'") == "f");
  CHECK(one(missing, "jsonb_array_length(indicator_data->'klines') > 0") == "t");
}
