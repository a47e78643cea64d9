// One record per line, fields separated by tabs; tabs, newlines and
// backslashes inside fields are escaped.
#include "outcome_codec.hpp"

#include <sstream>
#include <vector>

namespace vyx::compiler {
namespace {

std::string escape(const std::string& s) {
  std::string out;
  for (char c : s) {
    if (c == '\\')
      out += "\\\\";
    else if (c == '\n')
      out += "\\n";
    else if (c == '\t')
      out += "\\t";
    else
      out.push_back(c);
  }
  return out;
}

std::string unescape(const std::string& s) {
  std::string out;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] != '\\' || i + 1 == s.size()) {
      out.push_back(s[i]);
      continue;
    }
    const char c = s[++i];
    out.push_back(c == 'n' ? '\n' : c == 't' ? '\t' : c);
  }
  return out;
}

std::vector<std::string> split(const std::string& line) {
  std::vector<std::string> fields;
  std::size_t start = 0;
  while (true) {
    const std::size_t tab = line.find('\t', start);
    fields.push_back(
        unescape(line.substr(start, tab == std::string::npos ? std::string::npos : tab - start)));
    if (tab == std::string::npos) break;
    start = tab + 1;
  }
  return fields;
}

}  // namespace

std::string encode_outcome(const frontend_outcome& o) {
  std::ostringstream out;
  out.precision(17);
  out << "vyx-outcome\t1\n";
  out << "ok\t" << (o.ok ? 1 : 0) << "\n";
  out << "name\t" << escape(o.metadata.name) << "\n";
  for (const std::string& tf : o.metadata.timeframes) out << "timeframe\t" << escape(tf) << "\n";
  out << "history\t" << o.metadata.history_bars << "\n";
  out << "series\t" << (o.metadata.has_series ? 1 : 0) << "\n";
  out << "timings\t" << o.timings.check_ms << "\t" << o.timings.codegen_ms << "\t"
      << o.timings.link_ms << "\t" << o.timings.total_ms << "\n";
  for (const diagnostic& d : o.diagnostics)
    out << "diag\t" << escape(d.file) << "\t" << d.line << "\t" << d.column << "\t"
        << escape(d.severity) << "\t" << escape(d.rule) << "\t" << escape(d.message) << "\n";
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
      const std::vector<std::string> f = split(line);
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
