// Splits outbox rows into the shipper's COPY columns (simdjson on demand).
#include "sinks/signal_columns.hpp"

#include <simdjson.h>

#include <cstring>
#include <utility>

namespace vyx::runtime {
namespace {

int signal_column_index(std::string_view key) {
  for (std::size_t i = 0; i < signal_copy_columns.size(); ++i)
    if (key == signal_copy_columns[i]) return static_cast<int>(i);
  return -1;
}

std::string_view without_trailing_space(std::string_view token) {
  while (!token.empty() && std::strchr(" \t\r\n", token.back())) token.remove_suffix(1);
  return token;
}

// `as_json`: the column is jsonb, so a JSON string stays a JSON string
// (quoted) instead of becoming the text Postgres would parse as JSON.
bool read_signal_column(simdjson::ondemand::value value, bool as_json, std::string& text,
                        bool& null) {
  simdjson::ondemand::json_type type;
  if (value.type().get(type)) return false;
  null = false;
  std::string_view raw;
  switch (type) {
    case simdjson::ondemand::json_type::null: {
      bool is_null = false;
      if (value.is_null().get(is_null) || !is_null) return false;
      null = true;
      text.clear();
      return true;
    }
    case simdjson::ondemand::json_type::object: {
      simdjson::ondemand::object object;
      if (value.get_object().get(object) || object.raw_json().get(raw)) return false;
      break;
    }
    case simdjson::ondemand::json_type::array: {
      simdjson::ondemand::array array;
      if (value.get_array().get(array) || array.raw_json().get(raw)) return false;
      break;
    }
    case simdjson::ondemand::json_type::string:
      if (!as_json) {
        // COPY's text cannot carry a NUL (jsonb_to_recordset refused it too).
        if (value.get_string().get(raw) || raw.find('\0') != std::string_view::npos) return false;
        break;
      }
      [[fallthrough]];
    default:  // numbers and booleans as written
      raw = without_trailing_space(value.raw_json_token());
  }
  text.assign(raw);
  return true;
}

bool split_signal_row(simdjson::ondemand::parser& parser, std::string_view row,
                      signal_columns& out) {
  const simdjson::padded_string padded(row);
  simdjson::ondemand::document document;
  simdjson::ondemand::object object;
  if (parser.iterate(padded).get(document) || document.get_object().get(object)) return false;
  out.null.fill(true);
  for (auto element : object) {
    simdjson::ondemand::field field;
    std::string_view key;
    if (std::move(element).get(field) || field.unescaped_key().get(key)) return false;
    const int column = signal_column_index(key);
    if (column < 0) continue;  // not a column: on demand skips its value
    if (!read_signal_column(field.value(), column == 0, out.values[column], out.null[column]))
      return false;
  }
  // Something after the object (simdjson 3.0's document has no at_end()).
  return without_trailing_space(row).ends_with('}');
}

}  // namespace

bool split_signal_rows(const std::vector<std::string_view>& rows,
                       std::vector<signal_columns>& out, std::string& error) {
  static_assert(signal_copy_columns[0] == std::string_view("indicator_data"));
  simdjson::ondemand::parser parser;
  out.resize(rows.size());
  for (std::size_t i = 0; i < rows.size(); ++i) {
    if (!split_signal_row(parser, rows[i], out[i])) {
      error = "outbox row " + std::to_string(i + 1) + " of the batch is not a signal row (JSON object)";
      return false;
    }
  }
  return true;
}

}  // namespace vyx::runtime
