// Writing a compile result's shared JSON members.
#include "parent/result_json.hpp"

namespace vyx::compiler {

void write_result_members(json_writer& json, const compile_result& r) {
  json.key("ok").value(r.ok);
  json.key("hash").value(r.hash);
  json.key("size").value(r.artifact_size);
  json.key("cacheHit").value(r.cache_hit);
  json.key("metadata").begin_object();
  json.key("name").value(r.metadata.name);
  json.key("timeframes").begin_array();
  for (const auto& timeframe : r.metadata.timeframes) json.value(timeframe);
  json.end_array();
  json.key("historyBars").value(static_cast<std::uint64_t>(r.metadata.history_bars));
  json.key("hasSeries").value(r.metadata.has_series);
  json.end_object();
  json.key("diagnostics").begin_array();
  for (const diagnostic& d : r.diagnostics) {
    json.begin_object();
    json.key("file").value(d.file);
    json.key("line").value(d.line);
    json.key("column").value(d.column);
    json.key("severity").value(d.severity);
    json.key("rule").value(d.rule);
    json.key("message").value(d.message);
    json.end_object();
  }
  json.end_array();
}

}  // namespace vyx::compiler
