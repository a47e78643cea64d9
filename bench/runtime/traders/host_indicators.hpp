// Helpers for the benchmark's stand-in traders (plain C++ against abi.h):
// one host-table request per indicator, as the SDK makes them.
#pragma once

#include <cmath>
#include <initializer_list>

#include "vyx/abi.h"

namespace bench_trader {

inline bool series(const vyx_market* m, vyx_timeframe tf, vyx_indicator_id id, std::initializer_list<double> params,
                   vyx_indicator_result* out) {
  vyx_indicator_request r{};
  r.struct_size = sizeof r;
  r.timeframe = tf;
  r.indicator = id;
  for (double p : params) r.params[r.param_count++] = p;
  out->struct_size = sizeof *out;
  return m->host->indicator(m->host_context, &r, out) == VYX_OK && out->length >= 2;
}

}  // namespace bench_trader

#define BENCH_TRADER(NAME, MASK)                                                                         \
  namespace {                                                                                            \
  constexpr vyx_plugin descriptor = {sizeof(vyx_plugin), VYX_ABI_VERSION, NAME, "bench", MASK, 500, 0, 0, \
                                     &filter, nullptr};                                                  \
  }                                                                                                      \
  extern "C" __attribute__((visibility("default"))) const vyx_plugin* vyx_plugin_entry(void) { return &descriptor; }
