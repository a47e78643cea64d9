// Pins the ABI's struct layout from C++20 and checks C11 sees the same layout.
#include <doctest/doctest.h>

#include <cstddef>
#include <cstring>

#include "vyx/abi.h"

extern "C" {
extern const size_t vyx_c11_sizes[];
extern const size_t vyx_c11_offsets[];
extern const size_t vyx_c11_layout_count;
}

TEST_CASE("C11 and C++20 agree on every struct's size and key offsets") {
  const size_t cpp_sizes[] = {
      sizeof(vyx_candles),           sizeof(vyx_ticker),           sizeof(vyx_market),
      sizeof(vyx_indicator_request), sizeof(vyx_indicator_result), sizeof(vyx_host_api),
      sizeof(vyx_signal_value),      sizeof(vyx_filter_output),    sizeof(vyx_plot_series),
      sizeof(vyx_plot_output),       sizeof(vyx_plugin),
  };
  REQUIRE(vyx_c11_layout_count == sizeof(cpp_sizes) / sizeof(cpp_sizes[0]));
  for (size_t i = 0; i < vyx_c11_layout_count; ++i) CHECK(vyx_c11_sizes[i] == cpp_sizes[i]);

  const size_t cpp_offsets[] = {
      offsetof(vyx_candles, trades),
      offsetof(vyx_market, host_context),
      offsetof(vyx_plugin, series),
      offsetof(vyx_plot_output, pool_used),
      offsetof(vyx_indicator_result, outputs),
      offsetof(vyx_filter_output, values),
  };
  for (size_t i = 0; i < sizeof(cpp_offsets) / sizeof(cpp_offsets[0]); ++i)
    CHECK(vyx_c11_offsets[i] == cpp_offsets[i]);
}

TEST_CASE("every struct opens with its size, descriptor and host table with the version") {
  CHECK(offsetof(vyx_candles, struct_size) == 0);
  CHECK(offsetof(vyx_ticker, struct_size) == 0);
  CHECK(offsetof(vyx_market, struct_size) == 0);
  CHECK(offsetof(vyx_indicator_request, struct_size) == 0);
  CHECK(offsetof(vyx_indicator_result, struct_size) == 0);
  CHECK(offsetof(vyx_filter_output, struct_size) == 0);
  CHECK(offsetof(vyx_plot_output, struct_size) == 0);
  CHECK(offsetof(vyx_plugin, struct_size) == 0);
  CHECK(offsetof(vyx_plugin, abi_version) == 4);
  CHECK(offsetof(vyx_host_api, struct_size) == 0);
  CHECK(offsetof(vyx_host_api, abi_version) == 4);
}

TEST_CASE("timeframes fit the mask and the market's table") {
  CHECK(VYX_TIMEFRAME_COUNT == sizeof(vyx_market::timeframes) / sizeof(vyx_market::timeframes[0]));
  CHECK(VYX_TF_1D < 32u);
  CHECK(std::strcmp(VYX_ENTRY_SYMBOL, "vyx_plugin_entry") == 0);
}
