// The outcome as line records (line_codec.hpp).
#include "protocol/outcome_codec.hpp"

#include <sstream>
#include <vector>

#include "protocol/line_codec.hpp"

namespace vyx::compiler {

std::string encode_outcome(const frontend_outcome& o) {
  std::ostringstream out;
  out.precision(17);
  out << "vyx-outcome\t1\n";
  out << "ok\t" << (o.ok ? 1 : 0) << "\n";
  out << "name\t" << escape_field(o.metadata.name) << "\n";
  for (const std::string& tf : o.metadata.timeframes)
    out << "timeframe\t" << escape_field(tf) << "\n";
  out << "history\t" << o.metadata.history_bars << "\n";
  out << "series\t" << (o.metadata.has_series ? 1 : 0) << "\n";
  out << "timings\t" << o.timings.check_ms << "\t" << o.timings.codegen_ms << "\t"
      << o.timings.link_ms << "\t" << o.timings.total_ms << "\n";
  for (const diagnostic& d : o.diagnostics)
    out << "diag\t" << escape_field(d.file) << "\t" << d.line << "\t" << d.column << "\t"
        << escape_field(d.severity) << "\t" << escape_field(d.rule) << "\t"
        << escape_field(d.message) << "\n";
  out << "end\n";
  return out.str();
}

std::optional<frontend_outcome> decode_outcome(const std::string& text) {
  frontend_outcome o;
  std::istringstream in(text);
  std::string line;
  bool header = false, end = false;
  try {
    while (std::getline(in, line)) {
      const std::vector<std::string> f = split_fields(line);
      const std::string& key = f[0];
      if (key == "vyx-outcome")
        header = f.size() == 2 && f[1] == "1";
      else if (key == "ok" && f.size() == 2)
        o.ok = f[1] == "1";
      else if (key == "name" && f.size() == 2)
        o.metadata.name = f[1];
      else if (key == "timeframe" && f.size() == 2)
        o.metadata.timeframes.push_back(f[1]);
      else if (key == "history" && f.size() == 2)
        o.metadata.history_bars = static_cast<std::uint32_t>(std::stoul(f[1]));
      else if (key == "series" && f.size() == 2)
        o.metadata.has_series = f[1] == "1";
      else if (key == "timings" && f.size() == 5) {
        o.timings.check_ms = std::stod(f[1]);
        o.timings.codegen_ms = std::stod(f[2]);
        o.timings.link_ms = std::stod(f[3]);
        o.timings.total_ms = std::stod(f[4]);
      } else if (key == "diag" && f.size() == 7) {
        o.diagnostics.push_back({f[1], std::stoi(f[2]), std::stoi(f[3]), f[4], f[5], f[6]});
      } else if (key == "end") {
        end = true;
      }
    }
  } catch (...) {
    return std::nullopt;
  }
  if (!header || !end) return std::nullopt;
  return o;
}

}  // namespace vyx::compiler
