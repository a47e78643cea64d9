/* Compiles the ABI header as strict C11 (-pedantic -Werror) and exposes the
 * layout as C sees it, so the C++ test can compare both languages' views. */
#include "vyx/abi.h"

#define VYX_LAYOUT_ENTRY(type, field) offsetof(type, field)

const size_t vyx_c11_sizes[] = {
    sizeof(vyx_candles),           sizeof(vyx_ticker),           sizeof(vyx_market),
    sizeof(vyx_indicator_request), sizeof(vyx_indicator_result), sizeof(vyx_host_api),
    sizeof(vyx_signal_value),      sizeof(vyx_filter_output),    sizeof(vyx_plot_series),
    sizeof(vyx_plot_output),       sizeof(vyx_plugin),
};

const size_t vyx_c11_offsets[] = {
    VYX_LAYOUT_ENTRY(vyx_candles, trades),
    VYX_LAYOUT_ENTRY(vyx_market, host_context),
    VYX_LAYOUT_ENTRY(vyx_plugin, series),
    VYX_LAYOUT_ENTRY(vyx_plot_output, pool_used),
    VYX_LAYOUT_ENTRY(vyx_indicator_result, outputs),
    VYX_LAYOUT_ENTRY(vyx_filter_output, values),
};

const size_t vyx_c11_layout_count = sizeof(vyx_c11_sizes) / sizeof(vyx_c11_sizes[0]);
