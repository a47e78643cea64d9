// Text and JSON renderings of compile results for the CLI.
#include "cli_output.hpp"

#include <cmath>

#include "json_writer.hpp"

namespace vyx::compiler {
namespace {

// Milliseconds to the microsecond: enough for a person, stable for a diff.
double rounded_ms(double ms) { return std::round(ms * 1000.0) / 1000.0; }

}  // namespace

std::string diagnostics_text(const std::vector<diagnostic>& diagnostics) {
  std::string out;
  for (const diagnostic& d : diagnostics)
    out += d.file + ":" + std::to_string(d.line) + ":" + std::to_string(d.column) + ": " +
           d.severity + ": " + d.message + " [" + d.rule + "]\n";
  return out;
}

std::string result_json(const compile_result& r) {
  json_writer json;
  json.begin_object();
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
  json.key("timings").begin_object();
  json.key("checkMs").value(rounded_ms(r.timings.check_ms));
  json.key("codegenMs").value(rounded_ms(r.timings.codegen_ms));
  json.key("linkMs").value(rounded_ms(r.timings.link_ms));
  json.key("totalMs").value(rounded_ms(r.timings.total_ms));
  json.end_object();
  json.end_object();
  return json.take();
}

}  // namespace vyx::compiler
