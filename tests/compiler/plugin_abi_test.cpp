// The sample traders built by the compiler and called through the ABI, as the
// runtime calls them: descriptor layout and metadata, filter results on
// synthetic candles, emitted values, chart series, host-served indicators.
#include <dlfcn.h>
#include <doctest/doctest.h>

#include <cstring>
#include <string>

#include "support/compile_support.hpp"
#include "support/synthetic_market.hpp"
#include "vyx/common/elf_audit.hpp"

namespace {

struct loaded_plugin {
  void* handle = nullptr;
  const vyx_plugin* plugin = nullptr;
  explicit loaded_plugin(const std::string& path) {
    handle = dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL);
    REQUIRE_MESSAGE(handle != nullptr, dlerror());
    auto entry = reinterpret_cast<vyx_entry_fn>(dlsym(handle, VYX_ENTRY_SYMBOL));
    const bool found = entry != nullptr;
    REQUIRE(found);
    plugin = entry();
    REQUIRE(plugin != nullptr);
  }
  ~loaded_plugin() {
    if (handle != nullptr) dlclose(handle);
  }
};

loaded_plugin build_sample(const std::string& stem) {
  vyx::compiler::compile_request r;
  r.code = vyx::test::read_text(std::string(VYX_EXAMPLES_DIR) + "/" + stem + ".cpp");
  r.file_name = stem + ".cpp";
  const vyx::compiler::compile_result result = vyx::test::shared_compiler().build(r);
  for (const auto& d : result.diagnostics)
    INFO(d.line << ":" << d.column << ": " << d.message << " [" << d.rule << "]");
  REQUIRE(result.ok);
  CHECK(vyx::common::audit_plugin(result.artifact_path).empty());
  return loaded_plugin(result.artifact_path.string());
}

}  // namespace

TEST_CASE("T1: descriptor layout and metadata") {
  const loaded_plugin p = build_sample("T1_rsi_oversold");
  CHECK(p.plugin->struct_size == sizeof(vyx_plugin));
  CHECK(p.plugin->abi_version == VYX_ABI_VERSION);
  CHECK(std::string(p.plugin->name) == "T1_rsi_oversold");
  CHECK(std::string(p.plugin->sdk_version) == "0.1.0");
  CHECK(p.plugin->required_timeframes == (1u << VYX_TF_5M));
  CHECK(p.plugin->history_bars >= 15);
  CHECK(p.plugin->max_signal_values == 16);
  const bool has_filter = p.plugin->filter != nullptr, has_series = p.plugin->series != nullptr;
  CHECK(has_filter);
  CHECK_FALSE(has_series);
}

TEST_CASE("T1: falling prices match (RSI 0), rising prices do not (RSI 100)") {
  const loaded_plugin p = build_sample("T1_rsi_oversold");
  vyx::test::synthetic_market market;
  vyx::test::synthetic_timeframe falling(VYX_TF_5M, 100, [](int i) { return 200.0 - i; });
  market.add(falling);
  vyx_filter_output& out = market.fresh_output();
  REQUIRE(p.plugin->filter(&market.market, &out) == VYX_OK);
  CHECK(out.matched == 1);
  REQUIRE(out.value_count == 1);
  CHECK(std::string(out.values[0].name) == "rsi");
  CHECK(out.values[0].value == doctest::Approx(0.0));

  vyx::test::synthetic_market up;
  vyx::test::synthetic_timeframe rising(VYX_TF_5M, 100, [](int i) { return 100.0 + i; });
  up.add(rising);
  vyx_filter_output& out2 = up.fresh_output();
  REQUIRE(p.plugin->filter(&up.market, &out2) == VYX_OK);
  CHECK(out2.matched == 0);
  CHECK(out2.values[0].value == doctest::Approx(100.0));
}

TEST_CASE("T1: too few candles or a missing timeframe give no signal, bad structs an error") {
  const loaded_plugin p = build_sample("T1_rsi_oversold");
  vyx::test::synthetic_market market;  // no 5m candles at all
  vyx_filter_output& out = market.fresh_output();
  CHECK(p.plugin->filter(&market.market, &out) == VYX_OK);
  CHECK(out.matched == 0);
  market.market.struct_size = 8;
  CHECK(p.plugin->filter(&market.market, &out) == VYX_ERR_INVALID_ARGUMENT);
}

namespace {
// A host that serves RSI with a fixed series, and counts what it was asked.
int host_calls = 0;
vyx_indicator_request last_request{};
double served[100];
vyx_status host_with_rsi(void*, const vyx_indicator_request* request, vyx_indicator_result* out) {
  ++host_calls;
  last_request = *request;
  if (request->indicator != VYX_IND_RSI) return VYX_ERR_UNSUPPORTED;
  for (double& v : served) v = 12.5;
  out->output_count = 1;
  out->length = 100;
  out->outputs[0] = served;
  return VYX_OK;
}
}  // namespace

TEST_CASE("T1: the indicator comes from the host when it serves it") {
  const loaded_plugin p = build_sample("T1_rsi_oversold");
  vyx::test::synthetic_market market;
  market.host.indicator = host_with_rsi;
  vyx::test::synthetic_timeframe rising(VYX_TF_5M, 100,
                                        [](int i) { return 100.0 + i; });  // own RSI would be 100
  market.add(rising);
  host_calls = 0;
  vyx_filter_output& out = market.fresh_output();
  REQUIRE(p.plugin->filter(&market.market, &out) == VYX_OK);
  CHECK(host_calls >= 1);
  CHECK(last_request.indicator == VYX_IND_RSI);
  CHECK(last_request.timeframe == VYX_TF_5M);
  CHECK(last_request.param_count == 1);
  CHECK(last_request.params[0] == 14);
  CHECK(out.matched == 1);  // 12.5 < 30: the host's numbers were used
}

TEST_CASE("T2..T5 build, declare their timeframes and run on synthetic data") {
  struct sample {
    const char* stem;
    unsigned mask;
  } samples[] = {{"T2_ema_crossdown_volume", 1u << VYX_TF_1M},
                 {"T3_macd_hist_cross_rsi", 1u << VYX_TF_5M},
                 {"T4_bollinger_squeeze", 1u << VYX_TF_1H},
                 {"T5_mtf_ema_rsi_vwap", (1u << VYX_TF_5M) | (1u << VYX_TF_1H)}};
  for (const sample& s : samples) {
    CAPTURE(s.stem);
    const loaded_plugin p = build_sample(s.stem);
    CHECK(p.plugin->required_timeframes == s.mask);
    vyx::test::synthetic_market market;
    vyx::test::synthetic_timeframe m1(VYX_TF_1M, 300,
                                      [](int i) { return 100 + 5 * std::sin(i / 9.0); });
    vyx::test::synthetic_timeframe m5(VYX_TF_5M, 300,
                                      [](int i) { return 100 + 5 * std::sin(i / 7.0); });
    vyx::test::synthetic_timeframe h1(VYX_TF_1H, 300,
                                      [](int i) { return 100 + 5 * std::sin(i / 11.0); });
    market.add(m1);
    market.add(m5);
    market.add(h1);
    vyx_filter_output& out = market.fresh_output();
    CHECK(p.plugin->filter(&market.market, &out) == VYX_OK);
    CHECK(out.matched <= 1);
  }
}

TEST_CASE("T4: a flat hour market after a volatile one is a squeeze") {
  const loaded_plugin p = build_sample("T4_bollinger_squeeze");
  vyx::test::synthetic_market market;
  // Volatile for 250 bars, then the swings shrink: the newest bandwidth is the narrowest.
  vyx::test::synthetic_timeframe h1(VYX_TF_1H, 300, [](int i) {
    const double amplitude = i < 250 ? 10.0 : 10.0 * (300 - i) / 50.0;
    return 100 + amplitude * ((i % 2) ? 1 : -1);
  });
  market.add(h1);
  vyx_filter_output& out = market.fresh_output();
  REQUIRE(p.plugin->filter(&market.market, &out) == VYX_OK);
  CHECK(out.matched == 1);
}

TEST_CASE("a trader with a series function fills the chart buffers") {
  const loaded_plugin p = build_sample("rsi_with_chart");
  const bool has_series = p.plugin->series != nullptr;
  REQUIRE(has_series);
  CHECK(p.plugin->required_timeframes == (1u << VYX_TF_15M));
  vyx::test::synthetic_market market;
  vyx::test::synthetic_timeframe m15(VYX_TF_15M, 120,
                                     [](int i) { return 100 + 3 * std::sin(i / 5.0); });
  market.add(m15);
  std::vector<vyx_plot_series> series(8);
  std::vector<double> pool(4096);
  vyx_plot_output out{};
  out.struct_size = sizeof(vyx_plot_output);
  out.series_capacity = 8;
  out.series = series.data();
  out.pool = pool.data();
  out.pool_capacity = pool.size();
  REQUIRE(p.plugin->series(&market.market, &out) == VYX_OK);
  REQUIRE(out.series_count == 3);
  CHECK(std::string(series[0].name) == "rsi14");
  CHECK(series[0].panel == 1);
  CHECK(std::string(series[2].name) == "ema50");
  CHECK(series[2].panel == 0);
  CHECK(series[1].offset == 120);
  CHECK(out.pool_used == 360);
  CHECK(series[0].timeframe == VYX_TF_15M);
  CHECK(std::isnan(pool[0]));  // RSI warm-up
  CHECK(pool[119] >= 0);       // newest RSI
  CHECK(pool[119] <= 100);

  // A pool too small: the call reports the capacity problem.
  out.series_count = 0;
  out.pool_used = 0;
  out.pool_capacity = 100;
  CHECK(p.plugin->series(&market.market, &out) == VYX_ERR_CAPACITY);
}
