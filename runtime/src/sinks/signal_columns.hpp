// An outbox row (the JSON object sinks/signal_row.hpp renders) split into the
// columns of the shipper's COPY, on the client: Postgres then parses only
// indicator_data as jsonb instead of the whole batch as one jsonb array
// (BENCHMARKS.md, "Postgres": the per-row jsonb work is what bounds shipping).
#pragma once

#include <array>
#include <string>
#include <string_view>
#include <vector>

namespace vyx::runtime {

// The COPY's columns, in this order (indicator_data first: it is the large
// one, and libpqxx joins a row's fields from the last one backwards).
inline constexpr std::array<const char*, 11> signal_copy_columns = {
    "indicator_data", "trader_id", "user_id", "symbol", "interval", "timestamp",
    "candle_time", "price_at_signal", "change_percent_at_signal", "volume_at_signal",
    "fly_app_id"};

struct signal_columns {
  // As COPY takes them: strings unescaped, numbers as written, objects and
  // arrays as their JSON text. A missing key or a JSON null is NULL, as
  // jsonb_to_recordset reads them.
  std::array<std::string, signal_copy_columns.size()> values;
  std::array<bool, signal_copy_columns.size()> null{};
};

// Splits each row; false with `error` naming the row when one is not a JSON
// object (the caller treats that as refused data, like a row Postgres refuses).
bool split_signal_rows(const std::vector<std::string_view>& rows,
                       std::vector<signal_columns>& out, std::string& error);

}  // namespace vyx::runtime
