// Faults around the real `vyx run` writing to Postgres: each run's signals
// must equal a replay run with SQLite, with none lost and none doubled.
#include <doctest/doctest.h>
#include <sqlite3.h>

#include <pqxx/pqxx>
#include <set>
#include <tuple>

#include "../support/eventually.hpp"
#include "pg_cluster.hpp"
#include "platform_db.hpp"
#include "temp_dir.hpp"
#include "vyx_process.hpp"

using namespace vyx::test;
using namespace std::chrono_literals;
namespace fs = std::filesystem;

namespace {

using signal_key = std::tuple<std::string, std::string, std::string, long long>;
constexpr const char* trader_id = "11111111-2222-4333-8444-555555555555";

// The market, the traders folder (the `rising` test plugin under the
// trader's uuid) and the SQLite reference, made once per test process.
struct reference_run {
  temp_dir dir;
  std::set<signal_key> signals;
  reference_run() {
    generate_market(dir / "market", 4, 1);
    fs::create_directories(dir / "traders");
    fs::copy_file(fs::path(VYX_TEST_PLUGIN_DIR) / "rising.so",
                  dir / "traders" / (std::string(trader_id) + ".so"));
    vyx_process run({"run", "--replay", (dir / "market").string(), "--traders",
                     (dir / "traders").string(), "--speed", "0", "--exit-at-end", "--port", "0",
                     "--address", "127.0.0.1", "--db", (dir / "reference.db").string()},
                    {}, dir / "reference.out");
    REQUIRE(WEXITSTATUS(run.child().wait_exit()) == 0);
    sqlite3* db = nullptr;
    REQUIRE(sqlite3_open((dir / "reference.db").c_str(), &db) == SQLITE_OK);
    sqlite3_stmt* st = nullptr;
    sqlite3_prepare_v2(db, "SELECT trader, symbol, timeframe, close_time FROM signals", -1, &st,
                       nullptr);
    while (sqlite3_step(st) == SQLITE_ROW)
      signals.emplace(reinterpret_cast<const char*>(sqlite3_column_text(st, 0)),
                      reinterpret_cast<const char*>(sqlite3_column_text(st, 1)),
                      reinterpret_cast<const char*>(sqlite3_column_text(st, 2)),
                      sqlite3_column_int64(st, 3));
    sqlite3_finalize(st);
    sqlite3_close(db);
  }
};

const reference_run& reference() {
  static reference_run run;
  return run;
}

struct platform {
  pg_cluster cluster;
  platform_user user;
  platform() {
    apply_platform_schema(cluster);
    apply_migrations(cluster);
    user = create_user(cluster, "fault");
    cluster.exec("INSERT INTO public.traders (id, user_id, name, filter, language) VALUES ('" +
                 std::string(trader_id) + "', '" + user.id + "', 'rising', '{\"code\":\"\"}', 'cpp')");
  }
  long long count() const {
    return std::stoll(cluster.query_value("SELECT count(*) FROM public.signals"));
  }
  std::multiset<signal_key> signals() const {
    pqxx::connection c(cluster.url());
    pqxx::nontransaction t(c);
    std::multiset<signal_key> out;
    for (const auto& row :
         t.exec("SELECT trader_id::text, symbol, interval, "
                "(extract(epoch FROM candle_time) * 1000)::bigint FROM public.signals"))
      out.emplace(row[0].c_str(), row[1].c_str(), row[2].c_str(), row[3].as<long long>());
    return out;
  }
};

std::vector<std::string> run_args(const temp_dir& dir, const std::string& speed, bool exit_at_end) {
  const auto& ref = reference();
  std::vector<std::string> args = {"run", "--replay", (ref.dir / "market").string(), "--traders",
                                   (ref.dir / "traders").string(), "--speed", speed, "--port", "0",
                                   "--address", "127.0.0.1", "--outbox",
                                   (dir / "outbox.db").string(), "--drain-ms", "60000"};
  if (exit_at_end) args.push_back("--exit-at-end");
  return args;
}

// How long a row or a counter may take to appear (shipping through a restart).
constexpr std::chrono::seconds change_limit{60};

// 0 lost, 0 duplicated: Postgres holds exactly the reference's signals.
void check_same_as_reference(const platform& p) {
  const auto& expected = reference().signals;
  REQUIRE(expected.size() > 100);
  auto got = p.signals();
  std::set<signal_key> distinct(got.begin(), got.end());
  CHECK(got.size() == distinct.size());  // no duplicates
  CHECK(distinct.size() == expected.size());
  CHECK(distinct == expected);
}

}  // namespace

TEST_CASE("fault: Postgres stopped with -m immediate mid-run, then restarted") {
  reference();
  platform p;
  temp_dir dir;
  vyx_process run(run_args(dir, "12000", true),
                  {{"DATABASE_URL", p.cluster.url(p.user.role)}, {"USER_ID", p.user.id}},
                  dir / "run.out");
  REQUIRE(eventually([&] { return p.count() > 0; }, change_limit));
  p.cluster.stop("immediate");
  REQUIRE(eventually([&] { return run.metric("vyx_postgres_failures_total") > 0; }, change_limit));
  p.cluster.start();
  CHECK(WEXITSTATUS(run.child().wait_exit()) == 0);
  check_same_as_reference(p);
}

TEST_CASE("fault: vyx killed with SIGKILL mid-run, then started again") {
  reference();
  platform p;
  temp_dir dir;
  const std::map<std::string, std::string> env = {{"DATABASE_URL", p.cluster.url(p.user.role)},
                                                  {"USER_ID", p.user.id}};
  {
    vyx_process run(run_args(dir, "12000", true), env, dir / "run1.out");
    REQUIRE(eventually([&] { return p.count() > 0; }, change_limit));
    run.child().signal(SIGKILL);
    run.child().wait_exit();
  }
  const auto before = p.count();
  CHECK(before < static_cast<long long>(reference().signals.size()));
  vyx_process again(run_args(dir, "0", true), env, dir / "run2.out");
  CHECK(WEXITSTATUS(again.child().wait_exit()) == 0);
  check_same_as_reference(p);
}

TEST_CASE("fault: Postgres down for the whole run, then up") {
  reference();
  platform p;
  temp_dir dir;
  p.cluster.stop("immediate");
  vyx_process run(run_args(dir, "0", false),
                  {{"DATABASE_URL", p.cluster.url(p.user.role)}, {"USER_ID", p.user.id}},
                  dir / "run.out");
  REQUIRE(run.child().wait_for_stderr("replay ended", 120s));
  CHECK(run.metric("vyx_outbox_backlog") == static_cast<double>(reference().signals.size()));
  p.cluster.start();
  REQUIRE(eventually([&] { return run.metric("vyx_outbox_backlog") == 0; }, 120s));
  run.child().signal(SIGTERM);
  CHECK(WEXITSTATUS(run.child().wait_exit()) == 0);
  check_same_as_reference(p);
}

TEST_CASE("fault: statement timeout on the insert, retried until it passes") {
  reference();
  platform p;
  temp_dir dir;
  p.cluster.exec(R"sql(
    CREATE TABLE public.slow_flag (on_ boolean);
    INSERT INTO public.slow_flag VALUES (true);
    GRANT SELECT ON public.slow_flag TO vyx_machine;
    CREATE FUNCTION public.slow_insert() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      IF EXISTS (SELECT 1 FROM public.slow_flag) THEN PERFORM pg_sleep(10); END IF;
      RETURN NEW;
    END $$;
    CREATE TRIGGER slow BEFORE INSERT ON public.signals FOR EACH ROW EXECUTE FUNCTION public.slow_insert();
  )sql");
  auto args = run_args(dir, "12000", false);  // serves after the replay: /metrics stays up
  // Long enough for a full batch on a busy machine, shorter than even one row's sleep while the
  // flag is set (with 1 s per row, a batch of one or two rows committed: the test's flake).
  args.insert(args.end(), {"--statement-timeout-ms", "3000"});
  vyx_process run(args, {{"DATABASE_URL", p.cluster.url()}, {"USER_ID", p.user.id}},
                  dir / "run.out");
  REQUIRE(eventually([&] { return run.metric("vyx_postgres_failures_total") >= 2; }, change_limit));
  CHECK(p.count() == 0);
  p.cluster.exec("DELETE FROM public.slow_flag");
  REQUIRE(run.child().wait_for_stderr("replay ended", 120s));
  const bool drained = eventually([&] { return run.metric("vyx_outbox_backlog") == 0; }, 120s);
  INFO(run.child().stderr_text());
  REQUIRE(drained);
  run.child().signal(SIGTERM);
  CHECK(WEXITSTATUS(run.child().wait_exit()) == 0);
  CHECK(run.child().stderr_text().find("statement timeout") != std::string::npos);
  check_same_as_reference(p);
}

TEST_CASE("fault: through PgBouncer in transaction mode") {
  reference();
  platform p;
  pgbouncer bouncer(p.cluster);
  temp_dir dir;
  vyx_process run(run_args(dir, "0", true),
                  {{"DATABASE_URL", bouncer.url()}, {"USER_ID", p.user.id}}, dir / "run.out");
  CHECK(WEXITSTATUS(run.child().wait_exit()) == 0);
  check_same_as_reference(p);
}
