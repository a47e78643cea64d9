/* The one contract between the Vyx compiler's plugins and the Vyx runtime.
 *
 * Plain C11, fixed-width types, no ownership transfer. Every struct opens with
 * its size (and the plugin descriptor and host table with the ABI version) so
 * either side can refuse a mismatch before running any code of the other.
 * Structs only ever grow by appending fields; a field is never removed,
 * reordered or retyped within a major ABI version. abi/README.md documents
 * every struct and function pointer: who owns each pointer, how long it lives,
 * and from which context it may be called.
 */
#ifndef VYX_ABI_H
#define VYX_ABI_H

#include <stddef.h>
#include <stdint.h>

#if !defined(__SIZEOF_POINTER__) || __SIZEOF_POINTER__ != 8
#error "the Vyx ABI is defined for 64-bit targets only"
#endif

#ifdef __cplusplus
extern "C" {
#endif

/* Bumped on any incompatible change; the runtime refuses other versions. */
#define VYX_ABI_VERSION 1u

/* The single symbol a plugin exports (enforced by a linker version script). */
#define VYX_ENTRY_SYMBOL "vyx_plugin_entry"

/* ------------------------------------------------------------------ status */

typedef int32_t vyx_status;

#define VYX_OK 0                   /* success */
#define VYX_ERR_INVALID_ARGUMENT 1 /* a null pointer, a bad option, a struct too small */
#define VYX_ERR_NO_TIMEFRAME 2     /* the market lacks a timeframe the call needs */
#define VYX_ERR_NOT_ENOUGH_DATA 3  /* fewer bars than the request needs */
#define VYX_ERR_CAPACITY 4         /* a caller-provided buffer is full */
#define VYX_ERR_UNSUPPORTED 5      /* the host does not offer this service or indicator */
#define VYX_ERR_VERSION 6          /* struct_size / abi_version mismatch */
#define VYX_ERR_INTERNAL 7         /* a bug on the reporting side */
#define VYX_ERR_TRADER 8           /* the trader code itself failed (contained fault) */

/* -------------------------------------------------------------- timeframes */

typedef uint32_t vyx_timeframe;

#define VYX_TF_1M 0u
#define VYX_TF_5M 1u
#define VYX_TF_15M 2u
#define VYX_TF_1H 3u
#define VYX_TF_4H 4u
#define VYX_TF_1D 5u
#define VYX_TIMEFRAME_COUNT 6u

/* The one table of timeframes, in id order: X(id, name, length in ms). The
 * runtime, the compiler's checks and descriptors, and the SDK expand it;
 * nothing else spells a timeframe's name or length. */
#define VYX_TIMEFRAMES(X)         \
  X(VYX_TF_1M, "1m", 60000)       \
  X(VYX_TF_5M, "5m", 300000)      \
  X(VYX_TF_15M, "15m", 900000)    \
  X(VYX_TF_1H, "1h", 3600000)     \
  X(VYX_TF_4H, "4h", 14400000)    \
  X(VYX_TF_1D, "1d", 86400000)

/* A set of timeframes: bit (1u << VYX_TF_x). */
typedef uint32_t vyx_timeframe_mask;

/* ------------------------------------------------------------ market data */

/* One timeframe of one symbol, columnar and read-only: `count` candles,
 * oldest first, every column `count` long and contiguous. Only closed candles
 * are in the columns; the forming candle, if the host has one, follows them
 * when `has_forming` is 1 (then the columns hold count + 1 values and index
 * `count` is the forming candle). Owned by the host; valid only for the
 * duration of the call that received it. */
typedef struct vyx_candles {
  uint32_t struct_size;
  vyx_timeframe timeframe;
  uint64_t count;
  uint32_t has_forming;
  uint32_t reserved0;
  const int64_t* open_time;  /* Unix ms, UTC */
  const int64_t* close_time; /* Unix ms, UTC */
  const double* open;
  const double* high;
  const double* low;
  const double* close;
  const double* volume;                /* base asset */
  const double* quote_volume;          /* quote asset */
  const double* taker_buy_base_volume; /* base asset bought by takers */
  const int64_t* trades;
} vyx_candles;

/* The platform's simplified 24 h ticker. NaN where the host has none. */
typedef struct vyx_ticker {
  uint32_t struct_size;
  uint32_t reserved0;
  double last_price;
  double price_change_percent;
  double quote_volume;
} vyx_ticker;

struct vyx_host_api;

/* Everything a trader sees of one symbol at one moment. Owned by the host;
 * valid only for the duration of the call that received it: a plugin must not
 * keep any pointer reachable from it. */
typedef struct vyx_market {
  uint32_t struct_size;
  /* The newest closed candles per timeframe that a trader written for the
   * platform's fixed window (the Go front end's market) sees; 0 means the
   * platform's 250, a value at least `count` means every candle. Dialect
   * traders see every candle and ignore it. */
  uint32_t window_bars;
  const char* symbol; /* NUL-terminated, e.g. "BTCUSDT" */
  int64_t now_ms;     /* the evaluation moment: the close time of the tick */
  const vyx_ticker* ticker;
  /* Indexed by vyx_timeframe; null where the host does not provide it (a
   * plugin only gets the timeframes it declared as required, at least). */
  const vyx_candles* timeframes[VYX_TIMEFRAME_COUNT];
  const struct vyx_host_api* host; /* never null */
  void* host_context;              /* opaque; passed back to host functions */
} vyx_market;

/* ------------------------------------------------------------ host services */

/* Indicator ids served by the host (append-only). Parameters, in order, are
 * those of the indicator library's catalog entry of the same name. */
typedef uint32_t vyx_indicator_id;

#define VYX_IND_SMA 1u                /* (period) -> value */
#define VYX_IND_EMA 2u                /* (period) -> value */
#define VYX_IND_WMA 3u                /* (period) -> value */
#define VYX_IND_DEMA 4u               /* (period) -> value */
#define VYX_IND_TEMA 5u               /* (period) -> value */
#define VYX_IND_KAMA 6u               /* (period) -> value */
#define VYX_IND_RSI 7u                /* (period) -> value */
#define VYX_IND_MACD 8u               /* (fast, slow, signal) -> macd, signal, hist */
#define VYX_IND_BBANDS 9u             /* (period, mult_up, mult_down) -> upper, middle, lower */
#define VYX_IND_ATR 10u               /* (period) -> value */
#define VYX_IND_NATR 11u              /* (period) -> value */
#define VYX_IND_TRANGE 12u            /* () -> value */
#define VYX_IND_ADX 13u               /* (period) -> value */
#define VYX_IND_PLUS_DI 14u           /* (period) -> value */
#define VYX_IND_MINUS_DI 15u          /* (period) -> value */
#define VYX_IND_STOCH 16u             /* (k, slow_k, d) -> slowk, slowd */
#define VYX_IND_STOCHRSI 17u          /* (rsi, k, d) -> fastk, fastd */
#define VYX_IND_CCI 18u               /* (period) -> value */
#define VYX_IND_MFI 19u               /* (period) -> value */
#define VYX_IND_OBV 20u               /* () -> value */
#define VYX_IND_WILLR 21u             /* (period) -> value */
#define VYX_IND_ROC 22u               /* (period) -> value */
#define VYX_IND_MOM 23u               /* (period) -> value */
#define VYX_IND_SAR 24u               /* (acceleration, maximum) -> value */
#define VYX_IND_AROON 25u             /* (period) -> down, up */
#define VYX_IND_VWAP 26u              /* () session (UTC day) anchored -> value */
#define VYX_IND_VWAP_ROLLING 27u      /* (period) -> value */
#define VYX_IND_AVG_VOLUME 28u        /* (period) -> value */
#define VYX_IND_HIGHEST 29u           /* (period) highest high -> value */
#define VYX_IND_LOWEST 30u            /* (period) lowest low -> value */
#define VYX_IND_STOCHRSI_SMOOTHED 31u /* (rsi, stoch, k, d) -> k, d */

/* The platform's own indicator helpers, as its Go traders see them (the Go
 * compat layer's kernels, abi/include/vyx/sdk/go/indicator_kernels.hpp, are
 * their one definition): computed over a window of candles, not the whole
 * timeframe, so they need the request's window fields. The window is the
 * `window_count` candles ending with the one opened at `window_last_open_time`;
 * each output is `window_count` values aligned with that window (index i =
 * the window's candle i), with the platform's zeros before warm-up. Shared by
 * every Go trader of the symbol; a host without them answers
 * VYX_ERR_UNSUPPORTED and the SDK computes them itself. */
#define VYX_IND_GO_MA_SERIES 32u  /* (period) -> value */
#define VYX_IND_GO_EMA_SERIES 33u /* (period) -> value */
#define VYX_IND_GO_RSI 34u        /* (period) -> value */
#define VYX_IND_GO_MACD 35u       /* (fast, slow, signal) -> macd, signal, histogram */
#define VYX_IND_GO_BBANDS 36u     /* (period, multiplier) -> upper, middle, lower */

#define VYX_INDICATOR_MAX_PARAMS 4u
#define VYX_INDICATOR_MAX_OUTPUTS 4u

/* A request for one indicator over one timeframe of the market being
 * evaluated. Owned by the caller (the plugin), read during the call only. */
typedef struct vyx_indicator_request {
  uint32_t struct_size;
  vyx_timeframe timeframe;
  vyx_indicator_id indicator;
  uint32_t param_count;
  double params[VYX_INDICATOR_MAX_PARAMS];
  /* Appended for the VYX_IND_GO_* ids (a request of the first size,
   * VYX_INDICATOR_REQUEST_V1_SIZE, has no window and cannot ask for them). */
  uint64_t window_count;
  int64_t window_last_open_time;
} vyx_indicator_request;

/* The size of a request before the window fields: what older plugins send. */
#define VYX_INDICATOR_REQUEST_V1_SIZE 48u

/* The host's answer: `output_count` series, each `length` values long and
 * aligned with the timeframe's closed candles (index i = candle i), NaN before
 * the indicator's lookback. The arrays are owned by the host and stay valid
 * until the current filter/series call returns. */
typedef struct vyx_indicator_result {
  uint32_t struct_size;
  uint32_t output_count;
  uint64_t length;
  const double* outputs[VYX_INDICATOR_MAX_OUTPUTS];
} vyx_indicator_result;

/* Services the runtime offers the plugin, append-only like SQLite's
 * sqlite3_api_routines: a newer host may have more fields than a plugin
 * knows (check struct_size before reading a field added later). */
typedef struct vyx_host_api {
  uint32_t struct_size;
  uint32_t abi_version;
  /* [evaluation context: only inside filter/series, on the calling thread]
   * Serves an indicator computed once per (symbol, timeframe, indicator,
   * params) and shared by every trader. Writes *out on VYX_OK. Returns
   * VYX_ERR_UNSUPPORTED for an id the host does not know: the SDK then
   * computes the indicator itself. */
  vyx_status (*indicator)(void* host_context, const vyx_indicator_request* request,
                          vyx_indicator_result* out);
} vyx_host_api;

/* ------------------------------------------------------------------ outputs */

#define VYX_NAME_CAPACITY 32u /* bytes, including the terminating NUL */

/* A named number attached to a signal (vyx::emit). NaN and infinities are
 * allowed; the host serialises them safely. */
typedef struct vyx_signal_value {
  char name[VYX_NAME_CAPACITY];
  double value;
} vyx_signal_value;

/* Filter result. The buffers are owned by the host, sized by it, and valid
 * for the duration of the filter call. The plugin writes `matched` and
 * appends at most `value_capacity` values. */
typedef struct vyx_filter_output {
  uint32_t struct_size;
  uint32_t matched; /* 1 = signal, 0 = none */
  uint32_t value_capacity;
  uint32_t value_count;
  vyx_signal_value* values;
} vyx_filter_output;

typedef uint32_t vyx_plot_kind;
#define VYX_PLOT_LINE 0u
#define VYX_PLOT_BAR 1u
/* Free points (x, y) instead of candle-aligned values: the series' pool run
 * holds x0, y0, x1, y1, ... (so `length` = 2 x points, always even); x is a
 * time in ms since the Unix epoch, y NaN is a gap; `timeframe` is unused (0).
 * What the Go front end writes for a platform trader's seriesCode. */
#define VYX_PLOT_POINTS 2u

/* One named series for the chart: `length` values in the host's pool, aligned
 * with the candles of `timeframe` (index i = candle i), or (x, y) pairs for
 * VYX_PLOT_POINTS. */
typedef struct vyx_plot_series {
  char name[VYX_NAME_CAPACITY];
  vyx_plot_kind kind;
  vyx_timeframe timeframe;
  uint32_t panel; /* 1 = own panel, 0 = overlay on the price */
  uint32_t reserved0;
  uint64_t offset; /* first value's index in vyx_plot_output.pool */
  uint64_t length;
} vyx_plot_series;

/* Series result, all buffers owned by the host and valid for the call. The
 * plugin appends series (at most series_capacity) and their values into the
 * pool (at most pool_capacity doubles in all). */
typedef struct vyx_plot_output {
  uint32_t struct_size;
  uint32_t series_capacity;
  uint32_t series_count;
  uint32_t reserved0;
  vyx_plot_series* series;
  double* pool;
  uint64_t pool_capacity;
  uint64_t pool_used;
} vyx_plot_output;

/* ----------------------------------------------------------------- plugin */

/* The plugin's descriptor: a static const object inside the plugin, valid
 * for as long as the plugin stays loaded. */
typedef struct vyx_plugin {
  uint32_t struct_size;
  uint32_t abi_version;    /* VYX_ABI_VERSION the plugin was built against */
  const char* name;        /* trader name, NUL-terminated */
  const char* sdk_version; /* e.g. "0.1.0" */
  vyx_timeframe_mask required_timeframes;
  uint32_t history_bars;      /* closed candles needed per timeframe, 0 = unknown */
  uint32_t max_signal_values; /* most values filter may emit */
  uint32_t reserved0;
  /* [evaluation context: a worker thread, one call at a time per plugin]
   * Decides whether `market` matches. Must not keep pointers into `market`
   * or `out` after returning. VYX_OK or an error status; never throws. */
  vyx_status (*filter)(const vyx_market* market, vyx_filter_output* out);
  /* [evaluation context] Optional (may be null): the chart series. */
  vyx_status (*series)(const vyx_market* market, vyx_plot_output* out);
} vyx_plugin;

/* The entry symbol's type: returns the descriptor, never null, and does
 * nothing else (no allocation, no I/O). */
typedef const vyx_plugin* (*vyx_entry_fn)(void);

/* --------------------------------------------------------- layout pinning */

#ifdef __cplusplus
#define VYX_STATIC_ASSERT(cond, msg) static_assert(cond, msg)
#else
#define VYX_STATIC_ASSERT(cond, msg) _Static_assert(cond, msg)
#endif

VYX_STATIC_ASSERT(sizeof(vyx_candles) == 104, "vyx_candles size");
VYX_STATIC_ASSERT(offsetof(vyx_candles, count) == 8, "vyx_candles.count");
VYX_STATIC_ASSERT(offsetof(vyx_candles, open_time) == 24, "vyx_candles.open_time");
VYX_STATIC_ASSERT(offsetof(vyx_candles, close) == 64, "vyx_candles.close");
VYX_STATIC_ASSERT(offsetof(vyx_candles, trades) == 96, "vyx_candles.trades");
VYX_STATIC_ASSERT(sizeof(vyx_ticker) == 32, "vyx_ticker size");
VYX_STATIC_ASSERT(offsetof(vyx_ticker, last_price) == 8, "vyx_ticker.last_price");
VYX_STATIC_ASSERT(sizeof(vyx_market) == 96, "vyx_market size");
VYX_STATIC_ASSERT(offsetof(vyx_market, symbol) == 8, "vyx_market.symbol");
VYX_STATIC_ASSERT(offsetof(vyx_market, ticker) == 24, "vyx_market.ticker");
VYX_STATIC_ASSERT(offsetof(vyx_market, timeframes) == 32, "vyx_market.timeframes");
VYX_STATIC_ASSERT(offsetof(vyx_market, host) == 80, "vyx_market.host");
VYX_STATIC_ASSERT(sizeof(vyx_indicator_request) == 64, "vyx_indicator_request size");
VYX_STATIC_ASSERT(offsetof(vyx_indicator_request, window_count) == VYX_INDICATOR_REQUEST_V1_SIZE,
                  "vyx_indicator_request.window_count");
VYX_STATIC_ASSERT(offsetof(vyx_indicator_request, params) == 16, "vyx_indicator_request.params");
VYX_STATIC_ASSERT(sizeof(vyx_indicator_result) == 48, "vyx_indicator_result size");
VYX_STATIC_ASSERT(offsetof(vyx_indicator_result, outputs) == 16, "vyx_indicator_result.outputs");
VYX_STATIC_ASSERT(sizeof(vyx_host_api) == 16, "vyx_host_api size");
VYX_STATIC_ASSERT(offsetof(vyx_host_api, indicator) == 8, "vyx_host_api.indicator");
VYX_STATIC_ASSERT(sizeof(vyx_signal_value) == 40, "vyx_signal_value size");
VYX_STATIC_ASSERT(sizeof(vyx_filter_output) == 24, "vyx_filter_output size");
VYX_STATIC_ASSERT(offsetof(vyx_filter_output, values) == 16, "vyx_filter_output.values");
VYX_STATIC_ASSERT(sizeof(vyx_plot_series) == 64, "vyx_plot_series size");
VYX_STATIC_ASSERT(offsetof(vyx_plot_series, offset) == 48, "vyx_plot_series.offset");
VYX_STATIC_ASSERT(sizeof(vyx_plot_output) == 48, "vyx_plot_output size");
VYX_STATIC_ASSERT(offsetof(vyx_plot_output, pool) == 24, "vyx_plot_output.pool");
VYX_STATIC_ASSERT(sizeof(vyx_plugin) == 56, "vyx_plugin size");
VYX_STATIC_ASSERT(offsetof(vyx_plugin, required_timeframes) == 24,
                  "vyx_plugin.required_timeframes");
VYX_STATIC_ASSERT(offsetof(vyx_plugin, filter) == 40, "vyx_plugin.filter");
VYX_STATIC_ASSERT(offsetof(vyx_plugin, series) == 48, "vyx_plugin.series");

#ifdef __cplusplus
}
#endif

#endif /* VYX_ABI_H */
