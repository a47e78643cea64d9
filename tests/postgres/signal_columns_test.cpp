// The shipper's COPY columns (runtime/src/sinks/signal_columns.hpp): an
// outbox row split on the client must reach Postgres as the earlier
// jsonb_to_recordset statement read it, escapes included.
#include <doctest/doctest.h>

#include <pqxx/pqxx>

#include "pg_cluster.hpp"
#include "platform_db.hpp"
#include "sinks/signal_columns.hpp"
#include "temp_dir.hpp"
#include "vyx/runtime/sinks/outbox.hpp"
#include "vyx/runtime/sinks/postgres_outbox_sink.hpp"

using namespace vyx::test;
using namespace vyx::runtime;
using namespace std::chrono_literals;

namespace {

std::size_t column_of(std::string_view name) {
  for (std::size_t i = 0; i < signal_copy_columns.size(); ++i)
    if (name == signal_copy_columns[i]) return i;
  FAIL("no column " << name);
  return 0;
}

signal_columns split_one_row(const std::string& row) {
  std::vector<signal_columns> out;
  std::string error;
  REQUIRE(split_signal_rows({row}, out, error));
  REQUIRE(out.size() == 1);
  return out[0];
}

// A row as signal_row_renderer writes it, with names that need escaping in
// JSON and in COPY's text format (tab, newline, backslash, quote, non-ASCII).
std::string escaped_signal_row(const std::string& trader, const std::string& user, int candle) {
  return R"({"trader_id":")" + trader + R"(","user_id":")" + user +
         R"(","symbol":"BTCUSDT","interval":"1m","timestamp":"2024-03-01T00:0)" +
         std::to_string(candle) + R"(:59.999Z","candle_time":"2024-03-01T00:0)" +
         std::to_string(candle) +
         R"(:59.999Z","price_at_signal":101.25,"change_percent_at_signal":-2.5e-3,)"
         R"("volume_at_signal":123456,"fly_app_id":null,"indicator_data":{"a\tb\\c\"d\ne \u00e9 ü":)"
         R"([{"x":1709251259999,"y":null}],"klines":[{"x":1,"o":1.5,"h":2,"l":1,"c":1.75,"v":0}]}})";
}

}  // namespace

TEST_CASE("signal columns: a rendered row splits into COPY's columns as written") {
  const std::string row = escaped_signal_row(R"(t-1\\x)", "u-2", 3);  // an escaped backslash
  const auto columns = split_one_row(row);
  CHECK(columns.values[column_of("trader_id")] == R"(t-1\x)");  // unescaped from JSON
  CHECK(columns.values[column_of("symbol")] == "BTCUSDT");
  CHECK(columns.values[column_of("candle_time")] == "2024-03-01T00:03:59.999Z");
  CHECK(columns.values[column_of("change_percent_at_signal")] == "-2.5e-3");  // as written
  CHECK(columns.values[column_of("volume_at_signal")] == "123456");
  CHECK(columns.null[column_of("fly_app_id")]);
  CHECK_FALSE(columns.null[column_of("user_id")]);
  // indicator_data is the object's JSON text, byte for byte.
  const auto data = columns.values[column_of("indicator_data")];
  CHECK(row.find(data) != std::string::npos);
  CHECK(data.front() == '{');
  CHECK(data.back() == '}');
}

TEST_CASE("signal columns: missing keys are NULL, other keys ignored, a string stays JSON") {
  const auto columns = split_one_row(
      R"({"extra":{"nested":[1,2]},"symbol":"ETHUSDT","indicator_data":"text","price_at_signal":7})");
  CHECK(columns.values[column_of("symbol")] == "ETHUSDT");
  CHECK(columns.values[column_of("price_at_signal")] == "7");
  CHECK(columns.values[column_of("indicator_data")] == "\"text\"");  // a jsonb string
  CHECK(columns.null[column_of("trader_id")]);
  CHECK(columns.null[column_of("interval")]);
  CHECK_FALSE(columns.null[column_of("symbol")]);
}

TEST_CASE("signal columns: a row that is not a JSON object is refused, naming it") {
  for (const std::string bad : {"{not json", "[1,2]", "\"x\"", "{\"symbol\":\"a\"} trailing",
                                R"({"symbol":"a\u0000b"})", ""}) {
    CAPTURE(bad);
    std::vector<signal_columns> out;
    std::string error;
    CHECK_FALSE(split_signal_rows({R"({"symbol":"ok"})", bad}, out, error));
    CHECK(error.find("row 2") != std::string::npos);
  }
}

TEST_CASE("signal columns: COPY stores what jsonb_to_recordset stored, escapes included") {
  pg_cluster cluster;
  apply_platform_schema(cluster);
  apply_migrations(cluster);
  const auto user = create_user(cluster, "columns");
  const auto trader = insert_trader(cluster, user.id, "columns", R"({"code":"x"})");
  temp_dir dir;
  std::vector<std::string> rows;
  for (int candle = 0; candle < 5; ++candle)
    rows.push_back(escaped_signal_row(trader, user.id, candle));
  {
    outbox box(dir / "outbox.db");
    std::string error;
    REQUIRE(box.append(rows, error));
  }
  candle_store_layout layout;
  layout.symbols = {"BTCUSDT"};
  layout.timeframes = 1u << VYX_TF_1M;
  layout.capacity = 10;
  auto store = candle_store::create(layout);
  postgres_sink_options options;
  options.database.url = cluster.url(user.role);  // a machine role: TEMP is enough
  options.outbox_file = dir / "outbox.db";
  options.rows.user_id = user.id;
  options.batch_delay = 20ms;
  postgres_outbox_sink sink(store, options);
  REQUIRE(sink.wait_shipped(30s));
  CHECK(sink.stats().inserted == rows.size());
  CHECK(sink.stats().dead_letters == 0);
  pqxx::connection connection(cluster.url());
  pqxx::work t(connection);
  for (const auto& row : rows) {
    const auto r = t.exec_params(
        "SELECT count(*) FROM public.signals s, jsonb_to_recordset(jsonb_build_array($1::jsonb)) "
        "AS r(candle_time timestamptz, change_percent_at_signal float8, indicator_data jsonb) "
        "WHERE s.candle_time = r.candle_time AND s.indicator_data = r.indicator_data AND "
        "s.change_percent_at_signal = r.change_percent_at_signal::numeric AND s.fly_app_id = "
        "(SELECT id FROM public.user_fly_apps WHERE user_id = s.user_id) AND s.source = 'cloud'",
        row);
    CHECK(r[0][0].as<int>() == 1);
  }
}
