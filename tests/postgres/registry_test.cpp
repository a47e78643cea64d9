// The trader registry inside the real `vyx run`: traders inserted, edited,
// disabled, deleted and broken in Postgres while a replay is screened, each
// effective within one tick of its notification, the status rows following,
// and changes picked up by the reconcile alone when notifications are lost.
#include <doctest/doctest.h>

#include <iostream>

#include "../support/eventually.hpp"
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

// One tick of the replay in wall seconds: longer than a cold compile of a
// one-function trader (about 0.3 s on a quiet machine, a few times that on a
// loaded one; many times under the sanitizers), so that "the next tick" is a
// statement about the registry, not about the compiler's speed.
#if defined(__SANITIZE_ADDRESS__)
constexpr int tick_seconds = 8;
#else
constexpr int tick_seconds = 3;
#endif

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
    std::vector<std::string> args = {"run", "--replay", (dir / "market").string(), "--speed",
                                     std::to_string(60 / tick_seconds),
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
  std::string status(const std::string& trader, const std::string& column) const {
    return cluster.query_value("SELECT " + column +
                               " FROM public.trader_runtime_status WHERE trader_id = " +
                               sql_quote(trader));
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
// Deadlines for one change: a few ticks, far beyond what is asserted.
constexpr std::chrono::seconds few_ticks{8 * tick_seconds};

// Ticks between the change (`change_close`: the last tick screened when it
// was committed, so the notification lands between that tick and the next)
// and its effect. 1: the next tick; 2: the one after, when the build was
// ready only after the next tick had started - still within one tick of the
// notification. More would be a registry or scheduler that waits.
long long ticks_after(long long change_close, long long effect_close) {
  return (effect_close - change_close + minute / 2) / minute;
}
constexpr long long within_one_tick = 2;

}  // namespace

TEST_CASE("registry: insert, edit, disable, delete and a broken edit while screening") {
  registry_run r;
  REQUIRE(eventually([&] { return r.first_signal(r.steady, 100) > 0; }, first_build));

  // Insert and edit need a cold compile, which on a loaded machine takes longer
  // than a tick here (seconds; 0.3 s quiet): the registry's part is to switch
  // the new build in at the first tick after it is ready. The build is ready
  // when its code hash lands in the status row (written just before the set
  // is handed to the scheduler).
  auto effective = [&](const char* what, long long at, long long ready_at, long long effect) {
    MESSAGE(std::string(what) << " effective " << ticks_after(at, effect)
                 << " ticks after the change, " << ticks_after(ready_at, effect)
                 << " after its build was ready");
    CHECK(ticks_after(at, effect) >= 1);
    CHECK(ticks_after(ready_at, effect) <= within_one_tick);
  };
  auto build_ready = [&](const std::string& trader) {
    const std::string expected = r.cluster.query_value(
        "SELECT md5(coalesce(filter::text, '') || '|' || coalesce(language, '')) FROM "
        "public.traders WHERE id = " + sql_quote(trader));
    long long ready_at = 0;
    REQUIRE(eventually(
        [&] {
          ready_at = r.last_close();
          return r.status(trader, "code_hash") == expected;
        },
        first_build));
    return ready_at;
  };

  // Insert.
  long long at = r.last_close();
  const std::string added = insert_trader(r.cluster, r.user.id, "added", trader_filter(1));
  long long ready_at = build_ready(added);
  REQUIRE(eventually([&] { return r.first_signal(added, 1) > 0; }, few_ticks));
  effective("insert", at, ready_at, r.first_signal(added, 1));
  // Its status row: running, evaluated, with a last run.
  REQUIRE(eventually([&] { return r.status(added, "state") == "running"; }, few_ticks));
  REQUIRE(eventually([&] { return r.status(added, "evaluations > 0") == "t"; }, few_ticks));
  CHECK(r.status(added, "last_run_at IS NOT NULL AND last_error IS NULL") == "t");

  // Edit: the new code from one tick on, the old one never after it.
  at = r.last_close();
  r.cluster.exec("UPDATE public.traders SET filter = " + sql_quote(trader_filter(2)) +
                 "::jsonb, updated_at = now() WHERE id = " + sql_quote(added));
  ready_at = build_ready(added);
  REQUIRE(eventually([&] { return r.first_signal(added, 2) > 0; }, few_ticks));
  const long long switched = r.first_signal(added, 2);
  effective("edit", at, ready_at, switched);
  CHECK(r.cluster.query_value("SELECT count(*) FROM public.signals WHERE trader_id = " +
                              sql_quote(added) +
                              " AND (indicator_data->'version'->0->>'y')::int = 1 AND "
                              "(extract(epoch FROM candle_time) * 1000)::bigint >= " +
                              std::to_string(switched)) == "0");

  // Edit back to code built before: a cache hit, so within one tick of the
  // notification itself.
  at = r.last_close();
  r.cluster.exec("UPDATE public.traders SET filter = " + sql_quote(trader_filter(1)) +
                 "::jsonb, updated_at = now() WHERE id = " + sql_quote(added));
  auto back_at = [&] {
    auto v = r.cluster.query_value(
        "SELECT min((extract(epoch FROM candle_time) * 1000)::bigint) FROM public.signals WHERE "
        "trader_id = " + sql_quote(added) + " AND (indicator_data->'version'->0->>'y')::int = 1 "
        "AND (extract(epoch FROM candle_time) * 1000)::bigint > " + std::to_string(switched));
    return v.empty() ? 0LL : std::stoll(v);
  };
  REQUIRE(eventually([&] { return back_at() > 0; }, few_ticks));
  MESSAGE("cached edit effective " << ticks_after(at, back_at()) << " ticks after the change");
  CHECK(ticks_after(at, back_at()) >= 1);
  CHECK(ticks_after(at, back_at()) <= within_one_tick);

  // A broken edit: the reason is recorded, the previous build keeps running
  // (state running), the others too. A broken new trader has
  // no build to fall back on: compile_failed.
  at = r.last_close();
  r.cluster.exec("UPDATE public.traders SET filter = '{\"code\": \"bool filter(const "
                 "vyx::Market& m) { return nope; }\"}'::jsonb WHERE id = " +
                 sql_quote(added));
  const std::string broken = insert_trader(
      r.cluster, r.user.id, "broken", R"({"code": "bool filter(const vyx::Market& m) { return 1 +; }"})");
  // (Compile bound, like the builds above: the verdict needs the compiler.)
  REQUIRE(eventually([&] { return !r.status(added, "last_error").empty(); }, first_build));
  CHECK(r.status(added, "last_error").find("nope") != std::string::npos);
  REQUIRE(eventually([&] { return r.status(broken, "state") == "compile_failed"; }, first_build));
  CHECK(!r.status(broken, "last_error").empty());
  REQUIRE(eventually([&] { return r.last_signal(added) > at + minute; }, few_ticks));
  REQUIRE(eventually([&] { return r.last_signal(r.steady) > at + minute; }, few_ticks));
  CHECK(r.status(added, "state") == "running");

  // Disable: evaluated at most at the tick already under way, then stopped.
  at = r.last_close();
  r.cluster.exec("UPDATE public.traders SET enabled = false WHERE id = " + sql_quote(added));
  const long long disabled_at = at;
  REQUIRE(eventually([&] { return r.last_close() > disabled_at + 3 * minute; }, few_ticks));
  const long long ticks = ticks_after(disabled_at, r.last_signal(added));
  MESSAGE("disable: last signal " << ticks << " ticks after the change");
  CHECK(ticks <= 1);
  CHECK(r.last_signal(r.steady) > disabled_at + 2 * minute);  // the other trader goes on
  REQUIRE(eventually([&] { return r.status(added, "state") == "stopped"; }, few_ticks));

  // Delete: gone from the pool within a tick.
  at = r.last_close();
  r.cluster.exec("DELETE FROM public.traders WHERE id = " + sql_quote(added));
  REQUIRE(eventually(
      [&] {
        return r.vyx->metric("vyx_trader_evaluations_total{trader=\"" + added + "\"}") < 0;
      },
      few_ticks));
  CHECK(r.last_close() <= at + within_one_tick * minute);
  CHECK(r.last_signal(r.steady) >= at);
}

TEST_CASE("registry: with notifications lost, the reconcile picks changes up") {
  registry_run r({"--no-listen", "--reconcile-ms", "1000"});
  REQUIRE(eventually([&] { return r.first_signal(r.steady, 100) > 0; }, first_build));
  const auto t0 = std::chrono::steady_clock::now();
  const std::string added = insert_trader(r.cluster, r.user.id, "added", trader_filter(7));
  // Compile bound (seconds on a loaded machine); the reconcile itself runs every second.
  REQUIRE(eventually([&] { return r.first_signal(added, 7) > 0; }, first_build));
  MESSAGE("insert without LISTEN effective after "
          << std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count() << " s");
  CHECK(r.vyx->metric("vyx_registry_listening") == 0);
  CHECK(r.vyx->metric("vyx_registry_reconciles_total") >= 2);
  r.cluster.exec("UPDATE public.traders SET enabled = false WHERE id = " + sql_quote(r.steady));
  const long long at = r.last_close();
  REQUIRE(eventually([&] { return r.last_close() > at + 3 * minute; }, few_ticks));
  CHECK(r.last_signal(r.steady) <= at + minute);  // the 1 s period is shorter than a tick
}

TEST_CASE("registry: a go trader and both filter encodings") {
  registry_run r;
  REQUIRE(eventually([&] { return r.first_signal(r.steady, 100) > 0; }, first_build));
  // Double-encoded: a JSON string holding the document.
  const std::string encoded = r.cluster.query_value("SELECT to_jsonb(" +
                                                    sql_quote(trader_filter(5)) + "::text)");
  const std::string doubled = insert_trader(r.cluster, r.user.id, "doubled", encoded);
  REQUIRE(eventually([&] { return r.first_signal(doubled, 5) > 0; }, first_build));
  // language go: routed to the compiler's Go entry; its answer lands in the status table.
  const std::string go = insert_trader(r.cluster, r.user.id, "go trader",
                                       R"({"code": "return len(data.Klines[\"1m\"]) > 1"})", "go");
  REQUIRE(eventually([&] {
    return !r.cluster.query_value("SELECT coalesce(last_error, state) FROM "
                                  "public.trader_runtime_status WHERE trader_id = " +
                                  sql_quote(go)).empty();
  }, first_build));
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
