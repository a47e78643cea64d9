// The analysis queue end to end against the mock provider: the sink enqueues
// (as the scheduler's thread does), the queue's threads ask the mock, and
// the SQLite file is the truth the tests read.
#include <doctest/doctest.h>
#include <sqlite3.h>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>

#include <algorithm>
#include <future>
#include <map>
#include <set>
#include <thread>

#include "../support/eventually.hpp"
#include "mock_provider.hpp"
#include "temp_dir.hpp"
#include "vyx/runtime/analysis/analysis_queue.hpp"
#include "vyx/runtime/analysis/analysis_sink.hpp"
#include "vyx/runtime/sinks/sqlite_sink.hpp"

using namespace vyx::runtime;
using vyx::test::answer;
using vyx::test::mock_action;
using vyx::test::mock_provider;
using vyx::test::verdict_text;
using namespace std::chrono_literals;

namespace {

constexpr std::int64_t five_minutes = 300'000;
constexpr std::int64_t first_close = 1'700'000'100'000 - 1;  // a 5m boundary minus 1 ms

struct market {
  candle_store store = candle_store::create({{"BTCUSDT", "ETHUSDT"}, 1u << VYX_TF_5M, 100});
  market() {
    for (std::size_t s = 0; s < 2; ++s)
      for (int i = 0; i < 60; ++i) {
        candle c;
        c.close_time = first_close + i * five_minutes;
        c.open_time = c.close_time + 1 - five_minutes;
        c.open = 100 + i;
        c.close = c.high = 101 + i;
        c.low = 99 + i;
        c.volume = 10;
        store.append(s, VYX_TF_5M, c);
      }
  }
};

trader_signal make_signal(const std::string& trader, const std::string& symbol, int candle) {
  trader_signal s;
  s.trader = trader;
  s.symbol = symbol;
  s.timeframe = VYX_TF_5M;
  s.close_time = first_close + candle * five_minutes;
  s.price = 101 + candle;
  s.values = {{"rsi", 71.5}, {"ema_50", 99.25}};
  return s;
}

// A: analysed. B: tier not allowed. C: auto-analysis off. Others: unknown traders.
std::optional<analysis_subject> platform_owners(const std::string& trader) {
  static const std::map<std::string, analysis_subject> owners = {
      {"A", {"user-1", "Elite", true, "Buy strength after a breakout."}},
      {"A2", {"user-2", "ELITE", true, ""}},
      {"B", {"user-3", "pro", true, "x"}},
      {"C", {"user-1", "elite", false, "x"}},
  };
  auto found = owners.find(trader);
  if (found == owners.end()) return std::nullopt;
  return found->second;
}

analysis_queue_options fast_options(const std::filesystem::path& db, const std::string& url) {
  analysis_queue_options o;
  o.database = db;
  o.provider.url = url;
  o.provider.api_key = "test-key";
  o.provider.model = "test/model";
  o.provider.temperature = 0.3;
  o.provider.timeout = 2000ms;
  o.concurrency = 2;
  o.requests_per_minute = 60'000;
  o.backoff_base = 20ms;
  o.backoff_cap = 200ms;
  o.breaker_threshold = 3;
  o.breaker_cooldown = 100ms;
  return o;
}

std::int64_t query_int(const std::filesystem::path& db, const std::string& sql) {
  sqlite3* handle = nullptr;
  REQUIRE(sqlite3_open(db.c_str(), &handle) == SQLITE_OK);
  sqlite3_busy_timeout(handle, 5000);
  sqlite3_stmt* st = nullptr;
  REQUIRE(sqlite3_prepare_v2(handle, sql.c_str(), -1, &st, nullptr) == SQLITE_OK);
  std::int64_t value = -1;
  if (sqlite3_step(st) == SQLITE_ROW) value = sqlite3_column_int64(st, 0);
  sqlite3_finalize(st);
  sqlite3_close(handle);
  return value;
}

std::int64_t analyses(const std::filesystem::path& db) { return query_int(db, "SELECT COUNT(*) FROM signal_analyses"); }
std::int64_t in_state(const std::filesystem::path& db, const char* state) {
  return query_int(db, std::string("SELECT COUNT(*) FROM analysis_queue WHERE state = '") + state + "'");
}

// Both analysis test files poll with the same deadline.
template <class Condition>
bool eventually(Condition done) {
  return vyx::test::eventually(done, 20s);
}

void write_all(signal_sink& sink, const std::vector<trader_signal>& signals) {
  for (const auto& s : signals) sink.write(s);
  sink.flush();
}

std::uint16_t closed_port() {
  boost::asio::io_context io;
  boost::asio::ip::tcp::acceptor acceptor(io, {boost::asio::ip::make_address("127.0.0.1"), 0});
  return acceptor.local_endpoint().port();  // closed when the acceptor goes
}

}  // namespace

TEST_CASE("analysis: one stored analysis per eligible signal, none for ineligible ones") {
  vyx::test::temp_dir dir;
  const auto db = dir / "vyx.db";
  market m;
  mock_provider provider([](std::size_t, const vyx::test::mock_request&) {
    return answer(verdict_text("enter_trade", 77, "momentum confirmed"));
  });
  analysis_queue queue(fast_options(db, provider.url()));
  sqlite_sink signals(db);
  analysis_sink sink(m.store, platform_owners, &queue, db, 1000);
  std::vector<trader_signal> batch = {
      make_signal("A", "BTCUSDT", 50), make_signal("A", "ETHUSDT", 50), make_signal("A", "BTCUSDT", 51),
      make_signal("B", "BTCUSDT", 50), make_signal("C", "BTCUSDT", 50), make_signal("Z", "BTCUSDT", 50),
      make_signal("A", "BTCUSDT", 50),  // the same signal again (a replay): still one analysis
  };
  write_all(signals, batch);
  write_all(sink, batch);
  REQUIRE(eventually([&] { return analyses(db) == 3 && in_state(db, "pending") == 0; }));

  CHECK(in_state(db, "done") == 3);
  CHECK(query_int(db, "SELECT COUNT(*) FROM analysis_queue WHERE trader <> 'A'") == 0);
  CHECK(query_int(db, "SELECT COUNT(*) FROM signal_analyses WHERE trader = 'A' AND user_id = 'user-1' "
                      "AND decision = 'enter_trade' AND confidence = 77 AND reasoning = 'momentum confirmed' "
                      "AND model = 'test/model'") == 3);
  // Linked to the signals sink's rows in the same file.
  CHECK(query_int(db, "SELECT COUNT(*) FROM signal_analyses a JOIN signals s ON s.id = a.signal_id") == 3);
  const auto requests = provider.requests();
  CHECK(requests.size() == 3);
  for (const auto& r : requests) {
    CHECK(r.authorization == "Bearer test-key");
    CHECK(r.model == "test/model");
    CHECK(r.temperature == doctest::Approx(0.3));
    CHECK_FALSE(r.signal.empty());
  }
  const auto stats = sink.stats();
  CHECK(stats.enqueued == 3);
  CHECK(stats.duplicates == 1);
  CHECK(stats.ineligible == 3);
}

TEST_CASE("analysis: malformed model output is never stored and the job fails after its attempts") {
  vyx::test::temp_dir dir;
  const auto db = dir / "vyx.db";
  market m;
  const std::map<std::string, std::string> bad = {
      {"BTCUSDT|" + std::to_string(first_close + 50 * five_minutes), "I would enter this trade."},
      {"BTCUSDT|" + std::to_string(first_close + 51 * five_minutes), verdict_text("buy", 50, "r")},
      {"BTCUSDT|" + std::to_string(first_close + 52 * five_minutes), verdict_text("wait", 140, "r")},
      {"BTCUSDT|" + std::to_string(first_close + 53 * five_minutes),
       R"({"decision":"wait","confidence":50,"reasoning":"r","position_size":"all in"})"},
  };
  mock_provider provider([&](std::size_t, const vyx::test::mock_request& r) {
    auto found = bad.find(r.signal);
    if (found != bad.end()) return answer(found->second);
    mock_action broken;  // a body that is not an envelope at all
    broken.raw_body = "not json";
    return broken;
  });
  auto options = fast_options(db, provider.url());
  options.max_attempts = 2;
  analysis_queue queue(options);
  analysis_sink sink(m.store, platform_owners, &queue, db, 1000);
  std::vector<trader_signal> batch;
  for (int i = 50; i < 55; ++i) batch.push_back(make_signal("A", "BTCUSDT", i));
  write_all(sink, batch);
  REQUIRE(eventually([&] { return in_state(db, "failed") == 5; }));
  CHECK(analyses(db) == 0);
  CHECK(provider.requests().size() == 10);  // two attempts each
  CHECK(queue.stats().invalid_output == 10);
  CHECK(queue.stats().breaker_opened == 0);  // the provider answered: not its failure
}

TEST_CASE("analysis: a 429 storm pauses every request for Retry-After, then each signal is stored once") {
  vyx::test::temp_dir dir;
  const auto db = dir / "vyx.db";
  market m;
  mock_provider provider([](std::size_t index, const vyx::test::mock_request&) {
    if (index < 3) {
      mock_action limited;
      limited.status = 429;
      limited.retry_after = 1;
      return limited;
    }
    return answer(verdict_text("wait", 40, "no volume yet"));
  });
  analysis_queue queue(fast_options(db, provider.url()));
  analysis_sink sink(m.store, platform_owners, &queue, db, 1000);
  std::vector<trader_signal> batch;
  for (int i = 50; i < 54; ++i) batch.push_back(make_signal("A", "ETHUSDT", i));
  write_all(sink, batch);
  REQUIRE(eventually([&] { return analyses(db) == 4 && in_state(db, "pending") == 0; }));
  CHECK(in_state(db, "done") == 4);
  CHECK(queue.stats().throttled >= 1);
  // Requests after the first 429 came only once its Retry-After had passed.
  const auto requests = provider.requests();
  REQUIRE(requests.size() >= 5);
  const auto first_refusal = requests[0].at;
  for (std::size_t i = 3; i < requests.size(); ++i)
    CHECK(requests[i].at - first_refusal >= 990ms);
}

TEST_CASE("analysis: request starts are spaced by the requests-per-minute limit, whatever the concurrency") {
  vyx::test::temp_dir dir;
  const auto db = dir / "vyx.db";
  market m;
  mock_provider provider([](std::size_t, const vyx::test::mock_request&) {
    return answer(verdict_text("wait", 45, "spaced"));
  });
  auto options = fast_options(db, provider.url());
  options.requests_per_minute = 300;  // one start every 200 ms
  options.concurrency = 4;
  analysis_queue queue(options);
  analysis_sink sink(m.store, platform_owners, &queue, db, 1000);
  std::vector<trader_signal> batch;
  for (int i = 60; i < 64; ++i) batch.push_back(make_signal("A", "BTCUSDT", i));
  write_all(sink, batch);
  REQUIRE(eventually([&] { return analyses(db) == 4 && in_state(db, "pending") == 0; }));
  auto requests = provider.requests();
  REQUIRE(requests.size() >= 4);  // a retry on a loaded machine only spreads them more
  std::sort(requests.begin(), requests.end(), [](const auto& a, const auto& b) { return a.at < b.at; });
  // Read at arrival, so a first request delayed on a loaded machine shortens
  // the span: 600 ms of spacing, checked with 150 ms to spare. Unspaced, the
  // four would arrive together.
  CHECK(requests.back().at - requests.front().at >= 450ms);
}

TEST_CASE("analysis: a provider that hangs times out and is retried and the analysis is stored once") {
  vyx::test::temp_dir dir;
  const auto db = dir / "vyx.db";
  market m;
  mock_provider provider([](std::size_t index, const vyx::test::mock_request&) {
    if (index < 2) return vyx::test::hang();
    return answer(verdict_text("bad_setup", 12, "overextended"));
  });
  auto options = fast_options(db, provider.url());
  options.provider.timeout = 300ms;
  analysis_queue queue(options);
  analysis_sink sink(m.store, platform_owners, &queue, db, 1000);
  write_all(sink, {make_signal("A", "BTCUSDT", 55), make_signal("A2", "ETHUSDT", 55)});
  REQUIRE(eventually([&] { return analyses(db) == 2 && in_state(db, "pending") == 0; }));
  CHECK(query_int(db, "SELECT COUNT(*) FROM signal_analyses WHERE decision = 'bad_setup'") == 2);
  CHECK(queue.stats().retries >= 2);
  CHECK(query_int(db, "SELECT MIN(attempts) FROM analysis_queue") >= 2);
}

TEST_CASE("analysis: provider down for the whole run: the breaker opens, nothing is stored or lost") {
  vyx::test::temp_dir dir;
  const auto db = dir / "vyx.db";
  market m;
  std::vector<trader_signal> batch;
  for (int i = 50; i < 56; ++i) batch.push_back(make_signal("A", "BTCUSDT", i));
  {
    auto options = fast_options(db, "http://127.0.0.1:" + std::to_string(closed_port()) + "/api/v1");
    options.max_attempts = 1000;
    analysis_queue queue(options);
    analysis_sink sink(m.store, platform_owners, &queue, db, 1000);
    write_all(sink, batch);
    REQUIRE(eventually([&] { return queue.stats().breaker_opened >= 1 && queue.stats().requests >= 6; }));
    CHECK(analyses(db) == 0);
    CHECK(in_state(db, "pending") == 6);
  }
  // The next process, with the provider back: every signal analysed once.
  mock_provider provider([](std::size_t, const vyx::test::mock_request&) {
    return answer(verdict_text("enter_trade", 90, "ok"));
  });
  analysis_queue queue(fast_options(db, provider.url()));
  REQUIRE(eventually([&] { return analyses(db) == 6 && in_state(db, "pending") == 0; }));
  CHECK(provider.requests().size() == 6);
}

TEST_CASE("analysis: restart mid-queue: requests in flight are abandoned, then each signal is stored once") {
  vyx::test::temp_dir dir;
  const auto db = dir / "vyx.db";
  market m;
  std::vector<trader_signal> batch;
  for (int i = 40; i < 48; ++i) batch.push_back(make_signal("A", i % 2 ? "BTCUSDT" : "ETHUSDT", i));
  {
    // The first process: two answered, then the provider hangs and the queue is destroyed mid-flight.
    mock_provider stuck([](std::size_t index, const vyx::test::mock_request&) {
      if (index < 2) return answer(verdict_text("wait", 50, "first run"));
      return vyx::test::hang();
    });
    auto options = fast_options(db, stuck.url());
    options.provider.timeout = 60s;
    auto queue = std::make_unique<analysis_queue>(options);
    analysis_sink sink(m.store, platform_owners, queue.get(), db, 1000);
    write_all(sink, batch);
    REQUIRE(stuck.wait_requests(4, 20s));  // two stored, two hanging in flight
    REQUIRE(eventually([&] { return analyses(db) == 2; }));
    queue.reset();  // returns although two requests hang: they are cancelled
    CHECK(in_state(db, "pending") == 6);
  }
  std::set<std::string> answered_first;
  {
    sqlite3* handle = nullptr;
    REQUIRE(sqlite3_open(db.c_str(), &handle) == SQLITE_OK);
    sqlite3_stmt* st = nullptr;
    REQUIRE(sqlite3_prepare_v2(handle, "SELECT symbol || '|' || close_time FROM signal_analyses", -1, &st, nullptr) == SQLITE_OK);
    while (sqlite3_step(st) == SQLITE_ROW) answered_first.insert(reinterpret_cast<const char*>(sqlite3_column_text(st, 0)));
    sqlite3_finalize(st);
    sqlite3_close(handle);
  }
  REQUIRE(answered_first.size() == 2);
  mock_provider provider([](std::size_t, const vyx::test::mock_request&) {
    return answer(verdict_text("enter_trade", 60, "second run"));
  });
  {
    analysis_queue queue(fast_options(db, provider.url()));
    // The same signals written again after the restart (a replayed tick) are not queued twice.
    analysis_sink sink(m.store, platform_owners, &queue, db, 1000);
    write_all(sink, batch);
    CHECK(sink.stats().duplicates == batch.size());
    REQUIRE(eventually([&] { return analyses(db) == 8 && in_state(db, "pending") == 0; }));
  }
  CHECK(query_int(db, "SELECT COUNT(DISTINCT signal_key) FROM signal_analyses") == 8);
  CHECK(query_int(db, "SELECT COUNT(*) FROM signal_analyses WHERE reasoning = 'first run'") == 2);
  const auto second = provider.requests();
  CHECK(second.size() == 6);
  for (const auto& r : second) CHECK(answered_first.count(r.signal) == 0);
}

TEST_CASE("analysis: signals past the owner's daily budget are skipped, other owners unaffected") {
  vyx::test::temp_dir dir;
  const auto db = dir / "vyx.db";
  market m;
  mock_provider provider([](std::size_t, const vyx::test::mock_request&) {
    return answer(verdict_text("wait", 30, "budget test"));
  });
  auto options = fast_options(db, provider.url());
  options.daily_budget = 2;
  options.concurrency = 1;
  analysis_queue queue(options);
  analysis_sink sink(m.store, platform_owners, &queue, db, 1000);
  write_all(sink, {make_signal("A", "BTCUSDT", 50), make_signal("A", "BTCUSDT", 51), make_signal("A", "BTCUSDT", 52),
                   make_signal("A", "BTCUSDT", 53), make_signal("A2", "BTCUSDT", 50)});
  REQUIRE(eventually([&] { return in_state(db, "pending") == 0; }));
  CHECK(query_int(db, "SELECT COUNT(*) FROM signal_analyses WHERE user_id = 'user-1'") == 2);
  CHECK(query_int(db, "SELECT COUNT(*) FROM signal_analyses WHERE user_id = 'user-2'") == 1);
  CHECK(in_state(db, "skipped") == 2);
  CHECK(provider.requests().size() == 3);
  CHECK(queue.stats().over_budget == 2);
}

TEST_CASE("analysis: the sink's enqueue never waits for the provider, and a full queue drops") {
  vyx::test::temp_dir dir;
  const auto db = dir / "vyx.db";
  market m;
  mock_provider provider([](std::size_t, const vyx::test::mock_request&) { return vyx::test::hang(); });
  auto options = fast_options(db, provider.url());
  options.provider.timeout = 60s;
  options.concurrency = 1;
  analysis_queue queue(options);
  analysis_sink sink(m.store, platform_owners, &queue, db, 20);
  sink.write(make_signal("A", "BTCUSDT", 10));
  sink.flush();
  REQUIRE(provider.wait_requests(1, 20s));  // the only worker is now stuck in a request
  // The scheduler's side, on another thread: it completes while the provider hangs.
  auto screening = std::async(std::launch::async, [&] {
    std::vector<trader_signal> tick;
    for (int i = 11; i < 60; ++i) tick.push_back(make_signal("A", "ETHUSDT", i));
    write_all(sink, tick);
    return sink.stats();
  });
  REQUIRE(screening.wait_for(20s) == std::future_status::ready);
  const auto stats = screening.get();
  CHECK(stats.enqueued == 20);
  CHECK(stats.dropped == 30);  // past max_pending
  CHECK(in_state(db, "pending") == 20);
  CHECK(provider.requests().size() == 1);
  CHECK(analyses(db) == 0);
}

TEST_CASE("analysis: the provider URL must be https, or http to a loopback address") {
  provider_options o;
  o.api_key = "k";
  o.url = "http://openrouter.ai/api/v1";
  CHECK_THROWS_AS(provider_client{o}, std::invalid_argument);
  o.url = "ftp://127.0.0.1/x";
  CHECK_THROWS_AS(provider_client{o}, std::invalid_argument);
  o.url = "not a url";
  CHECK_THROWS_AS(provider_client{o}, std::invalid_argument);
  o.url = "http://127.0.0.1:9/api/v1";
  CHECK_NOTHROW(provider_client{o});
  o.url = "https://openrouter.ai/api/v1";
  CHECK_NOTHROW(provider_client{o});
}

TEST_CASE("analysis: the provider client reads Retry-After, refuses an unreadable CA file, and cancel_all ends a hanging call") {
  provider_options o;
  o.api_key = "k";
  o.url = "https://openrouter.ai/api/v1";
  o.ca_file = "/nonexistent/ca.pem";
  CHECK_THROWS_AS(provider_client{o}, std::invalid_argument);

  mock_provider provider([](std::size_t index, const vyx::test::mock_request&) {
    if (index == 0) {
      mock_action limited = answer("{}");
      limited.status = 429;
      limited.retry_after = 7;
      return limited;
    }
    return vyx::test::hang();
  });
  o.url = provider.url();
  o.ca_file.clear();
  o.timeout = 60s;
  provider_client client(o);
  const auto limited = client.post("{}");
  CHECK(limited.status == 429);
  CHECK(limited.retry_after == 7s);
  CHECK(limited.error.empty());

  const auto started = std::chrono::steady_clock::now();
  auto hanging = std::async(std::launch::async, [&] { return client.post("{}"); });
  REQUIRE(provider.wait_requests(2, 20s));
  client.cancel_all();
  REQUIRE(hanging.wait_for(20s) == std::future_status::ready);
  const auto reply = hanging.get();
  CHECK(reply.status == 0);
  CHECK(reply.error == "cancelled");
  CHECK(std::chrono::steady_clock::now() - started < 30s);  // not the 60 s deadline
  CHECK(client.post("{}").error == "cancelled");           // later calls fail at once
}
