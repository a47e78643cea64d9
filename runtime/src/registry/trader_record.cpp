// Decodes a trader's `filter` document, in either of its stored encodings.
#include "vyx/runtime/registry/trader_record.hpp"

#include <simdjson.h>

namespace vyx::runtime {

bool decode_trader_filter(std::string_view filter_json, trader_record& into, std::string& error) {
  simdjson::dom::parser parser;
  simdjson::dom::element root;
  if (parser.parse(filter_json.data(), filter_json.size()).get(root)) {
    error = "filter is not JSON";
    return false;
  }
  // Older rows hold the document double-encoded: a JSON string containing it.
  std::string inner;
  simdjson::dom::parser inner_parser;
  if (root.is_string()) {
    inner = std::string(root.get_string().value_unsafe());
    if (inner_parser.parse(inner).get(root)) {
      error = "filter is a string that does not hold JSON";
      return false;
    }
  }
  simdjson::dom::object filter;
  if (root.get_object().get(filter)) {
    error = "filter is not an object";
    return false;
  }
  std::string_view code;
  if (filter["code"].get_string().get(code)) {
    error = "filter has no code";
    return false;
  }
  into.code = std::string(code);
  std::string_view series;
  into.series_code = filter["seriesCode"].get_string().get(series) ? "" : std::string(series);
  into.required_timeframes.clear();
  simdjson::dom::array timeframes;
  if (!filter["requiredTimeframes"].get_array().get(timeframes))
    for (auto tf : timeframes) {
      std::string_view name;
      if (!tf.get_string().get(name)) into.required_timeframes.emplace_back(name);
    }
  into.indicator_ids.clear();
  simdjson::dom::array indicators;
  if (!filter["indicators"].get_array().get(indicators))
    for (auto indicator : indicators) {
      std::string_view id;
      if (!indicator["id"].get_string().get(id)) into.indicator_ids.emplace_back(id);
    }
  return true;
}

}  // namespace vyx::runtime
