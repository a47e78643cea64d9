// `vyx run` with DATABASE_URL and OPENROUTER_API_KEY end to end: the real
// command against a real PostgreSQL (tests/postgres' fixtures) and the mock
// provider. Traders from Postgres: an Elite owner's auto-analysed trader gets
// exactly one signal_analyses row per signal, its twin without
// auto_analyze_signals none, across a restart in the middle of the queue.
// Traders from a --traders folder: analysis is off, said once.
#include <doctest/doctest.h>
#include <signal.h>
#include <sys/wait.h>

#include <set>

#include "../support/eventually.hpp"
#include "mock_provider.hpp"
#include "pg_cluster.hpp"
#include "platform_db.hpp"
#include "sqlite_value.hpp"
#include "temp_dir.hpp"
#include "vyx_process.hpp"

#if defined(VYX_ANALYSIS_PLUGIN_DIR) && defined(VYX_TEST_CACHE_DIR)

using namespace vyx::test;
using namespace std::chrono_literals;
namespace fs = std::filesystem;

namespace {

// The registry tests' trader (C++ dialect, 1m, signals on every candle from
// the second), so that a compile cache warmed by either serves both.
constexpr const char* every_candle_filter =
    R"({"code": "bool filter(const vyx::Market& m) {\n  if (m.klines(\"1m\").size() < 2) return false;\n  vyx::emit(\"version\", 100);\n  return true;\n}\n", "requiredTimeframes": ["1m"], "description": ["always"]})";

// 20 one-minute ticks over 2 symbols: about 40 signals per trader.
constexpr const char* replay_end = "2024-03-01T00:20Z";
// Any wait on the machine: a cold trader build on a loaded machine included.
constexpr std::chrono::seconds wait_limit{120};

std::size_t occurrences(const std::string& text, const std::string& needle) {
  std::size_t n = 0;
  for (auto at = text.find(needle); at != std::string::npos; at = text.find(needle, at + 1)) ++n;
  return n;
}

// An Elite user (tier spelled as the platform may: case differs) with its machine role.
struct elite_platform {
  pg_cluster cluster;
  platform_user user;
  elite_platform() {
    apply_platform_schema(cluster);
    apply_migrations(cluster);
    user = create_user(cluster, "e2e");
    cluster.exec("UPDATE public.user_profiles SET subscription_tier = 'Elite' WHERE id = " + sql_quote(user.id));
  }
  long long value(const std::string& sql) const {
    const std::string text = cluster.query_value(sql);
    return text.empty() ? -1 : std::stoll(text);
  }
  long long signals_of(const std::string& trader) const {
    return value("SELECT count(*) FROM public.signals WHERE trader_id = " + sql_quote(trader));
  }
  long long analyses_of(const std::string& trader) const {
    return value("SELECT count(*) FROM public.signal_analyses WHERE trader_id = " + sql_quote(trader));
  }
};

// The machine's environment: Postgres as its role, the provider on the loopback.
std::map<std::string, std::string> machine_environment(const elite_platform& p, const mock_provider& provider) {
  return {{"DATABASE_URL", p.cluster.url(p.user.role)},
          {"USER_ID", p.user.id},
          {"XDG_CACHE_HOME", VYX_TEST_CACHE_DIR},
          {"OPENROUTER_API_KEY", "e2e-postgres-key"},
          {"OPENROUTER_API_URL", provider.url()},
          {"VYX_ANALYSIS_MODEL", "test/e2e-model"},
          {"VYX_ANALYSIS_RPM", "6000"},
          {"VYX_ANALYSIS_DAILY_BUDGET", "1000"}};
}

void stop_and_expect_clean_exit(vyx_process& run) {
  run.child().signal(SIGTERM);
  const int status = run.child().wait_exit();
  CHECK(WIFEXITED(status));
  CHECK(WEXITSTATUS(status) == 0);
}

}  // namespace

TEST_CASE("vyx run with Postgres: one analysis per signal of the auto-analysed trader, none for the other, "
          "across a restart mid-queue") {
  temp_dir dir;
  generate_market(dir / "market", 2, 1);
  elite_platform p;
  const std::string analysed = insert_trader(p.cluster, p.user.id, "analysed", every_candle_filter);
  const std::string plain = insert_trader(p.cluster, p.user.id, "plain", every_candle_filter);
  p.cluster.exec("UPDATE public.traders SET auto_analyze_signals = true, strategy = "
                 "'{\"instructions\":\"Buy breakouts.\"}' WHERE id = " + sql_quote(analysed));
  const auto db = dir / "vyx.db";  // the analysis queue (SQLite) survives the restart with the outbox
  const std::vector<std::string> args = {"run", "--replay", (dir / "market").string(), "--speed", "0",
                                         "--to", replay_end, "--port", "0", "--address", "127.0.0.1",
                                         "--db", db.string(), "--outbox", (dir / "outbox.db").string()};

  // First run: the provider answers a few, then holds every request open.
  constexpr std::size_t answered = 5;
  mock_provider first([](std::size_t index, const mock_request&) {
    return index < answered ? answer(verdict_text("wait", 33, "first run")) : hang();
  });
  {
    vyx_process run(args, machine_environment(p, first), dir / "run1.out");
    // The answered ones taken (their verdicts wait in SQLite until the outbox
    // has shipped their signals), the next ones in flight (2 at a time by default).
    const bool in_flight = first.wait_requests(answered + 2, wait_limit);
    if (!in_flight)
      MESSAGE(run.child().stderr_text() << "\nsignals " << p.signals_of(analysed) << ", queued "
              << sqlite_value(db, "SELECT count(*) FROM analysis_queue") << ", requests " << first.requests().size());
    REQUIRE(in_flight);
    stop_and_expect_clean_exit(run);  // SIGTERM does not wait for the hung requests
  }
  const std::size_t first_requests = first.requests().size();
  CHECK(p.analyses_of(analysed) <= static_cast<long long>(answered));

  // Second run, same queue and outbox: the replay runs again (no signal
  // doubles), the pending jobs resume, the answered ones are not asked again.
  mock_provider second([](std::size_t, const mock_request&) {
    return answer(verdict_text("enter_trade", 71, "second run"));
  });
  long long signals = 0;
  {
    vyx_process run(args, machine_environment(p, second), dir / "run2.out");
    REQUIRE(run.child().wait_for_stderr("serving until SIGTERM", wait_limit));
    // Every signal of the replay in Postgres: the count the analyses must reach.
    REQUIRE(eventually([&] { return run.metric("vyx_outbox_backlog") == 0; }, wait_limit));
    signals = p.signals_of(analysed);
    REQUIRE(signals > answered);
    REQUIRE(eventually(
        [&] {
          return p.analyses_of(analysed) == signals &&
                 sqlite_value(db, "SELECT count(*) FROM analysis_queue WHERE state <> 'done'") == 0;
        },
        wait_limit));
    stop_and_expect_clean_exit(run);
  }

  // Exactly one analysis per signal of the eligible trader, linked to it.
  CHECK(p.signals_of(analysed) == signals);
  CHECK(p.value("SELECT count(*) FROM (SELECT 1 FROM public.signals WHERE trader_id = " + sql_quote(analysed) +
                " GROUP BY symbol, interval, candle_time HAVING count(*) > 1) d") == 0);
  CHECK(p.value("SELECT count(DISTINCT a.signal_id) FROM public.signal_analyses a JOIN public.signals s ON "
                "s.id = a.signal_id WHERE s.trader_id = " + sql_quote(analysed) +
                " AND a.user_id = " + sql_quote(p.user.id) + " AND a.model = 'test/e2e-model'") == signals);
  CHECK(p.value("SELECT count(*) FROM public.signal_analyses WHERE reasoning = 'first run'") ==
        static_cast<long long>(answered));
  CHECK(p.value("SELECT count(*) FROM public.signal_analyses WHERE reasoning = 'second run' AND "
                "decision = 'enter_trade' AND confidence = 71") == signals - static_cast<long long>(answered));
  // The twin without auto_analyze_signals signalled as often, and was never analysed or queued.
  CHECK(p.signals_of(plain) == signals);
  CHECK(p.analyses_of(plain) == 0);
  CHECK(sqlite_value(db, "SELECT count(*) FROM analysis_queue WHERE trader = '" + plain + "'") == 0);

  // The provider: asked once per signal, except for the requests the restart abandoned.
  const auto second_requests = second.requests();
  CHECK(static_cast<long long>(second_requests.size()) == signals - static_cast<long long>(answered));
  CHECK(first_requests >= answered + 2);
  std::set<std::string> asked;
  for (const auto& requests : {first.requests(), second_requests})
    for (const auto& r : requests) {
      CHECK(r.authorization == "Bearer e2e-postgres-key");
      CHECK(r.model == "test/e2e-model");
      CHECK(r.prompt.find("Buy breakouts.") != std::string::npos);
      CHECK(r.prompt.find(R"("trader":")" + analysed + '"') != std::string::npos);
      CHECK(r.prompt.find(plain) == std::string::npos);
      asked.insert(r.signal);
    }
  CHECK(static_cast<long long>(asked.size()) == signals);
}

TEST_CASE("vyx run with Postgres and --traders: analysis is off, said once, nothing asked or stored") {
  temp_dir dir;
  generate_market(dir / "market", 2, 1);
  elite_platform p;
  // Eligible if it came from Postgres; here it comes from the folder, under the same id.
  const std::string trader = insert_trader(p.cluster, p.user.id, "from a file", R"({"code":""})");
  p.cluster.exec("UPDATE public.traders SET auto_analyze_signals = true WHERE id = " + sql_quote(trader));
  fs::create_directories(dir / "traders");
  fs::copy_file(fs::path(VYX_ANALYSIS_PLUGIN_DIR) / "rising.so", dir / "traders" / (trader + ".so"));
  mock_provider provider([](std::size_t, const mock_request&) {
    return answer(verdict_text("wait", 50, "never asked"));
  });
  const auto db = dir / "vyx.db";
  vyx_process run({"run", "--replay", (dir / "market").string(), "--traders", (dir / "traders").string(),
                   "--analyze", "--speed", "0", "--to", replay_end, "--exit-at-end", "--port", "0", "--address",
                   "127.0.0.1", "--db", db.string(), "--outbox", (dir / "outbox.db").string(), "--drain-ms",
                   "60000"},
                  machine_environment(p, provider), dir / "run.out");
  const int status = run.child().wait_exit();
  CHECK(WIFEXITED(status));
  CHECK(WEXITSTATUS(status) == 0);
  const std::string log = run.child().stderr_text();
  CAPTURE(log);
  CHECK(occurrences(log, "analysis: off") == 1);
  CHECK(occurrences(log, "auto_analyze_signals and owner tier are unknown") == 1);
  CHECK(p.signals_of(trader) > 0);  // screened and shipped to Postgres
  CHECK(p.analyses_of(trader) == 0);
  CHECK(provider.requests().empty());
  CHECK(sqlite_value(db, "SELECT count(*) FROM analysis_queue") <= 0);  // no queue (or an empty one)
  CHECK(log.find("e2e-postgres-key") == std::string::npos);
}

#endif
