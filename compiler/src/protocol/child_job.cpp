// Encoding of compile-child jobs as line records.
#include "protocol/child_job.hpp"

#include <sstream>
#include <vector>

#include "protocol/line_codec.hpp"

namespace vyx::compiler {
namespace {

void put(std::ostringstream& out, const char* key, const std::string& value) {
  out << key << '\t' << escape_field(value) << '\n';
}

}  // namespace

std::string encode_job(const child_job& job) {
  std::ostringstream out;
  out << "vyx-job\t1\n";
  put(out, "kind", job.what == child_job::kind::sdk_pch ? "sdk-pch" : "frontend");
  const frontend_job& f = job.frontend;
  const sdk_layout& l = f.layout;
  put(out, "sdk-include", l.sdk_include_dir.string());
  put(out, "indicators-include", l.indicators_include_dir.string());
  put(out, "plugin-archive", l.plugin_archive.string());
  put(out, "clang-resource", l.clang_resource_dir.string());
  for (const auto& library : l.system_libraries) put(out, "system-library", library.string());
  put(out, "pch-output", job.pch_output.string());
  put(out, "build", f.build ? "1" : "0");
  put(out, "code", f.code);
  put(out, "file-name", f.file_name);
  put(out, "name", f.name);
  for (const auto& timeframe : f.hinted_timeframes) put(out, "timeframe", timeframe);
  put(out, "go-translation", f.go_translation ? "1" : "0");
  put(out, "pch", f.pch.string());
  put(out, "scratch", f.scratch.string());
  out << "end\n";
  return out.str();
}

std::optional<child_job> decode_job(const std::string& text) {
  child_job job;
  frontend_job& f = job.frontend;
  sdk_layout& l = f.layout;
  std::istringstream in(text);
  std::string line;
  bool header = false, end = false;
  while (std::getline(in, line)) {
    const std::vector<std::string> fields = split_fields(line);
    const std::string& key = fields[0];
    if (key == "end") {
      end = true;
      break;
    }
    if (fields.size() != 2) return std::nullopt;
    const std::string& value = fields[1];
    if (key == "vyx-job")
      header = value == "1";
    else if (key == "kind" && (value == "sdk-pch" || value == "frontend"))
      job.what = value == "sdk-pch" ? child_job::kind::sdk_pch : child_job::kind::frontend;
    else if (key == "sdk-include")
      l.sdk_include_dir = value;
    else if (key == "indicators-include")
      l.indicators_include_dir = value;
    else if (key == "plugin-archive")
      l.plugin_archive = value;
    else if (key == "clang-resource")
      l.clang_resource_dir = value;
    else if (key == "system-library")
      l.system_libraries.emplace_back(value);
    else if (key == "pch-output")
      job.pch_output = value;
    else if (key == "build")
      f.build = value == "1";
    else if (key == "code")
      f.code = value;
    else if (key == "file-name")
      f.file_name = value;
    else if (key == "name")
      f.name = value;
    else if (key == "timeframe")
      f.hinted_timeframes.push_back(value);
    else if (key == "go-translation")
      f.go_translation = value == "1";
    else if (key == "pch")
      f.pch = value;
    else if (key == "scratch")
      f.scratch = value;
    else
      return std::nullopt;
  }
  if (!header || !end) return std::nullopt;
  return job;
}

}  // namespace vyx::compiler
