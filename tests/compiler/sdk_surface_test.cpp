// The SDK's surface three ways at once: every name compiler/README.md
// documents is called by tests/data/sdk/every_entry_point.cpp, that trader
// builds (so no SDK function needs a symbol a plugin may not import), and
// it runs through the ABI without a fault, every call giving a value.
#include <dlfcn.h>
#include <doctest/doctest.h>

#include <cctype>
#include <cmath>
#include <regex>
#include <set>
#include <sstream>
#include <string>

#include "support/compile_support.hpp"
#include "support/synthetic_market.hpp"
#include "vyx/common/elf_audit.hpp"

namespace {

const std::string trader_path = std::string(VYX_TEST_DATA_DIR) + "/sdk/every_entry_point.cpp";

// The backquoted pieces of the README's SDK table row whose first cell is `row`.
std::vector<std::string> table_row(const std::string& readme, const std::string& row) {
  std::istringstream lines(readme);
  std::string line;
  std::vector<std::string> pieces;
  while (std::getline(lines, line)) {
    if (line.rfind("| " + row + " |", 0) != 0) continue;
    static const std::regex quoted("`([^`]*)`");
    for (std::sregex_iterator i(line.begin(), line.end(), quoted), end; i != end; ++i)
      pieces.push_back((*i)[1]);
  }
  return pieces;
}

// Function names in a piece: "sma ema wma" lists them, "bbands(s, ...)" names one;
// type names (capitalised) and placeholders (NAME) are not functions.
std::set<std::string> function_names(const std::vector<std::string>& pieces) {
  std::set<std::string> names;
  static const std::regex word("[a-z_][a-z0-9_]*");
  for (const std::string& piece : pieces) {
    if (piece.empty() || std::isupper(static_cast<unsigned char>(piece[0]))) continue;
    const std::string head = piece.substr(0, piece.find('('));
    for (std::sregex_iterator i(head.begin(), head.end(), word), end; i != end; ++i)
      names.insert(i->str());
  }
  return names;
}

}  // namespace

TEST_CASE("sdk surface: every indicator, helper and math name in compiler/README.md is called") {
  const std::string readme = vyx::test::read_text(std::string(VYX_SOURCE_DIR) + "/compiler/README.md");
  const std::string trader = vyx::test::read_text(trader_path);
  REQUIRE_FALSE(trader.empty());
  const std::set<std::string> indicators = function_names(table_row(readme, "indicators"));
  REQUIRE(indicators.size() >= 30);
  CHECK(indicators.count("vwap_rolling") == 1);
  for (const std::string& name : indicators) {
    CAPTURE(name);
    CHECK(trader.find("vyx::" + name + "(") != std::string::npos);
    CHECK(trader.find("vyx::" + name + "_series(") != std::string::npos);
  }
  for (const char* row : {"helpers", "math"}) {
    const std::set<std::string> names = function_names(table_row(readme, row));
    REQUIRE(names.size() >= 2);
    for (const std::string& name : names) {
      CAPTURE(name);
      CHECK(trader.find("vyx::" + name) != std::string::npos);
    }
  }
}

TEST_CASE("sdk surface: a trader calling every SDK entry point builds, passes the audit and runs") {
  vyx::compiler::compile_request r;
  r.code = vyx::test::read_text(trader_path);
  r.file_name = "every_entry_point.cpp";
  r.name = "every_entry_point";
  const vyx::compiler::compile_result result = vyx::test::shared_compiler().build(r);
  std::string diagnostics;
  for (const auto& d : result.diagnostics)
    diagnostics += std::to_string(d.line) + ":" + std::to_string(d.column) + ": " + d.message +
                   " [" + d.rule + "]\n";
  REQUIRE_MESSAGE(result.ok, diagnostics);
  CHECK(vyx::common::audit_plugin(result.artifact_path).empty());

  void* handle = dlopen(result.artifact_path.c_str(), RTLD_NOW | RTLD_LOCAL);
  REQUIRE_MESSAGE(handle != nullptr, dlerror());
  auto entry = reinterpret_cast<vyx_entry_fn>(dlsym(handle, VYX_ENTRY_SYMBOL));
  const bool found = entry != nullptr;
  REQUIRE(found);
  const vyx_plugin* plugin = entry();

  vyx::test::synthetic_market market;  // the host serves nothing: the plugin computes all
  vyx::test::synthetic_timeframe wave(VYX_TF_5M, 300,
                                      [](int i) { return 100.0 + 10.0 * std::sin(i / 9.0) + i * 0.01; });
  market.add(wave);
  vyx_filter_output& out = market.fresh_output();
  REQUIRE(plugin->filter(&market.market, &out) == VYX_OK);
  REQUIRE(out.value_count == 1);
  CHECK(std::string(out.values[0].name) == "calls");
  CHECK(out.values[0].value == 91);  // every call in the trader counted one finite result
  CHECK(out.matched == 1);

  std::vector<vyx_plot_series> series(8);
  std::vector<double> pool(8 * 300);
  vyx_plot_output plot{sizeof(vyx_plot_output), 8, 0, 0, series.data(), pool.data(), pool.size(), 0};
  const bool has_series = plugin->series != nullptr;
  REQUIRE(has_series);
  REQUIRE(plugin->series(&market.market, &plot) == VYX_OK);
  CHECK(plot.series_count == 3);
  CHECK(std::isfinite(pool[series[1].offset + 299]));  // vwap_rolling's newest value
  dlclose(handle);
}
