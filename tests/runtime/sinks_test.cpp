// Signal sinks: JSON lines and the SQLite database's tables.
#include <doctest/doctest.h>

#include <sqlite3.h>

#include <algorithm>

#include <cmath>
#include <limits>
#include <span>
#include <sstream>

#include "support/temp_dir.hpp"
#include "vyx/runtime/sinks/jsonl_sink.hpp"
#include "vyx/runtime/sinks/sqlite_sink.hpp"

using namespace vyx::runtime;
using vyx::test::temp_dir;

namespace {

trader_signal sample(const std::string& trader, const std::string& symbol,
                     std::int64_t close_time) {
  trader_signal s;
  s.trader = trader;
  s.symbol = symbol;
  s.timeframe = VYX_TF_5M;
  s.close_time = close_time;
  s.price = 101.25;
  s.values = {{"rsi", 28.5}, {"bad", std::numeric_limits<double>::quiet_NaN()}};
  return s;
}

// Rows of a query as "a|b|c" strings.
std::vector<std::string> query(const std::filesystem::path& db_path, const char* sql) {
  sqlite3* db = nullptr;
  REQUIRE(sqlite3_open(db_path.c_str(), &db) == SQLITE_OK);
  sqlite3_stmt* st = nullptr;
  REQUIRE(sqlite3_prepare_v2(db, sql, -1, &st, nullptr) == SQLITE_OK);
  std::vector<std::string> rows;
  while (sqlite3_step(st) == SQLITE_ROW) {
    std::string row;
    for (int c = 0; c < sqlite3_column_count(st); ++c) {
      if (c) row += '|';
      const unsigned char* t = sqlite3_column_text(st, c);
      row += t ? reinterpret_cast<const char*>(t) : "NULL";
    }
    rows.push_back(row);
  }
  sqlite3_finalize(st);
  sqlite3_close(db);
  return rows;
}

}  // namespace

TEST_CASE(
    "a JSON line carries trader, symbol, timeframe, candle, price and values - NaN becomes null") {
  std::ostringstream out;
  jsonl_sink sink(out);
  sink.write(sample("rsi \"dip\"", "BTCUSDT", 1'700'000'299'999));
  sink.flush();
  CHECK(out.str() ==
        "{\"trader\":\"rsi "
        "\\\"dip\\\"\",\"symbol\":\"BTCUSDT\",\"timeframe\":\"5m\",\"close_time\":1700000299999,"
        "\"time\":\"2023-11-14T22:18:19.999Z\",\"price\":101.25,\"values\":{\"rsi\":28.5,\"bad\":"
        "null}}\n");
}

TEST_CASE(
    "a tick written at once, formatted by several threads, is the same lines in the same order") {
  // Enough signals for the parallel path, with close times, names and
  // values that differ, so a piece out of place or a time formatted for
  // another thread's signal shows.
  std::vector<trader_signal> signals;
  for (int i = 0; i < 20'000; ++i) {
    trader_signal s = sample("t" + std::to_string(i / 500), "S" + std::to_string(i % 500) + "USDT",
                             1'700'000'299'999 + 300'000 * static_cast<std::int64_t>(i % 3));
    s.price = 100 + i * 0.01;
    s.values.push_back({"n" + std::to_string(i % 11), i / 7.0});
    signals.push_back(std::move(s));
  }
  std::vector<const trader_signal*> batch;
  for (const auto& s : signals) batch.push_back(&s);
  std::ostringstream one_by_one, at_once;
  {
    jsonl_sink sink(one_by_one);
    for (const auto& s : signals) sink.write(s);
    sink.flush();
  }
  {
    jsonl_sink sink(at_once);
    sink.write(signals.front());  // a line pending before the batch goes before it
    sink.write_all(batch);
    sink.write_all(std::span(batch).first(3));  // a small batch, one by one
    sink.flush();
  }
  std::string expected = one_by_one.str();
  const std::string first_line = expected.substr(0, expected.find('\n') + 1);
  std::string three;
  for (std::size_t at = 0, i = 0; i < 3; ++i) {
    const std::size_t end = expected.find('\n', at) + 1;
    three += expected.substr(at, end - at);
    at = end;
  }
  CHECK(at_once.str() == first_line + expected + three);
}

TEST_CASE("a JSON line's time is printf's form at any close time") {
  // The sinks format times by calendar arithmetic; iso8601_utc is gmtime_r
  // and printf, the form every line had before.
  const std::int64_t times[] = {0,
                                1,
                                999,
                                1'700'000'299'999,
                                951'782'400'000,      // 2000-02-29
                                4'107'542'399'999,    // 2100-02-28T23:59:59.999
                                4'107'542'400'000,    // 2100-03-01 (not a leap year)
                                253'402'300'799'999,  // 9999-12-31T23:59:59.999
                                253'402'300'800'000,  // year 10000: printf's form
                                -1,
                                -86'400'001};
  for (std::int64_t t : times) {
    std::string appended;
    append_iso8601_utc(appended, t);
    CHECK_MESSAGE(appended == iso8601_utc(t), t);
  }
  for (std::int64_t t = 0; t < 4'200'000'000'000; t += 7'777'777'777) {
    std::string appended;
    append_iso8601_utc(appended, t);
    REQUIRE(appended == iso8601_utc(t));
  }
}

TEST_CASE("JSON lines escape what they always escaped, and every line is written by a flush or the end") {
  trader_signal s = sample("a<b>&\"c\\\n\r\t\x01\x7f\xe2\x80\xa8\xff\xc3\xa9", "X", 1);
  s.values = {{"inf", std::numeric_limits<double>::infinity()}, {"v", -0.5}};
  CHECK(to_json(s) ==
        "{\"trader\":\"a\\u003cb\\u003e\\u0026\\\"c\\\\\\n\\r\\t\\u0001\\u007f\\u2028\\ufffd\xc3\xa9\","
        "\"symbol\":\"X\",\"timeframe\":\"5m\",\"close_time\":1,\"time\":\"1970-01-01T00:00:00.001Z\","
        "\"price\":101.25,\"values\":{\"inf\":null,\"v\":-0.5}}");
  std::ostringstream out;
  {
    jsonl_sink sink(out);
    for (int i = 0; i < 1000; ++i) sink.write(sample("t", "S" + std::to_string(i), i));
    sink.flush();
    const std::string flushed = out.str();
    CHECK(std::count(flushed.begin(), flushed.end(), '\n') == 1000);
    sink.write(sample("t", "last", 1));  // written when the sink goes, as a file's would be
  }
  const std::string text = out.str();
  CHECK(std::count(text.begin(), text.end(), '\n') == 1001);
  CHECK(text.rfind("\"symbol\":\"last\"") > text.rfind("\"symbol\":\"S999\""));
}

TEST_CASE("a JSON-lines file sink appends") {
  temp_dir dir;
  {
    jsonl_sink sink(dir / "signals.jsonl");
    sink.write(sample("a", "X", 1));
  }
  {
    jsonl_sink sink(dir / "signals.jsonl");
    sink.write(sample("b", "Y", 2));
  }
  auto text = vyx::test::read_file(dir / "signals.jsonl");
  CHECK(std::count(text.begin(), text.end(), '\n') == 2);
  CHECK(text.find("\"trader\":\"b\"") != std::string::npos);
  CHECK_THROWS(jsonl_sink(dir / "no/such/dir/x.jsonl"));
}

TEST_CASE("SQLite keeps one row per (trader, symbol, timeframe, candle) with values as JSON") {
  temp_dir dir;
  auto db = dir / "vyx.db";
  {
    sqlite_sink sink(db);
    sink.write(sample("t1", "BTCUSDT", 1000));
    sink.write(sample("t1", "BTCUSDT", 1000));  // the same candle again
    sink.write(sample("t1", "ETHUSDT", 1000));
    sink.write(sample("t2", "BTCUSDT", 2000));
    CHECK(sink.pending() == 4);
    sink.flush();
    CHECK(sink.pending() == 0);
  }
  auto rows = query(
      db, "SELECT trader, symbol, timeframe, close_time, price, vals FROM signals ORDER BY id");
  REQUIRE(rows.size() == 3);
  CHECK(rows[0] == "t1|BTCUSDT|5m|1000|101.25|{\"rsi\":28.5,\"bad\":null}");
  CHECK(rows[1].rfind("t1|ETHUSDT|5m|1000|", 0) == 0);
  CHECK(rows[2].rfind("t2|BTCUSDT|5m|2000|", 0) == 0);
}

TEST_CASE("a batch is written when it fills, and the destructor writes the rest") {
  temp_dir dir;
  auto db = dir / "vyx.db";
  {
    sqlite_sink sink(db);
    for (std::size_t i = 0; i < sqlite_sink::batch_size + 3; ++i)
      sink.write(sample("t", "S", static_cast<std::int64_t>(i)));
    CHECK(sink.pending() == 3);
    CHECK(query(db, "SELECT COUNT(*) FROM signals")[0] == std::to_string(sqlite_sink::batch_size));
  }
  CHECK(query(db, "SELECT COUNT(*) FROM signals")[0] ==
        std::to_string(sqlite_sink::batch_size + 3));
}

TEST_CASE("trader statuses are replaced as a set and read back with quarantine reasons") {
  temp_dir dir;
  auto db = dir / "vyx.db";
  sqlite_sink sink(db);
  trader_status ok;
  ok.id = "momentum";
  ok.loaded = true;
  ok.required_timeframes = (1u << VYX_TF_5M) | (1u << VYX_TF_1H);
  ok.history_bars = 200;
  ok.evaluations = 1200;
  ok.matches = 4;
  trader_status bad = ok;
  bad.id = "attacker";
  bad.quarantined = true;
  bad.reason = "3 faults in 60 min: seccomp: openat";
  bad.faults = 3;
  trader_status gone = ok;
  gone.id = "removed";
  sink.write_statuses({ok, gone});
  sink.write_statuses({ok, bad});
  sink.write(sample("momentum", "BTCUSDT", 5));
  sink.flush();

  auto statuses = read_statuses(db);
  REQUIRE(statuses.size() == 2);
  CHECK(statuses[0].status.id == "attacker");
  CHECK(statuses[0].status.quarantined);
  CHECK(statuses[0].status.reason == "3 faults in 60 min: seccomp: openat");
  CHECK(statuses[0].status.faults == 3);
  CHECK(statuses[1].status.id == "momentum");
  CHECK(statuses[1].status.required_timeframes == ok.required_timeframes);
  CHECK(statuses[1].status.evaluations == 1200);
  CHECK(statuses[1].signals == 1);
  CHECK(statuses[1].updated_at > 0);
  CHECK(query(db, "SELECT timeframes FROM trader_status WHERE trader='momentum'")[0] == "5m,1h");
}

TEST_CASE("reading statuses from a missing database is a clear error") {
  temp_dir dir;
  CHECK_THROWS_WITH_AS(read_statuses(dir / "none.db"), doctest::Contains("none.db"),
                       std::runtime_error);
}
