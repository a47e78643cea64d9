// End to end: `vyx run` as a real process on a generated replay, its API
// called with every kind of token for HS256, ES256 and RS256, and
// start/stop/execute-immediate acting on the running screening.
#include <doctest/doctest.h>

#include <atomic>
#include <cstdlib>
#include <optional>
#include <regex>
#include <thread>

#include <sqlite3.h>

#include "../runtime/support/child_process.hpp"
#include "../support/eventually.hpp"
#include "http_client.hpp"
#include "shape_check.hpp"
#include "token_factory.hpp"
#include "vyx/runtime/server/http_server.hpp"

namespace {

using vyx::test::child_process;
using vyx::test::claims;
using vyx::test::http_call;
using vyx::test::temp_dir;

const std::string e2e_owner = "9d0c1a7e-1111-4222-8333-444455556666";
const std::string e2e_secret = "end-to-end-jwt-e2e_secret-0123456789abcdef";
const std::string e2e_service_key = "the-service-role-key";

struct e2e_machine {
  temp_dir dir;
  vyx::test::key_pair ec = vyx::test::test_keys::make("ES256", "e2e-ec");
  vyx::test::key_pair rsa = vyx::test::test_keys::make("RS256", "e2e-rsa");
  std::optional<vyx::runtime::http_server> jwks_server;  // serves the JWKS when fetched by URL
  std::optional<child_process> run;
  std::uint16_t port = 0;

  // `jwks_by_url`: the child fetches the JWKS from SUPABASE_JWKS_URL instead of reading a file.
  e2e_machine(const std::string& speed, bool jwks_by_url) {
    std::string out, err;
    REQUIRE(vyx::test::run_to_completion({VYX_GEN_MARKET, "--out", (dir / "market").string(),
                                          "--symbols", "2", "--days", "1"},
                                         dir, out, err) == 0);
    std::filesystem::create_directories(dir / "traders");
    std::filesystem::copy_file(std::string(VYX_API_TEST_PLUGINS) + "/rising.so",
                               dir / "traders/rising.so");
    vyx::test::write_file(dir / "jwks.json", vyx::test::test_keys::jwks({ec, rsa}));
    // The child inherits these (each test case runs in a process of its own under CTest).
    setenv("USER_ID", e2e_owner.c_str(), 1);
    setenv("SUPABASE_JWT_SECRET", e2e_secret.c_str(), 1);
    if (jwks_by_url) {
      const std::string jwks = vyx::test::test_keys::jwks({ec, rsa});
      jwks_server.emplace("127.0.0.1", 0, [jwks](const vyx::runtime::http_request& r) {
        if (r.target != "/auth/v1/.well-known/jwks.json")
          return vyx::runtime::http_reply{404, "text/plain", ""};
        return vyx::runtime::http_reply{200, "application/json", jwks};
      });
      unsetenv("SUPABASE_JWKS_FILE");
      setenv("SUPABASE_JWKS_URL",
             ("http://127.0.0.1:" + std::to_string(jwks_server->port()) +
              "/auth/v1/.well-known/jwks.json")
                 .c_str(),
             1);
    } else {
      unsetenv("SUPABASE_JWKS_URL");
      setenv("SUPABASE_JWKS_FILE", (dir / "jwks.json").c_str(), 1);
    }
    setenv("SUPABASE_SERVICE_KEY", e2e_service_key.c_str(), 1);
    setenv("VYX_API_RATE_PER_SECOND", "100000", 1);
    setenv("VYX_API_BURST", "100000", 1);
    start(speed, "run.out");
  }

  // `vyx run` on the market, traders and database of this machine.
  void start(const std::string& speed, const std::string& output) {
    run.emplace(std::vector<std::string>{VYX_COMMAND, "run", "--replay", (dir / "market").string(),
                                         "--traders", (dir / "traders").string(), "--port", "0",
                                         "--address", "127.0.0.1", "--speed", speed, "--workers",
                                         "1", "--db", (dir / "vyx.db").string()},
                dir / output);
    REQUIRE(run->wait_for_stderr_line("listening on "));
    std::smatch m;
    const std::string text = run->stderr_text();
    REQUIRE(std::regex_search(text, m, std::regex(R"(listening on [0-9.]+:(\d+))")));
    port = static_cast<std::uint16_t>(std::stoi(m[1]));
  }

  ~e2e_machine() {
    if (run) {
      run->signal(SIGTERM);
      const int status = run->wait_exit();
      CHECK(WIFEXITED(status));
      CHECK(WEXITSTATUS(status) == 0);
      // No token text ever reaches the log.
      CHECK(run->stderr_text().find(e2e_secret) == std::string::npos);
      CHECK(run->stderr_text().find("eyJ") == std::string::npos);
    }
  }

  std::string token(const std::string& alg, const claims& c) const {
    if (alg == "HS256") return vyx::test::sign_token(alg, e2e_secret, "", c);
    const auto& key = alg == "ES256" ? ec : rsa;
    return vyx::test::sign_token(alg, key.private_pem, key.kid, c);
  }

  // A token of `kind`: valid, expired, wrongly_signed, wrong_audience, other_user, missing.
  std::string authorization(const std::string& alg, const std::string& kind) const {
    claims c;
    c.sub = e2e_owner;
    if (kind == "missing") return "";
    if (kind == "expired") c.exp_in = -3600;
    if (kind == "wrong_audience") c.aud = "anon";
    if (kind == "other_user") c.sub = "00000000-0000-4000-8000-000000000000";
    if (kind == "wrongly_signed") {
      if (alg == "HS256")
        return "Bearer " + vyx::test::sign_token(alg, "another-e2e_secret", "", c);
      const auto stranger = vyx::test::test_keys::make(alg, alg == "ES256" ? ec.kid : rsa.kid);
      return "Bearer " + vyx::test::sign_token(alg, stranger.private_pem, stranger.kid, c);
    }
    return "Bearer " + token(alg, c);
  }

  vyx::test::api_response call(const std::string& method, const std::string& target,
                               const std::string& authorization = "") const {
    std::vector<std::pair<std::string, std::string>> headers;
    if (!authorization.empty()) headers.emplace_back("Authorization", authorization);
    return http_call(port, method, target, headers);
  }

  long metric(const std::string& name) const {
    const auto text = http_call(port, "GET", "/metrics").body;
    const auto at = text.find("\n" + name + " ");
    return at == std::string::npos ? -1 : std::stol(text.substr(at + name.size() + 2));
  }

  // Whether `done()` held within the run's deadline for a change (a few seconds of replay).
  template <typename Predicate>
  bool eventually(Predicate done) const {
    return vyx::test::eventually(done, std::chrono::seconds(30), std::chrono::milliseconds(20));
  }
};

// One number from the run's SQLite database (read beside the running process: WAL).
long long sqlite_count(const std::filesystem::path& db, const std::string& sql) {
  sqlite3* handle = nullptr;
  long long value = -1;
  if (sqlite3_open_v2(db.c_str(), &handle, SQLITE_OPEN_READONLY, nullptr) == SQLITE_OK) {
    sqlite3_busy_timeout(handle, 5000);
    sqlite3_stmt* st = nullptr;
    if (sqlite3_prepare_v2(handle, sql.c_str(), -1, &st, nullptr) == SQLITE_OK &&
        sqlite3_step(st) == SQLITE_ROW)
      value = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
  }
  sqlite3_close(handle);
  return value;
}

std::size_t count_of_text(const std::string& text, const std::string& what) {
  std::size_t n = 0;
  for (auto at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++n;
  return n;
}

}  // namespace

TEST_CASE("vyx run API: every route with each kind of token, for HS256, ES256 and RS256") {
  e2e_machine m("0", false);
  REQUIRE(m.run->wait_for_stderr("replay ended"));

  for (const char* path : {"/health", "/"}) {
    auto health = m.call("GET", path);
    CHECK(health.status == 200);
    CHECK(vyx::test::shape_mismatch("health", health.body, {"components", "problems"}) == "");
    CHECK(health.body.find(R"("status":"healthy")") != std::string::npos);
    CHECK(health.body.find(R"("user_id":")" + e2e_owner + '"') != std::string::npos);
    for (const char* component : {"feed", "database", "workers", "compile_service"})
      CHECK_MESSAGE(
          std::regex_search(health.body, std::regex(std::string("\"") + component +
                                                    R"re(":\{"status":"(ok|degraded|down)")re")),
          component);
  }
  CHECK(m.call("GET", "/metrics").status == 200);

  const std::vector<std::pair<std::string, std::string>> routes = {
      {"GET", "/api/v1/traders"},
      {"GET", "/api/v1/traders/rising/status"},
      {"POST", "/api/v1/traders/rising/stop"},
      {"POST", "/api/v1/traders/rising/start"},
      {"POST", "/api/v1/traders/rising/reload"},
      {"POST", "/api/v1/traders/rising/execute-immediate"}};
  const std::vector<std::pair<std::string, unsigned>> kinds = {
      {"valid", 200},          {"expired", 401},    {"wrongly_signed", 401},
      {"wrong_audience", 401}, {"other_user", 403}, {"missing", 401}};
  for (const std::string alg : {"HS256", "ES256", "RS256"}) {
    for (const auto& [kind, expected] : kinds) {
      const std::string authorization = m.authorization(alg, kind);
      for (const auto& [method, target] : routes) {
        CAPTURE(alg);
        CAPTURE(kind);
        CAPTURE(target);
        auto r = m.call(method, target, authorization);
        CHECK(r.status == expected);
        if (expected != 200) {
          CHECK(vyx::test::shape_mismatch("error", r.body) == "");
          continue;
        }
        if (target == "/api/v1/traders") {
          CHECK(vyx::test::shape_mismatch("trader_list", r.body) == "");
          CHECK(r.body.find(R"("id":"rising")") != std::string::npos);
        } else if (target.ends_with("execute-immediate")) {
          CHECK(vyx::test::shape_mismatch("execute_immediate", r.body) == "");
          CHECK(r.body.find(R"("traderId":"rising")") != std::string::npos);
          CHECK(r.body.find(R"("totalSymbols":2)") != std::string::npos);
        } else {
          CHECK(vyx::test::shape_mismatch("trader_status", r.body) == "");
          CHECK(r.body.find(R"("user_id":")" + e2e_owner + '"') != std::string::npos);
        }
      }
    }
  }
  // The platform's own calls: the service role key.
  CHECK(m.call("GET", "/api/v1/traders/rising/status", "Bearer " + e2e_service_key).status == 200);
  CHECK(m.call("GET", "/api/v1/traders/nope/status", "Bearer " + e2e_service_key).status == 404);
  CHECK(m.call("GET", "/api/v1/traders/rising/status", "Bearer " + e2e_service_key + "x").status ==
        401);
}

TEST_CASE(
    "vyx run API: stop takes a trader out of screening from the next tick, start puts it back "
    "(JWKS by URL)") {
  // 30 one-minute candles a second: the 1440 of the day last 48 s. The JWKS comes by URL.
  e2e_machine m("1800", true);
  const std::string auth = m.authorization("ES256", "valid");
  const std::string evaluations = "vyx_trader_evaluations_total{trader=\"rising\"}";
  REQUIRE(m.eventually([&] { return m.metric("vyx_ticks_total") >= 30; }));

  const long reloads = m.metric("vyx_reloads_total");
  auto stop = m.call("POST", "/api/v1/traders/rising/stop", auth);
  REQUIRE(stop.status == 200);
  CHECK(stop.body.find(R"("state":"stopped")") != std::string::npos);
  REQUIRE(m.eventually([&] { return m.metric("vyx_reloads_total") > reloads; }));
  // Statuses are published at least every 60 ticks; the reload counter moves
  // just before the new set's statuses are, so the count it stopped at is read
  // after a publication that surely followed the stop.
  const long reloaded_ticks = m.metric("vyx_ticks_total");
  REQUIRE(m.eventually([&] { return m.metric("vyx_ticks_total") > reloaded_ticks + 61; }));
  const long stopped_at = m.metric(evaluations);
  const long ticks = m.metric("vyx_ticks_total");
  // Past another publication, nothing was evaluated.
  REQUIRE(m.eventually([&] { return m.metric("vyx_ticks_total") > ticks + 61; }));
  CHECK(m.metric(evaluations) == stopped_at);
  CHECK(m.call("POST", "/api/v1/traders/rising/execute-immediate", auth).status == 409);

  const long reloads_before_start = m.metric("vyx_reloads_total");
  REQUIRE(m.call("POST", "/api/v1/traders/rising/start", auth).status == 200);
  REQUIRE(m.eventually([&] { return m.metric("vyx_reloads_total") > reloads_before_start; }));
  const long started_ticks = m.metric("vyx_ticks_total");
  REQUIRE(m.eventually([&] { return m.metric("vyx_ticks_total") > started_ticks + 61; }));
  CHECK(m.metric(evaluations) > stopped_at);
  auto status = m.call("GET", "/api/v1/traders/rising/status", auth);
  CHECK(status.body.find(R"("state":"running")") != std::string::npos);

  // Screened now, between two ticks of the running replay.
  auto now = m.call("POST", "/api/v1/traders/rising/execute-immediate", auth);
  CHECK(now.status == 200);
  CHECK(vyx::test::shape_mismatch("execute_immediate", now.body) == "");
  std::smatch count;
  REQUIRE(std::regex_search(now.body, count, std::regex(R"("matchCount":(\d+))")));
  std::size_t symbols = 0;
  for (std::size_t at = 0; (at = now.body.find(R"("symbol":)", at)) != std::string::npos; ++at)
    ++symbols;
  CHECK(symbols == std::stoul(count[1]));
  CHECK(symbols <= 2);
}

TEST_CASE(
    "vyx run stream: signals and statuses arrive, a client that never reads is dropped while "
    "another keeps receiving and screening goes on") {
  setenv("VYX_STREAM_QUEUE_EVENTS", "32", 1);
  setenv("VYX_HTTP_REQUEST_TIMEOUT_MS", "60000", 1);  // a drop here is the queue's, not a deadline's
  e2e_machine m("1800", false);
  const std::vector<std::pair<std::string, std::string>> auth = {
      {"Authorization", m.authorization("HS256", "valid")}};
  vyx::test::sse_client reader(m.port, "/api/v1/stream", auth);
  vyx::test::sse_client stalled(m.port, "/api/v1/stream", auth, 4096);
  REQUIRE(stalled.read_until([](const std::string& r) { return r.find(": connected") != r.npos; },
                             std::chrono::seconds(10)));
  // The reader reads on a thread of its own; the counts it has seen are shared.
  std::atomic<bool> stop_reading{false};
  std::atomic<std::size_t> signals_seen{0}, stops_seen{0};
  std::thread reading([&] {
    reader.read_until(
        [&](const std::string& r) {
          signals_seen = count_of_text(r, "event: signal\n");
          stops_seen = count_of_text(r, R"("state":"stopped")");
          return stop_reading.load();
        },
        std::chrono::seconds(120));
  });
  struct join_reader {
    std::atomic<bool>& stop;
    std::thread& thread;
    ~join_reader() {
      stop = true;
      if (thread.joinable()) thread.join();
    }
  } joiner{stop_reading, reading};

  REQUIRE(m.eventually([&] { return m.metric("vyx_stream_dropped_clients_total") >= 1; }));
  const std::size_t seen_at_drop = signals_seen;
  const long ticks_at_drop = m.metric("vyx_ticks_total");
  CHECK(m.eventually([&] { return m.metric("vyx_ticks_total") > ticks_at_drop + 30; }));
  CHECK(m.eventually([&] { return signals_seen > seen_at_drop + 5; }));
  CHECK(m.metric("vyx_stream_dropped_clients_total") == 1);  // the stalled one only
  CHECK(m.metric("vyx_stream_clients") == 1);

  REQUIRE(m.call("POST", "/api/v1/traders/rising/stop", auth[0].second).status == 200);
  CHECK(m.eventually([&] { return stops_seen >= 1; }));
  stop_reading = true;
  reading.join();

  CHECK_FALSE(reader.closed());
  const auto events = reader.events();
  REQUIRE(!events.empty());
  std::size_t signals = 0, statuses = 0;
  for (const auto& e : events) {
    CAPTURE(e);
    CHECK(std::regex_search(e, std::regex(R"re(^\{"type":"(signal|status|error)","timestamp":"[0-9T:.-]+Z","data":\{.*\}\}$)re")));
    if (e.rfind(R"({"type":"signal")", 0) == 0) {
      ++signals;
      CHECK(e.find(R"("trader":"rising")") != std::string::npos);
      CHECK(e.find(R"("values":{"change":)") != std::string::npos);
    }
    if (e.rfind(R"({"type":"status")", 0) == 0) {
      ++statuses;
      CHECK(e.find(R"("data":{"trader":"rising","state":")") != std::string::npos);
    }
  }
  CHECK(signals > seen_at_drop);
  CHECK(statuses >= 1);
}

TEST_CASE(
    "vyx run API: after SIGKILL the restarted run keeps every signal once and serves its traders "
    "again") {
  e2e_machine m("0", false);
  REQUIRE(m.run->wait_for_stderr("replay ended"));
  const auto db = m.dir / "vyx.db";
  const auto auth = m.authorization("HS256", "valid");
  const long long signals = sqlite_count(db, "SELECT COUNT(*) FROM signals");
  REQUIRE(signals > 0);
  auto stopped = m.call("POST", "/api/v1/traders/rising/stop", auth);
  REQUIRE(stopped.status == 200);
  CHECK(stopped.body.find(R"("state":"stopped")") != std::string::npos);

  // Killed outright: no shutdown path runs.
  m.run->signal(SIGKILL);
  const int killed = m.run->wait_exit();
  REQUIRE(WIFSIGNALED(killed));
  CHECK(WTERMSIG(killed) == SIGKILL);
  m.run.reset();
  CHECK_THROWS(m.call("GET", "/health"));  // nobody listens there any more

  m.start("0", "run2.out");
  REQUIRE(m.run->wait_for_stderr("replay ended"));
  // What was committed survived the kill, and the replayed ticks added no duplicate.
  CHECK(sqlite_count(db, "SELECT COUNT(*) FROM signals") == signals);
  CHECK(sqlite_count(db, "SELECT COUNT(*) FROM (SELECT 1 FROM signals GROUP BY trader, symbol, "
                         "timeframe, close_time HAVING COUNT(*) > 1)") == 0);
  // A stop through the API lasts for the process (as on the platform's
  // machines): the restarted run screens the folder's traders again.
  auto status = m.call("GET", "/api/v1/traders/rising/status", auth);
  CHECK(status.status == 200);
  CHECK(status.body.find(R"("state":"running")") != std::string::npos);
  auto now = m.call("POST", "/api/v1/traders/rising/execute-immediate", auth);
  CHECK(now.status == 200);
  CHECK(now.body.find(R"("totalSymbols":2)") != std::string::npos);
}
