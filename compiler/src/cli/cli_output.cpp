// Text and JSON renderings of compile results for the CLI.
#include "cli/cli_output.hpp"

#include <cmath>

#include "parent/result_json.hpp"

namespace vyx::compiler {
namespace {

// Milliseconds to the microsecond: enough for a person, stable for a diff.
double rounded_ms(double ms) {
  return std::round(ms * 1000.0) / 1000.0;
}

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
  write_result_members(json, r);
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
