// trader_compiler over the compiler library (vyx::compiler).
#include "local_trader_compiler.hpp"

#ifdef VYX_HAVE_COMPILER
#include <spdlog/spdlog.h>

#include "vyx/compiler/compiler.hpp"
#endif

namespace vyx::cli {

#ifdef VYX_HAVE_COMPILER
namespace {

class local_trader_compiler final : public runtime::trader_compiler {
 protected:
  runtime::trader_build build_it_(const runtime::trader_record& trader) override {
    compiler::compile_request request;
    const bool go = trader.language == "go";
    request.language = go ? compiler::source_language::go : compiler::source_language::cpp;
    request.code = trader.code;
    request.series_code = trader.series_code;
    request.required_timeframes = trader.required_timeframes;
    request.name = trader.id;
    request.file_name = trader.name.empty() ? trader.id : trader.name;
    request.file_name += go ? ".go" : ".cpp";
    runtime::trader_build build;
    compiler::compile_result result;
    try {
      result = compile_.build(request);
    } catch (const std::exception& e) {
      build.error = std::string("compiler failed: ") + e.what();
      return build;
    }
    // Where a trader change's time goes (BENCHMARKS.md, "Postgres"): the
    // compiler's own phases; the rest of total is the child's start (exec,
    // the clang libraries, the sandbox) and the cache.
    if (!result.cache_hit)
      spdlog::debug("local compile of {}: check {:.0f} ms, codegen {:.0f} ms, link {:.0f} ms, "
                    "total {:.0f} ms",
                    trader.id, result.timings.check_ms, result.timings.codegen_ms,
                    result.timings.link_ms, result.timings.total_ms);
    build.ok = result.ok;
    build.plugin = result.artifact_path;
    build.history_bars = result.metadata.history_bars;
    for (const auto& d : result.diagnostics)
      if (d.severity == "error")
        build.error += d.file + ":" + std::to_string(d.line) + ":" + std::to_string(d.column) +
                       ": " + d.message + (d.rule.empty() ? "" : " [" + d.rule + "]") + "\n";
    if (!build.ok && build.error.empty()) build.error = "does not compile";
    return build;
  }

 private:
  compiler::compiler compile_;
};

}  // namespace

std::unique_ptr<runtime::trader_compiler> make_local_trader_compiler() {
  return std::make_unique<local_trader_compiler>();
}
#else
std::unique_ptr<runtime::trader_compiler> make_local_trader_compiler() {
  return nullptr;
}
#endif

}  // namespace vyx::cli
