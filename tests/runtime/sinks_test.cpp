// Signal sinks: JSON lines and the SQLite database's tables.
#include <doctest/doctest.h>

#include <sqlite3.h>

#include <algorithm>

#include <cmath>
#include <limits>
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
