// Runs vyx-go-frontend through run_in_child (fork + exec, CPU/memory/file
// rlimits, no inherited fds; the helper adds no-new-privs and its own
// seccomp filter before reading the body) and reads its JSON answer.
#include "go/go_frontend.hpp"

#include <simdjson.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>

#include "vyx/common/json_writer.hpp"

namespace vyx::compiler {
namespace fs = std::filesystem;
using common::json_writer;

fs::path default_go_frontend() {
  if (const char* env = std::getenv("VYX_GO_FRONTEND"); env != nullptr && *env != 0) return env;
  std::error_code ec;
  const fs::path self = fs::read_symlink("/proc/self/exe", ec);
  if (!ec) {
    const fs::path beside = self.parent_path() / "vyx-go-frontend";
    if (fs::is_regular_file(beside, ec)) return beside;
  }
  return VYX_GO_FRONTEND_BUILD_PATH;
}

bool parse_go_answer(const std::string& json, const std::string& file,
                     const std::string& series_file, go_translation& out) {
  out.file = file;
  out.series_file = series_file;
  simdjson::dom::parser parser;
  simdjson::dom::element root;
  if (parser.parse(json).get(root) != simdjson::SUCCESS) return false;
  bool ok = false;
  if (root["ok"].get(ok) != simdjson::SUCCESS) return false;
  out.ok = ok;
  std::string_view cpp;
  if (root["cpp"].get(cpp) == simdjson::SUCCESS) out.cpp = std::string(cpp);
  simdjson::dom::array lines;
  if (root["lines"].get(lines) == simdjson::SUCCESS)
    for (simdjson::dom::element pair : lines) {
      int64_t l = 1, c = 1, part = 0;
      if (pair.at(0).get(l) != simdjson::SUCCESS) l = 1;
      if (pair.at(1).get(c) != simdjson::SUCCESS) c = 1;
      if (pair.at(2).get(part) != simdjson::SUCCESS) part = 0;
      out.lines.push_back({static_cast<int>(l), static_cast<int>(c), part == 1});
    }
  simdjson::dom::array tfs;
  if (root["timeframes"].get(tfs) == simdjson::SUCCESS)
    for (simdjson::dom::element tf : tfs) {
      std::string_view s;
      if (tf.get(s) == simdjson::SUCCESS) out.timeframes.emplace_back(s);
    }
  simdjson::dom::array diags;
  if (root["diagnostics"].get(diags) == simdjson::SUCCESS)
    for (simdjson::dom::element d : diags) {
      diagnostic g;
      std::string_view part;
      g.file = d["part"].get(part) == simdjson::SUCCESS && part == "series" ? series_file : file;
      g.severity = "error";
      int64_t l = 1, c = 1;
      if (d["line"].get(l) != simdjson::SUCCESS) l = 1;
      if (d["column"].get(c) != simdjson::SUCCESS) c = 1;
      g.line = static_cast<int>(l);
      g.column = static_cast<int>(c);
      std::string_view rule, message;
      if (d["rule"].get(rule) == simdjson::SUCCESS) g.rule = std::string(rule);
      if (d["message"].get(message) == simdjson::SUCCESS) g.message = std::string(message);
      out.diagnostics.push_back(std::move(g));
    }
  return true;
}

go_translation translate_go(const compile_request& request, const child_limits& limits,
                            const fs::path& helper) {
  go_translation out;
  auto fail = [&](std::string rule, std::string message) {
    out.ok = false;
    out.diagnostics.push_back({request.file_name, 1, 1, "error", std::move(rule), std::move(message)});
    return out;
  };
  if (access(helper.c_str(), X_OK) != 0)
    return fail("internal", "the Go front end " + helper.string() +
                                " is missing or not executable; install vyx-go-frontend beside "
                                "this program or set VYX_GO_FRONTEND");
  json_writer job;
  job.begin_object()
      .key("file")
      .value(request.file_name)
      .key("code")
      .value(request.code)
      .key("series")
      .value(request.series_code)
      .end_object();
  const child_result r = run_in_child(limits, helper, job.str());
  out.ms = r.wall_ms;
  if (r.how != child_result::end::ok)
    return fail(r.how == child_result::end::crashed || r.how == child_result::end::sandbox_failed
                    ? "internal"
                    : "compile-limit",
                std::string("the Go front end stopped (") + to_string(r.how) +
                    "); if the body is very large, shorten it, otherwise report it");
  if (!parse_go_answer(r.payload, request.file_name, series_file_name(request), out))
    return fail("internal", "the Go front end gave an unreadable answer; report it");
  if (!out.ok && out.diagnostics.empty())
    return fail("internal", "the Go front end refused the body without saying why; report it");
  return out;
}

std::string series_file_name(const compile_request& request) {
  return request.series_file_name.empty() ? request.file_name + " (seriesCode)"
                                          : request.series_file_name;
}

void map_to_go(std::vector<diagnostic>& diagnostics, const go_translation& translation) {
  for (diagnostic& d : diagnostics) {
    if (d.line >= 1 && static_cast<std::size_t>(d.line) <= translation.lines.size()) {
      const go_position& at = translation.lines[static_cast<std::size_t>(d.line) - 1];
      d.line = at.line;
      d.column = at.column;
      if (at.in_series) d.file = translation.series_file;
    } else {
      d.line = 1;
      d.column = 1;
    }
  }
}

}  // namespace vyx::compiler
