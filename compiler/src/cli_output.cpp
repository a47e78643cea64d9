// Text and JSON renderings of compile results for the CLI.
#include "cli_output.hpp"

#include <cstdio>

namespace vyx::compiler {
namespace {

std::string json_string(const std::string& s) {
  std::string out = "\"";
  for (unsigned char c : s) {
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\t':
        out += "\\t";
        break;
      case '\r':
        out += "\\r";
        break;
      default:
        if (c < 0x20) {
          char buffer[8];
          std::snprintf(buffer, sizeof buffer, "\\u%04x", c);
          out += buffer;
        } else {
          out.push_back(static_cast<char>(c));
        }
    }
  }
  return out + "\"";
}

std::string number(double v) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%.3f", v);
  return buffer;
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
  std::string out = "{\"ok\":" + std::string(r.ok ? "true" : "false");
  out += ",\"hash\":" + json_string(r.hash);
  out += ",\"size\":" + std::to_string(r.artifact_size);
  out += ",\"cacheHit\":" + std::string(r.cache_hit ? "true" : "false");
  out += ",\"metadata\":{\"name\":" + json_string(r.metadata.name) + ",\"timeframes\":[";
  for (std::size_t i = 0; i < r.metadata.timeframes.size(); ++i)
    out += (i ? "," : "") + json_string(r.metadata.timeframes[i]);
  out += "],\"historyBars\":" + std::to_string(r.metadata.history_bars);
  out += ",\"hasSeries\":" + std::string(r.metadata.has_series ? "true" : "false") + "}";
  out += ",\"diagnostics\":[";
  for (std::size_t i = 0; i < r.diagnostics.size(); ++i) {
    const diagnostic& d = r.diagnostics[i];
    out += (i ? "," : "");
    out += "{\"file\":" + json_string(d.file) + ",\"line\":" + std::to_string(d.line) +
           ",\"column\":" + std::to_string(d.column) + ",\"severity\":" + json_string(d.severity) +
           ",\"rule\":" + json_string(d.rule) + ",\"message\":" + json_string(d.message) + "}";
  }
  out += "],\"timings\":{\"checkMs\":" + number(r.timings.check_ms) +
         ",\"codegenMs\":" + number(r.timings.codegen_ms) +
         ",\"linkMs\":" + number(r.timings.link_ms) + ",\"totalMs\":" + number(r.timings.total_ms) +
         "}}";
  return out;
}

}  // namespace vyx::compiler
